import { formatLocation, type SourceSpan } from './span.js';

/**
 * A problem found in user input (a suite file, a profile, a command line), reported with its
 * place. Diagnostics are data: a loader collects all of them and the CLI renders them.
 */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Short title, e.g. `unknown key`. */
  title: string;
  /** What was found and what was expected, shown under the caret. */
  message: string;
  span?: SourceSpan;
  /** e.g. `did you mean 'expect'?` */
  hint?: string;
}

/**
 * Renders a diagnostic like a compiler does:
 *
 * ```
 * error: unknown key
 *   --> suites/rfc5321/mail.yaml:14:7
 *    |
 * 14 |       expcet: 250
 *    |       ^^^^^^ 'expcet' is not a step key
 *    = hint: did you mean 'expect'?
 * ```
 */
export function renderDiagnostic(d: Diagnostic, sourceText?: string): string {
  const out = [`${d.severity}: ${d.title}`];
  if (!d.span) {
    out.push(`  ${d.message}`);
    if (d.hint) out.push(`  = hint: ${d.hint}`);
    return out.join('\n');
  }
  const lineNo = String(d.span.line);
  const pad = ' '.repeat(lineNo.length);
  out.push(`${pad}--> ${formatLocation(d.span)}`);
  const sourceLine = sourceText?.split('\n')[d.span.line - 1]?.replace(/\r$/, '');
  if (sourceLine !== undefined) {
    const width = Math.max(1, Math.min(d.span.length, sourceLine.length - d.span.col + 1));
    out.push(`${pad} |`);
    out.push(`${lineNo} | ${sourceLine}`);
    out.push(`${pad} | ${' '.repeat(d.span.col - 1)}${'^'.repeat(width)} ${d.message}`);
  } else {
    out.push(`${pad} = ${d.message}`);
  }
  if (d.hint) out.push(`${pad} = hint: ${d.hint}`);
  return out.join('\n');
}
