import { decodeHistogram } from './histogram-codec.js';
import type { LatencyHistogram } from './latency-histogram.js';
import { total } from './load-counters.js';
import type { CountersSnapshot } from './load-counters.js';
import type { HistogramSnapshot, LoadSnapshot } from './load-snapshot.js';
import { PHASES } from './metric-names.js';
import type { Phase } from './metric-names.js';
import { compare, formatMetric } from './threshold-model.js';
import type { ReportUnit, Threshold, ThresholdMetric } from './threshold-model.js';

/**
 * A threshold's verdict on a snapshot:
 *
 * ```json
 * { "expression": "p99(eod) < 50ms", "ok": false, "actual": 61.203, "unit": "ms",
 *   "reason": "p99(eod) = 61.203 ms, not < 50ms" }
 * ```
 *
 * `actual` is in `unit`: latencies in ms, rates in percent, throughput per second, counts as
 * they are. A metric without data (no values for that phase, no messages attempted for a rate,
 * a run of no duration) fails with `actual` undefined and a reason starting "no data"; it never
 * passes. Counts always have data: nothing counted is 0.
 */
export interface ThresholdVerdict {
  expression: string;
  ok: boolean;
  actual: number | undefined;
  unit: ReportUnit;
  reason: string;
}

/**
 * A measured value in the metric's base unit (and, for rates, the percent computed from the
 * counts, which `value × 100` would round differently), or why there is none.
 */
type Measure = { value: number; percent?: number; detail?: string } | { missing: string };

/** Evaluates each threshold; a histogram decoded for one is reused by the others. */
export function evaluateThresholds(
  thresholds: readonly Threshold[],
  snapshot: LoadSnapshot,
): ThresholdVerdict[] {
  const decoded = new Map<string, LatencyHistogram | string>();
  return thresholds.map((threshold) => evaluate(threshold, snapshot, decoded));
}

export function evaluateThreshold(threshold: Threshold, snapshot: LoadSnapshot): ThresholdVerdict {
  return evaluate(threshold, snapshot, new Map());
}

function evaluate(
  threshold: Threshold,
  snapshot: LoadSnapshot,
  decoded: Map<string, LatencyHistogram | string>,
): ThresholdVerdict {
  const { metric, comparator, limitText } = threshold;
  const name = formatMetric(metric);
  const unit = reportUnit(metric);
  const measure = measureMetric(metric, snapshot, decoded);
  if ('missing' in measure) {
    return {
      expression: threshold.expression,
      ok: false,
      actual: undefined,
      unit,
      reason: measure.missing,
    };
  }
  const ok = compare(measure.value, comparator, threshold.limit);
  const actual = measure.percent ?? toReportUnit(metric, measure.value);
  const shown = `${name} = ${format(actual)}${unit === 'count' ? '' : unit === 'ms' ? ' ms' : unit}`;
  const detail = measure.detail !== undefined ? ` (${measure.detail})` : '';
  const verdict = ok ? `within ${comparator} ${limitText}` : `not ${comparator} ${limitText}`;
  return {
    expression: threshold.expression,
    ok,
    actual,
    unit,
    reason: `${shown}${detail}, ${verdict}`,
  };
}

function measureMetric(
  metric: ThresholdMetric,
  snapshot: LoadSnapshot,
  decoded: Map<string, LatencyHistogram | string>,
): Measure {
  switch (metric.kind) {
    case 'latency':
      return measureLatency(metric, snapshot, decoded);
    case 'count':
      return { value: countOf(metric.target, snapshot) };
    case 'rate':
      return measureRate(metric.target, snapshot.counters);
    case 'throughput': {
      if (!(snapshot.durationMs > 0)) return { missing: 'no data: the run has no duration' };
      const ok = snapshot.counters.messages.ok;
      return {
        value: ok / (snapshot.durationMs / 1000),
        detail: `${ok} messages accepted in ${snapshot.durationMs} ms`,
      };
    }
  }
}

/** The snapshot figure for each percentile a summary carries (0 and 100 are min and max). */
const SUMMARY_FIELDS = new Map<number, keyof HistogramSnapshot>([
  [0, 'min'],
  [50, 'p50'],
  [90, 'p90'],
  [99, 'p99'],
  [99.9, 'p999'],
  [100, 'max'],
]);

function measureLatency(
  metric: Extract<ThresholdMetric, { kind: 'latency' }>,
  snapshot: LoadSnapshot,
  decoded: Map<string, LatencyHistogram | string>,
): Measure {
  const histogram = histogramOf(metric.target, snapshot);
  if (histogram === undefined || histogram.count === 0) {
    return { missing: `no data: no ${metric.target} values were recorded` };
  }
  const field =
    metric.stat === 'percentile' ? SUMMARY_FIELDS.get(metric.percentile ?? -1) : metric.stat;
  if (field !== undefined) {
    return { value: Math.round((histogram[field] as number) * 1000) };
  }
  let full = decoded.get(metric.target);
  if (full === undefined) {
    const result = decodeHistogram(histogram.histogram);
    full = result.ok ? result.histogram : result.message;
    decoded.set(metric.target, full);
  }
  if (typeof full === 'string')
    return { missing: `no data: the ${metric.target} histogram: ${full}` };
  return { value: full.valueAtPercentile(metric.percentile ?? 0)! };
}

function histogramOf(target: string, snapshot: LoadSnapshot): HistogramSnapshot | undefined {
  return (PHASES as readonly string[]).includes(target)
    ? snapshot.phases[target as Phase]
    : snapshot.named[target as keyof LoadSnapshot['named']];
}

function countOf(target: string, snapshot: LoadSnapshot): number {
  const counters = snapshot.counters;
  switch (target) {
    case 'errors':
      return total(counters.errors);
    case 'failed':
      return counters.messages.failed;
    case 'dropped':
      return counters.dropped;
    case '2xx':
    case '4xx':
    case '5xx':
      return repliesOfClass(counters, target);
    default:
      return histogramOf(target, snapshot)?.count ?? 0;
  }
}

function measureRate(target: string, counters: CountersSnapshot): Measure {
  const attempted = counters.messages.attempted;
  if (target === 'errors' || target === 'failed') {
    if (attempted === 0) return { missing: 'no data: no messages were attempted' };
    const n = target === 'errors' ? total(counters.errors) : counters.messages.failed;
    return ratio(n, attempted, 'messages attempted');
  }
  const replies = repliesOfClass(counters, 'all');
  if (replies === 0) return { missing: 'no data: no replies were counted' };
  const n = repliesOfClass(counters, target);
  return ratio(n, replies, 'replies');
}

function ratio(n: number, of: number, what: string): Measure {
  return { value: n / of, percent: (n * 100) / of, detail: `${n} of ${of} ${what}` };
}

/** Replies of a class over all commands; `2xx` counts every code below 400, as outcomes do. */
function repliesOfClass(counters: CountersSnapshot, klass: string): number {
  let sum = 0;
  for (const byCode of Object.values(counters.codes)) {
    for (const [code, n] of Object.entries(byCode)) {
      const c = Number(code);
      const of = c >= 500 ? '5xx' : c >= 400 ? '4xx' : '2xx';
      if (klass === 'all' || klass === of) sum += n;
    }
  }
  return sum;
}

function reportUnit(metric: ThresholdMetric): ReportUnit {
  switch (metric.kind) {
    case 'latency':
      return 'ms';
    case 'rate':
      return '%';
    case 'throughput':
      return '/s';
    case 'count':
      return 'count';
  }
}

function toReportUnit(metric: ThresholdMetric, value: number): number {
  if (metric.kind === 'latency') return value / 1000;
  if (metric.kind === 'rate') return value * 100;
  return value;
}

/** Three decimals, or three significant digits below 1, without trailing zeros. */
function format(n: number): string {
  return String(Math.abs(n) < 1 ? Number(n.toPrecision(3)) : Math.round(n * 1000) / 1000);
}
