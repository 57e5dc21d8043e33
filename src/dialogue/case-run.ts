import { nowMicros } from '../core/clock.js';
import { interpolate } from '../core/template.js';
import type { SmtpSession } from '../protocol/session.js';
import type { ReplyFinding } from './case-result.js';
import type { RunContext } from './run-context.js';

/** The mutable state of one case while its steps run. */
export interface CaseRun {
  readonly session: SmtpSession;
  readonly ctx: RunContext;
  /** Absolute deadline of the case, in µs of the monotonic clock. */
  readonly deadlineMicros: number;
  /** Variables in force; `n` is set while a repeated step runs. */
  vars: Record<string, string>;
  findings: ReplyFinding[];
  /**
   * The last command whose replies were all read, while no reply is owed (reply-count-audit.ts);
   * undefined while none is settled, null once raw writes made the count unknowable.
   */
  settledCommand?: string | null;
  /** Aborted when the run is interrupted: waits end early. */
  signal?: AbortSignal;
}

/**
 * How a step ended. `fail` is a broken rule of the server; `skip` a precondition the run
 * cannot meet (e.g. no credentials); `error` a harness problem; `end` a safe outcome that makes
 * the remaining steps moot.
 */
export type StepOutcome =
  | { kind: 'ok' }
  | { kind: 'fail'; expected: string; actual: string; timedOut?: boolean }
  | { kind: 'skip'; reason: string }
  | { kind: 'error'; reason: string }
  /** The case ends early and passes: e.g. the server refused safely during a silence. */
  | { kind: 'end'; note: string };

export const OK: StepOutcome = { kind: 'ok' };

/** Milliseconds left before the case deadline (never negative). */
export function remainingMs(run: CaseRun): number {
  return Math.max(0, (run.deadlineMicros - nowMicros()) / 1000);
}

/** The wait for one reply: the reply timeout, cut short by the case deadline. */
export function replyWaitMs(run: CaseRun): number {
  return Math.min(run.ctx.timeouts.replyMs, remainingMs(run));
}

/** Substitutes variables; a missing one is a harness error (the loader should have caught it). */
export function expand(
  run: CaseRun,
  template: string,
): { ok: true; text: string } | { ok: false; outcome: StepOutcome } {
  const result = interpolate(template, run.vars);
  if (result.ok) return result;
  return {
    ok: false,
    outcome: { kind: 'error', reason: `variable \${${result.missing}} is not defined` },
  };
}
