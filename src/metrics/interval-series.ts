import { LatencyHistogram } from './latency-histogram.js';
import { ReplyTally } from './reply-tally.js';
import { buildInterval, combineIntervals } from './series-interval.js';
import type { SeriesInterval, SeriesSnapshot } from './series-interval.js';

/**
 * The live per-interval time series of a run: for the open interval it counts ended and failed
 * messages, errors and replies by code, and records `message` latency into one histogram that
 * is reset when the interval closes. A closed interval keeps only its counts, three percentiles
 * and the encoded histogram (series-interval.ts), never raw samples.
 *
 * Time is given, never read: `advance(elapsedMs, …)` closes every interval whose nominal end
 * (k + 1) × intervalMs is at or before `elapsedMs`. A late tick closes the overdue intervals at
 * once; what was recorded meanwhile goes into the first of them, the others are empty.
 *
 * Bound (the compaction rule): at most `maxIntervals` closed intervals are kept. When one more
 * would exceed that, two adjacent intervals are combined into one: the first pair of equal
 * width, of the narrowest width that has such a pair (so the oldest intervals are the widest,
 * widths are powers of two times `intervalMs`, and every interval starts at a multiple of its
 * own width; intervals from different shards are then either nested or disjoint). Only when
 * no two adjacent widths are equal, which first happens 2^(maxIntervals + 1) - 1 intervals into
 * a run (never, in practice, with the default 3600), the adjacent pair of least combined width
 * is taken. Each close costs at most one combination (two decodes, one encode: about 1 ms).
 */
export const DEFAULT_INTERVAL_MS = 1000;
export const DEFAULT_MAX_INTERVALS = 3600;

export class IntervalSeries {
  private readonly closed: SeriesInterval[] = [];
  private openStartMs = 0;
  private messages = 0;
  private failed = 0;
  private errors = 0;
  private readonly codes = new ReplyTally();
  private readonly latency = new LatencyHistogram();

  constructor(
    readonly intervalMs = DEFAULT_INTERVAL_MS,
    readonly maxIntervals = DEFAULT_MAX_INTERVALS,
  ) {
    if (!(intervalMs > 0)) throw new RangeError(`intervalMs must be positive, got ${intervalMs}`);
    if (!Number.isInteger(maxIntervals) || maxIntervals < 2) {
      throw new RangeError(`maxIntervals must be an integer ≥ 2, got ${maxIntervals}`);
    }
  }

  messageEnded(ok: boolean, latencyMicros: number): void {
    this.messages++;
    if (!ok) this.failed++;
    this.latency.record(latencyMicros);
  }

  countError(): void {
    this.errors++;
  }

  countReply(code: number): void {
    this.codes.add(code);
  }

  /** Closes every interval that ended at or before `elapsedMs` since the run's start. */
  advance(elapsedMs: number, activeSessions: number): void {
    while (this.openStartMs + this.intervalMs <= elapsedMs) {
      this.closed.push(this.openInterval(this.intervalMs, activeSessions));
      this.resetOpen();
      this.openStartMs += this.intervalMs;
      if (this.closed.length > this.maxIntervals) compactOnce(this.closed);
    }
  }

  /** The most recently closed interval, if any (the live progress line shows it). */
  lastClosed(): SeriesInterval | undefined {
    return this.closed.at(-1);
  }

  /**
   * The closed intervals plus the open one, cut at `elapsedMs`, when it has begun. Call
   * `advance` first so no overdue interval is still open.
   */
  snapshot(elapsedMs: number, activeSessions: number): SeriesSnapshot {
    const intervals = [...this.closed];
    const openMs = Math.round((elapsedMs - this.openStartMs) * 1000) / 1000;
    if (openMs > 0) intervals.push(this.openInterval(openMs, activeSessions));
    return { intervalMs: this.intervalMs, intervals };
  }

  private openInterval(durationMs: number, activeSessions: number): SeriesInterval {
    return buildInterval(
      {
        startMs: this.openStartMs,
        durationMs,
        messages: this.messages,
        failed: this.failed,
        errors: this.errors,
        codes: this.codes.toRecord(),
        activeSessions,
      },
      this.latency,
    );
  }

  private resetOpen(): void {
    this.messages = 0;
    this.failed = 0;
    this.errors = 0;
    this.codes.reset();
    this.latency.reset();
  }
}

/** Applies the compaction rule once: combines the chosen adjacent pair in place. */
export function compactOnce(intervals: SeriesInterval[]): void {
  const at = compactionPair(intervals);
  const combined = combineIntervals([
    { interval: intervals[at]!, shard: 0 },
    { interval: intervals[at + 1]!, shard: 0 },
  ]);
  // Both intervals were encoded by this process; a decode failure is a bug, not input.
  if (!combined.ok) throw new Error(`compacting the series: ${combined.message}`);
  intervals.splice(at, 2, combined.interval);
}

/**
 * The index i of the pair (i, i + 1) the compaction rule combines: the earliest among pairs of
 * equal width with the least width; failing any equal pair, the earliest of least combined width.
 */
export function compactionPair(intervals: readonly SeriesInterval[]): number {
  let best = 0;
  let bestEqual = false;
  let bestSum = Infinity;
  for (let i = 0; i + 1 < intervals.length; i++) {
    const a = intervals[i]!.durationMs;
    const b = intervals[i + 1]!.durationMs;
    const equal = a === b;
    if ((equal && !bestEqual) || (equal === bestEqual && a + b < bestSum)) {
      best = i;
      bestEqual = equal;
      bestSum = a + b;
    }
  }
  return best;
}
