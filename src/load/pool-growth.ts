/**
 * When the open model's pool of reused sessions (`unit: message`, open-model.ts) may open one
 * more: a start that finds no idle session either opens one or waits for the first to come free
 * (its latency counts from its intended start, so the wait shows).
 *
 *   const growth = new PoolGrowth();
 *   growth.started(now, lag);                          // every start, with how late it was made
 *   if (growth.mayOpen(now, opening, inUse)) …         // no idle session: open one, or wait
 *
 * Two limits:
 * - At most MAX_OPENING sessions open at once. Before, every start that found no idle session
 *   opened one: at 5,000/s on an empty pool that made 256 sessions (the cap) for a server that
 *   needs a handful, and the burst of set-ups held the schedule up by over 10 ms at p99 and
 *   dropped 1.4–2.4% of the starts (bench:load).
 * - None opens while the generator is behind its own schedule: for BEHIND_HOLD_MICROS after a
 *   start made BEHIND_MICROS or more late. Its sessions then look busy because their replies
 *   wait unread, and a new session would only add set-up work to the thread that is short of
 *   time. At 10,000/s from a cold start the pool grew from 20 sessions to about 110 that way,
 *   and the set-ups doubled the starts late by over 1 ms (docs/performance.md, change 15).
 *   A server that is slow while the generator keeps time still gets its sessions.
 *
 * While behind, a start still opens one when no session is in use or opening: nothing else
 * would come free for it.
 */
export const MAX_OPENING = 8;
export const BEHIND_MICROS = 1_000;
export const BEHIND_HOLD_MICROS = 50_000;

export class PoolGrowth {
  /** Until when (µs, fast clock) the generator counts as behind. */
  private behindUntil = -Infinity;

  /** A start was made at `nowMicros`, `lagMicros` after its intended time. */
  started(nowMicros: number, lagMicros: number): void {
    if (lagMicros >= BEHIND_MICROS) this.behindUntil = nowMicros + BEHIND_HOLD_MICROS;
  }

  /**
   * A start without an idle session may open one now: `opening` sessions are opening (each will
   * serve a waiting start once open), and `inUse` other starts are sending on a session or
   * opening one (each will free a session).
   */
  mayOpen(nowMicros: number, opening: number, inUse: number): boolean {
    if (opening >= MAX_OPENING) return false;
    return nowMicros >= this.behindUntil || (opening === 0 && inUse === 0);
  }
}
