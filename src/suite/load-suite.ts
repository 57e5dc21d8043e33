import { LineCounter, parseDocument } from 'yaml';
import type { YAMLError } from 'yaml';
import type { Diagnostic } from '../core/diagnostic.js';
import { LoadContext } from './load-context.js';
import { AUTH_VARS, CASE_VARS, DEFAULT_VARS, PROTOCOLS, SIZE_VARS } from './model.js';
import type { Suite } from './model.js';
import { getId, getReference, parseCases } from './parse-case.js';
import { parseVars } from './parse-vars.js';
import { getKeyword, getString, isNothing, readMapping } from './yaml-nodes.js';
import type { Field } from './yaml-nodes.js';

/**
 * Loads one suite file (docs/suite-format.md): YAML text → validated `Suite` model.
 *
 *   suite file = { suite: ID, title: TEXT, cases: [case…], rfc?: "NNNN", protocol?: smtp|lmtp,
 *                  vars?: { NAME: VALUE… } }
 *
 * Every problem is reported, each with its place; the suite is returned only when there are no
 * errors (warnings allowed). YAML syntax errors are reported alone: the tree YAML recovers from
 * broken syntax is not reliable enough to check further. No file IO: the caller passes the text.
 */
const SUITE_KEYS = ['suite', 'title', 'rfc', 'protocol', 'vars', 'cases'] as const;
const REQUIRED = ['suite', 'title', 'cases'] as const;

export interface LoadSuiteOptions {
  /** More variable names the run defines (e.g. from `--var name=value`). */
  extraVars?: string[];
}

export interface LoadSuiteResult {
  suite?: Suite;
  /** Sorted by their place in the file. */
  diagnostics: Diagnostic[];
}

export function loadSuite(
  file: string,
  text: string,
  options: LoadSuiteOptions = {},
): LoadSuiteResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const ctx = new LoadContext(file, text, doc, lines);
  if (doc.errors.length > 0) {
    const hinted = new Set<string>();
    for (const e of doc.errors) reportYamlProblem(ctx, e, 'error', hinted);
    return { diagnostics: sorted(ctx.diagnostics) };
  }
  for (const w of doc.warnings) reportYamlProblem(ctx, w, 'warning', new Set());
  const known = [
    ...Object.keys(DEFAULT_VARS),
    ...AUTH_VARS,
    ...SIZE_VARS,
    ...CASE_VARS,
    ...(options.extraVars ?? []),
  ];
  for (const name of known) ctx.knownVars.add(name);
  const suite = buildSuite(ctx);
  return { ...(suite && !ctx.hasErrors() ? { suite } : {}), diagnostics: sorted(ctx.diagnostics) };
}

function buildSuite(ctx: LoadContext): Suite | undefined {
  const root = ctx.doc.contents;
  const field: Field = { label: 'the suite file', node: root, span: ctx.span(0, 0) };
  if (isNothing(root)) {
    const hint = 'start with suite: ID, title: TEXT and cases: [...] (see docs/suite-format.md)';
    ctx.error(ctx.span(0, 0), 'empty suite', 'the file holds no suite', hint);
    return undefined;
  }
  const entries = readMapping(ctx, field, { what: 'suite', keys: SUITE_KEYS, required: REQUIRED });
  if (!entries) return undefined;
  const get = (key: string) => entries.get(key);
  const idField = get('suite');
  const id = idField && getId(ctx, idField);
  const titleField = get('title');
  const title = titleField && getString(ctx, titleField);
  const rfcField = get('rfc');
  const rfc = rfcField && getReference(ctx, rfcField);
  const varsField = get('vars');
  const vars = varsField ? parseVars(ctx, varsField) : {};
  const protocolField = get('protocol');
  const protocol = protocolField ? getKeyword(ctx, protocolField, PROTOCOLS) : 'smtp';
  const casesField = get('cases');
  // An invalid suite `rfc` is reported once, not again as missing from every case.
  const defaults = rfcField ? { rfc: rfc ?? '' } : {};
  const cases = casesField ? parseCases(ctx, casesField, defaults) : [];
  if (id === undefined || title === undefined || protocol === undefined) return undefined;
  const span = ctx.span(root!.range?.[0] ?? 0, root!.range?.[1] ?? 0);
  return { id, title, rfc: rfc ?? '', file: ctx.file, protocol, vars, cases, span };
}

/** Reports a YAML error or warning; a hint given once for a line is not repeated for it. */
function reportYamlProblem(
  ctx: LoadContext,
  e: YAMLError,
  severity: Diagnostic['severity'],
  hinted: Set<string>,
): void {
  const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const span = ctx.span(e.pos[0], e.pos[1]);
  const closing = message.startsWith('Missing closing') ? UNCLOSED_HINT : undefined;
  const hint = flowHint(ctx, e.pos[0]) ?? closing ?? YAML_HINTS[e.code];
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
  MULTIPLE_DOCS: 'a suite file holds one suite; remove the extra ---',
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

function sorted(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.span?.offset ?? -1) - (b.d.span?.offset ?? -1) || a.i - b.i)
    .map(({ d }) => d);
}
