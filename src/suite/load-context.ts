import type { Document, LineCounter } from 'yaml';
import type { Diagnostic } from '../core/diagnostic.js';
import type { SourceSpan } from '../core/span.js';

/**
 * What every parser of the loader shares while it walks one suite file: the source, a line
 * index for spans, the variables in scope, and the list the diagnostics are collected in.
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
