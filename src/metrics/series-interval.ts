import { microsToMillis } from '../core/clock.js';
import { decodeHistogram, encodeHistogram } from './histogram-codec.js';
import { LatencyHistogram } from './latency-histogram.js';

/**
 * One interval of the time series, as stored in the snapshot:
 *
 * ```json
 * { "startMs": 3000, "durationMs": 1000, "messages": 512, "failed": 1, "errors": 0,
 *   "codes": { "221": 12, "250": 2050, "354": 512 }, "activeSessions": 40,
 *   "p50": 1.203, "p90": 2.011, "p99": 7.935, "histogram": "HISTFAAAA…" }
 * ```
 *
 * - `startMs`: offset from the run's start, on the nominal grid (interval k starts at
 *   k × intervalMs, however late the tick that closed it ran).
 * - `durationMs`: the interval's width, a power-of-two multiple of `intervalMs` once intervals
 *   have been compacted (interval-series.ts); only the last, still open interval is shorter.
 * - `messages`, `failed`: messages that ended in the interval, and of those the failed ones.
 * - `errors`: errors counted in the interval (all kinds). `codes`: replies by code, all commands.
 * - `activeSessions`: sessions open at the interval's end (summed over shards when merged).
 * - `p50`, `p90`, `p99`: `message` latency (ms) of the messages that ended in the interval,
 *   `null` when none did. `histogram`: those latencies, encoded (histogram-codec.ts), so that
 *   combined intervals get exact percentiles; about 0.1-1 KB per interval.
 */
export interface SeriesInterval {
  startMs: number;
  durationMs: number;
  messages: number;
  failed: number;
  errors: number;
  codes: Record<string, number>;
  activeSessions: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  histogram: string;
}

export interface SeriesSnapshot {
  /** The base interval: the width of an interval that was never compacted. */
  intervalMs: number;
  intervals: SeriesInterval[];
}

/** The counts of an interval, before its latency is summarised and encoded. */
export interface IntervalCounts {
  startMs: number;
  durationMs: number;
  messages: number;
  failed: number;
  errors: number;
  codes: Record<string, number>;
  activeSessions: number;
}

/** The encoding of an empty histogram; most intervals of an idle stretch carry it. */
const EMPTY_HISTOGRAM = encodeHistogram(new LatencyHistogram());

/** Completes an interval from its counts and its message-latency histogram. */
export function buildInterval(counts: IntervalCounts, latency: LatencyHistogram): SeriesInterval {
  const [p50, p90, p99] = latency.valuesAtPercentiles([50, 90, 99]).map(microsToMillis);
  return {
    ...counts,
    p50: p50 ?? null,
    p90: p90 ?? null,
    p99: p99 ?? null,
    histogram: latency.count === 0 ? EMPTY_HISTOGRAM : encodeHistogram(latency),
  };
}

/** An interval and the shard (series) it comes from. */
export interface IntervalPart {
  interval: SeriesInterval;
  shard: number;
}

export type CombineResult = { ok: true; interval: SeriesInterval } | { ok: false; message: string };

/**
 * Combines intervals into one spanning all of them: counts, codes and latencies are summed
 * (histograms decoded and added, so the percentiles are exact). `activeSessions` is, per shard,
 * the value of that shard's latest-ending part (the sessions open at the combined end), and
 * those are summed over shards. So two adjacent intervals of one series keep the later value;
 * the same interval from two shards sums.
 */
export function combineIntervals(parts: readonly IntervalPart[]): CombineResult {
  let startMs = Infinity;
  let endMs = -Infinity;
  const counts = { messages: 0, failed: 0, errors: 0 };
  const codes: Record<string, number> = {};
  const latest = new Map<number, { endMs: number; active: number }>();
  const latency = new LatencyHistogram();
  for (const { interval, shard } of parts) {
    const end = interval.startMs + interval.durationMs;
    startMs = Math.min(startMs, interval.startMs);
    endMs = Math.max(endMs, end);
    counts.messages += interval.messages;
    counts.failed += interval.failed;
    counts.errors += interval.errors;
    for (const [code, n] of Object.entries(interval.codes)) codes[code] = (codes[code] ?? 0) + n;
    const seen = latest.get(shard);
    if (seen === undefined || end >= seen.endMs) {
      latest.set(shard, { endMs: end, active: interval.activeSessions });
    }
    if (interval.histogram === EMPTY_HISTOGRAM) continue;
    const decoded = decodeHistogram(interval.histogram);
    if (!decoded.ok) {
      return { ok: false, message: `interval at ${interval.startMs} ms: ${decoded.message}` };
    }
    latency.add(decoded.histogram);
  }
  let activeSessions = 0;
  for (const { active } of latest.values()) activeSessions += active;
  const interval = buildInterval(
    { startMs, durationMs: endMs - startMs, ...counts, codes, activeSessions },
    latency,
  );
  return { ok: true, interval };
}
