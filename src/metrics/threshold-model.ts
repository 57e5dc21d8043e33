import type { NamedHistogram, Phase } from './metric-names.js';

/**
 * A parsed threshold expression (threshold-parser.ts has the grammar, docs/metrics.md the
 * meaning of every metric). Limits are held in the metric's base unit, so evaluation compares
 * like with like: µs for latencies, a fraction for rates, per second for throughput, a plain
 * number for counts.
 */
export interface Threshold {
  /** The expression as written. */
  expression: string;
  metric: ThresholdMetric;
  comparator: Comparator;
  /** In the base unit of `metric.kind`: µs, a count, a fraction (rate), per second. */
  limit: number;
  /** The limit as written, e.g. `50ms`, `0.1%`. */
  limitText: string;
}

export type ThresholdMetric =
  | {
      kind: 'latency';
      stat: LatencyStat;
      /** For `stat: 'percentile'`: 0–100. */
      percentile?: number;
      target: LatencyTarget;
    }
  | { kind: 'count'; target: CountTarget }
  | { kind: 'rate'; target: RateName }
  | { kind: 'throughput' };

export type LatencyStat = 'percentile' | 'min' | 'max' | 'mean';
export type LatencyTarget = Phase | NamedHistogram;

/**
 * Counters a threshold can name. `errors`: all errors (every kind); `failed`: messages that
 * ended without acceptance; `dropped`: open-model starts skipped; `2xx`/`4xx`/`5xx`: replies
 * of that class over all commands (`2xx` includes 1xx–3xx, as outcomes do).
 */
export const COUNTER_NAMES = ['errors', 'failed', 'dropped', '2xx', '4xx', '5xx'] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];
export type CountTarget = LatencyTarget | CounterName;

/**
 * Rates a threshold can name:
 * - `rate(errors)` = Σ errors (all kinds) / messages.attempted
 * - `rate(failed)` = messages.failed / messages.attempted
 * - `rate(2xx|4xx|5xx)` = replies of that class / all replies counted (every command)
 * "no data" when the denominator is 0.
 */
export const RATE_NAMES = ['errors', 'failed', '2xx', '4xx', '5xx'] as const;
export type RateName = (typeof RATE_NAMES)[number];

/** Metrics written without parentheses. `dropped` is `count(dropped)`. */
export const BARE_METRICS = ['throughput', 'dropped'] as const;

/** The aggregates before `(`, for suggestions; any `p<number>` is also one. */
export const AGGREGATES = ['p50', 'p90', 'p99', 'p99.9', 'min', 'max', 'mean', 'count', 'rate'];

export const COMPARATORS = ['<=', '>=', '==', '!=', '<', '>'] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** The unit of an evaluated value as reported: latency in ms, rates in percent. */
export type ReportUnit = 'ms' | '%' | '/s' | 'count';

/** The metric in canonical text, e.g. `p99.9(message)`, `count(errors)`, `throughput`. */
export function formatMetric(metric: ThresholdMetric): string {
  switch (metric.kind) {
    case 'latency': {
      const name = metric.stat === 'percentile' ? `p${metric.percentile}` : metric.stat;
      return `${name}(${metric.target})`;
    }
    case 'count':
      return metric.target === 'dropped' ? 'dropped' : `count(${metric.target})`;
    case 'rate':
      return `rate(${metric.target})`;
    case 'throughput':
      return 'throughput';
  }
}

export function compare(actual: number, comparator: Comparator, limit: number): boolean {
  switch (comparator) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
    case '==':
      return actual === limit;
    case '!=':
      return actual !== limit;
  }
}
