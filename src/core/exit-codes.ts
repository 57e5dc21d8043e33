/** The process exit codes of every command (DESIGN.md: a contract for CI). */
export const ExitCode = {
  /** Every gating check passed. */
  Ok: 0,
  /** A check failed: a case at or above the gate level, or a threshold. */
  CheckFailed: 1,
  /** Bad input: usage, suite or profile file. */
  BadInput: 2,
  /** Runtime failure: target unreachable, TLS setup, internal error. */
  Runtime: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
