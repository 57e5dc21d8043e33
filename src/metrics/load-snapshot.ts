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
}

export interface PhaseSnapshot extends HistogramSnapshot {
  byOutcome: Partial<Record<Outcome, HistogramSnapshot>>;
}

export function snapshotHistogram(histogram: LatencyHistogram): HistogramSnapshot {
  return {
    ...histogram.summarise(),
    clamped: histogram.clamped,
    histogram: encodeHistogram(histogram),
  };
}
