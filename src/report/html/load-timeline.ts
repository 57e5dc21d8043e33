import type { SeriesInterval, SeriesSnapshot } from '../../metrics/series-interval.js';
import type { LoadReport } from '../load-report.js';
import { chartFigure } from './chart-figure.js';
import { formatMs, formatRate } from './display-format.js';
import { markup, type SafeHtml } from './html-template.js';
import {
  renderScatterChart,
  renderTimeSeriesChart,
  type ChartPoint,
  type ChartSeries,
} from './svg-chart.js';

/**
 * The run over time, from the snapshot's interval series (docs/metrics.md): `message` latency
 * percentiles, throughput, reply codes by class, failures and errors, latency against
 * throughput, active sessions.
 *
 * ```html
 * <div class="charts timeline">
 * <figure class="chart-card" data-chart="percentiles-over-time"><svg …>…</svg><figcaption>…</figcaption></figure>
 * … throughput-over-time, codes-over-time, failures-over-time, latency-vs-throughput, active-sessions
 * </div>
 * ```
 *
 * - x is seconds into the run; a value of an interval is drawn at the interval's middle, the
 *   active sessions (counted at an interval's end) at its end.
 * - Rates are counts / interval width: intervals may have been compacted to wider ones.
 * - An interval cut short at the end of the run (under half the base interval) is left out of
 *   the rates: its few messages over a few ms would be noise. Its latencies are kept.
 */
export const TIMELINE_CHARTS = [
  'percentiles-over-time',
  'throughput-over-time',
  'codes-over-time',
  'failures-over-time',
  'latency-vs-throughput',
  'active-sessions',
] as const;

/** Draw a dot on each point up to this many intervals; past it, lines only. */
const MARKER_LIMIT = 60;
const SIZE = { width: 540, height: 290 };

export function renderTimeline(report: LoadReport): SafeHtml {
  const series = report.load.snapshot.series;
  const intervals = series.intervals ?? [];
  const xMax = report.load.snapshot.durationMs / 1000;
  const markers = intervals.length <= MARKER_LIMIT;
  const time = { ...SIZE, xLabel: 'time into the run (s)', xMax, markers };
  const target = report.load.health.targetRate;
  const charts = [
    chartFigure(
      'percentiles-over-time',
      renderTimeSeriesChart({
        ...time,
        title: 'Message latency over time',
        yLabel: 'latency (ms)',
        series: percentileSeries(intervals),
      }),
      markup`p50, p90 and p99 of <code>message</code> latency (from each message's intended start) of the messages that ended in each interval.`,
    ),
    chartFigure(
      'throughput-over-time',
      renderTimeSeriesChart({
        ...time,
        title: 'Throughput over time',
        yLabel: 'messages/s',
        series: throughputSeries(series, target, xMax),
      }),
      `Messages that ended per second in each interval, accepted or not${target === undefined ? '' : '; dashed: the start rate the open model asked for, averaged over the run'}.`,
    ),
    chartFigure(
      'codes-over-time',
      renderTimeSeriesChart({
        ...time,
        title: 'Replies by class over time',
        yLabel: 'replies/s',
        series: replyClassSeries(series),
      }),
      'Replies per second to all commands, by class; 2xx counts every positive reply (1xx-3xx, so the 354 to DATA too).',
    ),
    chartFigure(
      'failures-over-time',
      renderTimeSeriesChart({
        ...time,
        title: 'Failures and errors over time',
        yLabel: 'per second',
        series: failureSeries(series),
      }),
      'Messages that failed (a negative reply, or an error) and errors (failures that are not a reply: timeouts, refused or reset connections, TLS) per second.',
    ),
    chartFigure(
      'latency-vs-throughput',
      renderScatterChart({
        ...SIZE,
        title: 'p99 latency against throughput',
        xLabel: 'messages/s',
        yLabel: 'p99 latency (ms)',
        legend: false,
        series: [{ name: 'one interval', points: latencyThroughputPoints(series) }],
      }),
      markup`One dot per interval: its throughput and the p99 of its <code>message</code> latency. Where p99 climbs while throughput stops growing, the server has reached its capacity.`,
    ),
    chartFigure(
      'active-sessions',
      renderTimeSeriesChart({
        ...time,
        title: 'Active sessions',
        yLabel: 'sessions',
        legend: false,
        series: [{ name: 'open sessions', points: activeSessionPoints(intervals) }],
      }),
      'SMTP sessions open at the end of each interval (over all threads).',
    ),
  ];
  return markup`<div class="charts timeline">
${charts}
</div>`;
}

const seconds = (ms: number) => ms / 1000;
const middle = (i: SeriesInterval) => seconds(i.startMs + i.durationMs / 2);
const perSecond = (count: number, i: SeriesInterval) => (count / i.durationMs) * 1000;

/** The intervals a rate is drawn for: all but one cut short at the end of the run. */
export function rateIntervals(series: SeriesSnapshot): SeriesInterval[] {
  return (series.intervals ?? []).filter(
    (i) => i.durationMs > 0 && i.durationMs >= series.intervalMs / 2,
  );
}

/** p50, p90 and p99 per interval; an interval in which no message ended has no point. */
export function percentileSeries(intervals: readonly SeriesInterval[]): ChartSeries[] {
  const pick = (key: 'p50' | 'p90' | 'p99'): ChartPoint[] =>
    intervals.flatMap((i) => (i[key] === null ? [] : [{ x: middle(i), y: i[key] }]));
  return [
    { name: 'p50', points: pick('p50') },
    { name: 'p90', points: pick('p90') },
    { name: 'p99', points: pick('p99') },
  ];
}

/**
 * Messages/s per interval, after the open model's target rate as a dashed line (drawn first,
 * so that a rate on target hides it rather than the other way round).
 */
export function throughputSeries(
  series: SeriesSnapshot,
  targetRate: number | undefined,
  xMax: number,
): ChartSeries[] {
  const messages: ChartSeries = {
    name: 'messages/s',
    slot: 0,
    points: rateIntervals(series).map((i) => ({ x: middle(i), y: perSecond(i.messages, i) })),
  };
  if (targetRate === undefined) return [messages];
  const target: ChartSeries = {
    name: 'target starts/s (run average)',
    slot: 5,
    dashed: true,
    points: [
      { x: 0, y: targetRate },
      { x: xMax, y: targetRate },
    ],
  };
  return [target, messages];
}

/** Failed messages/s and errors/s per interval. */
export function failureSeries(series: SeriesSnapshot): ChartSeries[] {
  const intervals = rateIntervals(series);
  return [
    {
      name: 'failed messages/s',
      slot: 1,
      points: intervals.map((i) => ({ x: middle(i), y: perSecond(i.failed, i) })),
    },
    {
      name: 'errors/s',
      slot: 3,
      points: intervals.map((i) => ({ x: middle(i), y: perSecond(i.errors, i) })),
    },
  ];
}

/** The reply classes: green for positive, orange for 4xx, vermillion for 5xx. */
const CLASSES = [
  { name: '2xx', slot: 2, test: (code: number) => code < 400 },
  { name: '4xx', slot: 4, test: (code: number) => code >= 400 && code < 500 },
  { name: '5xx', slot: 1, test: (code: number) => code >= 500 },
] as const;

/** Replies per second per class (2xx = 1xx-3xx, as the outcomes count them). */
export function replyClassSeries(series: SeriesSnapshot): ChartSeries[] {
  const intervals = rateIntervals(series);
  return CLASSES.map((c) => ({
    name: c.name,
    slot: c.slot,
    points: intervals.map((i) => {
      const count = Object.entries(i.codes ?? {})
        .filter(([code]) => c.test(Number(code)))
        .reduce((sum, [, n]) => sum + n, 0);
      return { x: middle(i), y: perSecond(count, i) };
    }),
  }));
}

/** Per interval with a p99: x = messages/s, y = p99 (ms), titled with the interval. */
export function latencyThroughputPoints(series: SeriesSnapshot): ChartPoint[] {
  return rateIntervals(series).flatMap((i) => {
    if (i.p99 === null) return [];
    const rate = perSecond(i.messages, i);
    const span = `${seconds(i.startMs)}-${seconds(i.startMs + i.durationMs)} s`;
    return [
      { x: rate, y: i.p99, label: `${span}: ${formatRate(rate)}/s, p99 ${formatMs(i.p99)} ms` },
    ];
  });
}

/** Sessions open at each interval's end. */
export function activeSessionPoints(intervals: readonly SeriesInterval[]): ChartPoint[] {
  return intervals.map((i) => ({ x: seconds(i.startMs + i.durationMs), y: i.activeSessions }));
}
