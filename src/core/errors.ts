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

/** An exception that carries a GaugeError, for the few places that must unwind. */
export class GaugeFailure extends Error {
  constructor(readonly error: GaugeError) {
    super(error.message);
    this.name = 'GaugeFailure';
  }
}

/** A result that is either a value or the problems that prevented it. */
export type Result<T, E = Diagnostic[]> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
