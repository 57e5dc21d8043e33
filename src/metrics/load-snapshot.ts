import { microsToMillis } from '../core/clock.js';
import { encodeHistogram } from './histogram-codec.js';
import type { LatencyHistogram, LatencySummary } from './latency-histogram.js';
import type { CountersSnapshot } from './load-counters.js';
import type { NamedHistogram, Outcome, Phase } from './metric-names.js';
import type { SeriesSnapshot } from './series-interval.js';

/**
 * What a load run measured, as plain JSON (the `load` part of report.json; docs/metrics.md):
 *
 * ```json
 * {
 *   "durationMs": 30000.412,
 *   "phases": {
 *     "eod": {
 *       "count": 15000, "min": 0.412, "mean": 1.861, "p50": 1.503, "p90": 3.011,
 *       "p99": 9.215, "p999": 21.503, "max": 48.127, "clamped": 0,
 *       "histogram": "HISTFAAAA…",
 *       "distribution": [[0, 0.412], [50, 1.503], [75, 2.207], …, [99.9, 21.503], [100, 48.127]],
 *       "byOutcome": {
 *         "2xx": { "count": 14990, "min": 0.412, …, "clamped": 0, "histogram": "HISTFAAAA…" },
 *         "4xx": { "count": 10, … }
 *       }
 *     }
 *   },
 *   "named": { "schedule-lag": { "count": 15000, …, "histogram": "HISTFAAAA…" } },
 *   "counters": { "messages": { "attempted": 15000, "ok": 14990, "failed": 10 }, … },
 *   "series": { "intervalMs": 1000, "intervals": [ … ] }
 * }
 * ```
 *
 * - Latencies are milliseconds with three decimals; `histogram` holds the same values in
 *   microseconds, encoded (histogram-codec.ts), so results can be merged and re-gated.
 * - `phases` and `named` hold only what has at least one value; `byOutcome` likewise. A phase's
 *   own figures and histogram cover all its outcomes.
 * - `clamped`: values outside [0, 1 h] that were recorded at the nearest end of the range.
 * - `distribution`: HdrHistogram's percentile distribution, `[percentile, ms]` pairs in
 *   ascending order, for readers that do not decode histograms (the HTML report's charts):
 *   see `DISTRIBUTION_PERCENTILES`. Recomputed from the merged histogram after a merge.
 * - `durationMs`: the measured span (run start to snapshot), the base of `throughput`. Merged
 *   shards ran side by side, so a merge takes the longest.
 */
export interface LoadSnapshot {
  durationMs: number;
  phases: Partial<Record<Phase, PhaseSnapshot>>;
  named: Partial<Record<NamedHistogram, HistogramSnapshot>>;
  counters: CountersSnapshot;
  series: SeriesSnapshot;
}

export interface HistogramSnapshot extends LatencySummary {
  clamped: number;
  histogram: string;
  distribution: DistributionPoint[];
}

/** A point of a percentile distribution: the percentile (0-100) and its value in ms. */
export type DistributionPoint = [percentile: number, valueMs: number];

/**
 * The percentiles of a distribution, as HdrHistogram's percentile output steps through them:
 * halving the distance to 100 each step (0, 50, 75, 87.5, 93.75, … 99.9992, that is
 * 100 × (1 − 1/2^k) for k = 0…17), plus the round nines 90, 99, 99.9, 99.99 and 99.999 that a
 * chart's axis is labelled with. A histogram of n values keeps only the percentiles it can
 * resolve, those up to 100 × (1 − 1/n); the distribution always ends with `[100, max]`.
 */
export const DISTRIBUTION_PERCENTILES: readonly number[] = [
  ...Array.from({ length: 18 }, (_, k) => Number((100 * (1 - 2 ** -k)).toFixed(4))),
  90,
  99,
  99.9,
  99.99,
  99.999,
].sort((a, b) => a - b);

export interface PhaseSnapshot extends HistogramSnapshot {
  byOutcome: Partial<Record<Outcome, HistogramSnapshot>>;
}

export function snapshotHistogram(histogram: LatencyHistogram): HistogramSnapshot {
  return {
    ...histogram.summarise(),
    clamped: histogram.clamped,
    histogram: encodeHistogram(histogram),
    distribution: percentileDistribution(histogram),
  };
}

/** The histogram's distribution (`DISTRIBUTION_PERCENTILES`, then 100); empty when it is. */
export function percentileDistribution(histogram: LatencyHistogram): DistributionPoint[] {
  const count = histogram.count;
  if (count === 0) return [];
  const resolvable = 100 * (1 - 1 / count);
  const percentiles = [...DISTRIBUTION_PERCENTILES.filter((p) => p <= resolvable), 100];
  const values = histogram.valuesAtPercentiles(percentiles);
  return percentiles.map((p, i) => [p, microsToMillis(values[i]!)]);
}
