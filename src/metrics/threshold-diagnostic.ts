import type { Diagnostic } from '../core/diagnostic.js';
import type { SourceSpan } from '../core/span.js';
import type { ThresholdProblem } from './threshold-parser.js';

/**
 * A threshold problem as a diagnostic at its place in the file. `start` is the span of the
 * expression's first character (inside any quotes); the expression must sit on one line, which
 * a threshold always does.
 */
export function thresholdDiagnostic(problem: ThresholdProblem, start: SourceSpan): Diagnostic {
  return {
    severity: 'error',
    title: 'invalid threshold',
    message: problem.message,
    span: {
      file: start.file,
      line: start.line,
      col: start.col + problem.column - 1,
      offset: start.offset + problem.column - 1,
      length: problem.length,
    },
    ...(problem.hint !== undefined ? { hint: problem.hint } : {}),
  };
}
