import type { Diagnostic } from './diagnostic.js';
import { ExitCode } from './exit-codes.js';

/**
 * Errors as data. Each failure that reaches the edge of the program is one of these kinds,
 * classified once into an exit code by the CLI. Nothing here carries a stack trace to the user.
 */
export type GaugeError =
  | { kind: 'usage'; message: string }
  | { kind: 'input'; message: string; diagnostics: Diagnostic[]; sources: Map<string, string> }
  | { kind: 'unreachable'; message: string }
  | { kind: 'runtime'; message: string }
  | { kind: 'internal'; message: string; cause?: unknown };

export function exitCodeOf(error: GaugeError): ExitCode {
  switch (error.kind) {
    case 'usage':
    case 'input':
      return ExitCode.BadInput;
    case 'unreachable':
    case 'runtime':
    case 'internal':
      return ExitCode.Runtime;
  }
}
