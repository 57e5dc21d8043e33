import type { BehaviourFlag } from '../server-profile.js';
import type { Outcome } from '../smtp-outcome.js';

/**
 * PIPELINING (RFC 2920 §3.2): the connection runs every complete command of what it read and
 * sends all their replies, in order, as soon as its input buffer is empty; it never waits for
 * more input before replying. These are the two defects that break that at the output side.
 */

/** Milliseconds a `pipelining-waits` server holds replies when no more input arrives. */
export const HOLD_MS = 10_000;

/** `pipelining-reorders`: the reply to MAIL swaps places with the next reply of the group. */
export function arrange(outcomes: readonly Outcome[], flags: ReadonlySet<BehaviourFlag>) {
  if (!flags.has('pipelining-reorders')) return outcomes;
  const arranged = [...outcomes];
  for (let i = 0; i < arranged.length; i += 1) {
    const next = arranged.findIndex((o, j) => j > i && o.replies.length > 0);
    if (arranged[i]?.verb !== 'MAIL' || next === -1) continue;
    [arranged[i], arranged[next]] = [arranged[next]!, arranged[i]!];
    i = next;
  }
  return arranged;
}

/** `pipelining-waits`: replies to two or more commands read at once are held back. */
export function holdsReplies(outcomes: readonly Outcome[], flags: ReadonlySet<BehaviourFlag>) {
  if (!flags.has('pipelining-waits')) return false;
  return outcomes.filter((o) => o.verb !== undefined).length >= 2;
}
