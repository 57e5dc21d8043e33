import { LineCounter, parseDocument } from 'yaml';
import type { Document, YAMLError } from 'yaml';
import type { Diagnostic } from '../core/diagnostic.js';
import type { SourceSpan } from '../core/span.js';

/**
 * What every parser of a loader shares while it walks one file (a suite, a profile): the source,
 * a line index for spans, the variables in scope, and the list the diagnostics are collected in.
 * Parsers never stop at a problem: they record it here and go on with what they can.
 */
export class LoadContext {
  readonly diagnostics: Diagnostic[] = [];
  /** Variables a template may refer to everywhere (defaults, `vars:`, `extraVars`). */
  readonly knownVars = new Set<string>();

  constructor(
    readonly file: string,
    readonly text: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** The span of `[start, end)` in the file, with its 1-based line and column. */
  span(start: number, end: number): SourceSpan {
    const { line, col } = this.lines.linePos(start);
    return { file: this.file, line, col, offset: start, length: Math.max(end - start, 1) };
  }

  error(span: SourceSpan, title: string, message: string, hint?: string): void {
    this.diagnostics.push({ severity: 'error', title, message, span, ...(hint ? { hint } : {}) });
  }

  warn(span: SourceSpan, title: string, message: string, hint?: string): void {
    this.diagnostics.push({ severity: 'warning', title, message, span, ...(hint ? { hint } : {}) });
  }

  hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }
}

/**
 * Parses one YAML file into a fresh context and reports its YAML problems: syntax errors (then
 * `syntaxOk` is false: the tree YAML recovers from broken syntax is not reliable enough to check
 * further) and warnings. Duplicate keys are left to `readMapping`, which reports them with both
 * places. `what` names the file's content in hints: `a profile file holds one profile`.
 */
export function parseYamlFile(
  file: string,
  text: string,
  what: string,
): { ctx: LoadContext; syntaxOk: boolean } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const ctx = new LoadContext(file, text, doc, lines);
  const hinted = new Set<string>();
  for (const e of doc.errors) reportYamlProblem(ctx, e, 'error', what, hinted);
  if (doc.errors.length > 0) return { ctx, syntaxOk: false };
  for (const w of doc.warnings) reportYamlProblem(ctx, w, 'warning', what, new Set());
  return { ctx, syntaxOk: true };
}

/** Diagnostics in the order of their places in the file; those without a place first. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.span?.offset ?? -1) - (b.d.span?.offset ?? -1) || a.i - b.i)
    .map(({ d }) => d);
}

/** Reports a YAML error or warning; a hint given once for a line is not repeated for it. */
function reportYamlProblem(
  ctx: LoadContext,
  e: YAMLError,
  severity: Diagnostic['severity'],
  what: string,
  hinted: Set<string>,
): void {
  const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const span = ctx.span(e.pos[0], e.pos[1]);
  const closing = message.startsWith('Missing closing') ? UNCLOSED_HINT : undefined;
  const multiple =
    e.code === 'MULTIPLE_DOCS'
      ? `a ${what} file holds one ${what}; remove the extra ---`
      : undefined;
  const hint = flowHint(ctx, e.pos[0]) ?? closing ?? multiple ?? YAML_HINTS[e.code];
  const key = `${span.line}:${hint}`;
  const title = severity === 'error' ? 'YAML syntax error' : 'YAML warning';
  const fresh = hint !== undefined && !hinted.has(key);
  hinted.add(key);
  ctx.diagnostics.push({ severity, title, message, span, ...(fresh ? { hint } : {}) });
}

const UNCLOSED_HINT = 'a quoted string opened above is never closed';

const YAML_HINTS: Partial<Record<YAMLError['code'], string>> = {
  BAD_INDENT: 'check the indentation of this line against the lines above',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BLOCK_AS_IMPLICIT_KEY:
    'a key cannot hold a nested mapping on the same line; check for a stray ":"',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line; check the indentation or a missing ":"',
  UNEXPECTED_TOKEN: 'check for a stray character or a missing quote',
};

/** Inside `[ ]` or `{ }` a plain `${name}` opens a mapping: the commonest YAML slip in suites. */
function flowHint(ctx: LoadContext, offset: number): string | undefined {
  const lineStart = ctx.text.lastIndexOf('\n', offset - 1) + 1;
  const before = ctx.text.slice(lineStart, offset + 1);
  const flow = before.search(/[[{]/);
  if (flow < 0 || !before.slice(flow + 1).includes('${')) return undefined;
  return 'inside [ ] or { }, quote values that contain ${…}, commas or brackets: ["RCPT TO:<${recipient}>"]';
}
