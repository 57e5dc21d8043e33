import { markup, type SafeHtml } from './html-template.js';

/**
 * Chart primitives for the HTML report: pure functions from numbers to inline SVG strings,
 * with no script and no external reference (colours and fonts come from the page's CSS, with
 * attribute fallbacks so a chart also stands alone). For example, `renderTimeSeriesChart` with
 * one series of three points (0, 400), (1, 480), (2, 510):
 *
 * ```svg
 * <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 640 300" width="640" height="300" role="img" font-family="system-ui, sans-serif" font-size="11">
 * <title>Throughput</title><desc>1 series: messages/s; x: time (s); y: messages/s</desc>
 * <text class="chart-title" x="56" y="18" font-size="13" font-weight="600" fill="currentColor">Throughput</text>
 * <g class="legend"><rect class="swatch s0" x="56" y="36" width="14" height="4" rx="1" fill="#0072b2"/><text x="75" y="40" fill="currentColor">messages/s</text></g>
 * <path class="grid" d="M56,52V252M193,52V252…M56,52H604" fill="none" stroke="currentColor" stroke-opacity="0.12"/>
 * <g class="axis" fill="currentColor">
 * <path d="M56,52V252H604" fill="none" stroke="currentColor" stroke-opacity="0.5"/>
 * <text class="tick" x="56" y="268" text-anchor="middle">0</text>…<text class="tick" x="604" y="268" text-anchor="middle">2</text>
 * <text class="tick" x="50" y="256" text-anchor="end">0</text>…<text class="tick" x="50" y="56" text-anchor="end">600</text>
 * <text class="axis-label" x="330" y="290" text-anchor="middle">time (s)</text>
 * <text class="axis-label" x="14" y="152" text-anchor="middle" transform="rotate(-90 14 152)">messages/s</text>
 * </g>
 * <path class="series s0" d="M56,118.7L330,92L604,82" fill="none" stroke="#0072b2" stroke-width="1.75" stroke-linejoin="round"><title>messages/s</title></path>
 * </svg>
 * ```
 *
 * - `renderPercentileChart`: a latency distribution HdrHistogram-style: x is the percentile on
 *   a log scale of 1/(1 − p), so each decade of nines gets the same width (ticks 0%, 90%, 99%,
 *   99.9%, 99.99%; up to 99.9999% when the data reaches further; the 100th percentile, the
 *   maximum, is drawn at the right edge), y is the value, linear from 0.
 * - `renderTimeSeriesChart`: several series over a linear x (seconds into the run, say), with
 *   optional dots on the points (`markers`), dashed reference lines, and an x axis that ends
 *   at `xMax` (the run's end), so that charts of one run line up.
 * - `renderScatterChart`: points without lines over linear x and y from 0 (latency against
 *   throughput, one dot per interval), each dot titled with its `label`.
 * - `renderStackedBar`: one horizontal bar split by share (verdicts per suite).
 */
export interface ChartPoint {
  x: number;
  y: number;
  /** The dot's tooltip in a scatter chart (default: the series name). */
  label?: string;
}

export interface ChartSeries {
  name: string;
  points: readonly ChartPoint[];
  /** The colour: an index into SERIES_COLOURS (default: the series' own index). */
  slot?: number;
  /** A dashed line (a reference, such as a target rate, rather than a measurement). */
  dashed?: boolean;
}

export interface ChartSize {
  width?: number;
  height?: number;
  /** Draw the legend (default true); without it the plot starts under the title. */
  legend?: boolean;
}

export interface PercentileChartOptions extends ChartSize {
  title: string;
  /** Points with `x` a percentile in [0, 100] (100 is the maximum) and `y` its value. */
  series: readonly ChartSeries[];
  /** The value axis, with its unit: `latency (ms)`. */
  yLabel: string;
}

export interface TimeSeriesChartOptions extends ChartSize {
  title: string;
  series: readonly ChartSeries[];
  xLabel: string;
  yLabel: string;
  /**
   * The x axis ends here exactly (or at the last point, if further), ticks past it left out:
   * the run's length, so that time charts line up and end with the run.
   */
  xMax?: number;
  /** A dot on every point, not only on a lone one. */
  markers?: boolean;
}

export type ScatterChartOptions = Omit<TimeSeriesChartOptions, 'markers'>;

export interface Tick {
  value: number;
  label: string;
}

/** Okabe–Ito colours (distinguishable with the common colour-vision deficiencies). */
export const SERIES_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];

const DEFAULT_WIDTH = 640;
const DEFAULT_HEIGHT = 300;
/** Decades of nines a percentile chart always spans (to 99.99%), and at most (99.9999%). */
const MIN_DECADES = 4;
const MAX_DECADES = 6;
/** Room for the y tick labels and axis label; the last x tick label (`99.999%`) needs 36 px. */
const MARGIN = { left: 56, right: 36, bottom: 48 };

/** x of a percentile chart: log10(1 / (1 − p/100)); 0% → 0, 90% → 1, 99% → 2, 100% → ∞. */
export function percentileToX(percentile: number): number {
  if (percentile >= 100) return Infinity;
  return Math.log10(1 / (1 - Math.max(0, percentile) / 100));
}

/** Ticks 0%, 90%, 99%, 99.9%, … up to `decades` nines. */
export function percentileTicks(decades: number): Tick[] {
  return Array.from({ length: decades + 1 }, (_, d) => ({
    value: d,
    label: d === 0 ? '0%' : d === 1 ? '90%' : d === 2 ? '99%' : `99.${'9'.repeat(d - 2)}%`,
  }));
}

/**
 * About `count` round tick values (steps of 1, 2, 2.5 or 5 × 10^k) covering [min, max]: the
 * first tick is at or below min, the last at or above max.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max <= min) max = min === 0 ? 1 : min + Math.abs(min);
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = magnitude * ([1, 2, 2.5, 5].find((m) => raw / magnitude <= m + 1e-9) ?? 10);
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const ticks: number[] = [];
  for (let i = Math.floor(min / step + 1e-9); ; i++) {
    ticks.push(Number((i * step).toFixed(decimals)));
    if (ticks.at(-1)! >= max - step * 1e-9) return ticks;
  }
}

/** A tick value as short text: `0.25`, `40`, `1500`, `20k`, `1.5M`. */
export function formatTickValue(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6 && value % 1e5 === 0) return `${value / 1e6}M`;
  if (abs >= 1e4 && value % 100 === 0) return `${value / 1e3}k`;
  return String(Number(value.toPrecision(6)));
}

export function renderPercentileChart(options: PercentileChartOptions): string {
  const reach = Math.max(
    0,
    ...options.series.flatMap((s) =>
      s.points.map((p) => percentileToX(p.x)).filter((x) => Number.isFinite(x)),
    ),
  );
  const decades = Math.min(MAX_DECADES, Math.max(MIN_DECADES, Math.ceil(reach - 1e-9)));
  const series = options.series.map((s) => ({
    name: s.name,
    points: s.points.map((p) => ({ x: Math.min(decades, percentileToX(p.x)), y: p.y })),
  }));
  return renderPlot({ ...options, series, xLabel: 'percentile', xTicks: percentileTicks(decades) });
}

export function renderTimeSeriesChart(options: TimeSeriesChartOptions): string {
  const draw = options.markers ? 'lines+dots' : 'lines';
  const xs = xValues(options.series);
  const min = Math.min(0, ...xs);
  const max = Math.max(0, ...xs);
  if (options.xMax === undefined || Math.max(max, options.xMax) <= min)
    return renderPlot({ ...options, xTicks: niceTicks(min, max).map(tickOf), draw });
  const end = Math.max(max, options.xMax);
  const xTicks = niceTicks(min, end)
    .filter((t) => t <= end + 1e-9)
    .map(tickOf);
  return renderPlot({ ...options, xTicks, xDomain: [min, end], draw });
}

/** Both axes from 0 to a round value a little past the largest, so no dot sits on an edge. */
export function renderScatterChart(options: ScatterChartOptions): string {
  const xs = xValues(options.series);
  const xTicks = niceTicks(Math.min(0, ...xs), Math.max(0, ...xs) * SCATTER_HEADROOM).map(tickOf);
  return renderPlot({ ...options, xTicks, draw: 'dots', yHeadroom: SCATTER_HEADROOM });
}

const SCATTER_HEADROOM = 1.08;

function xValues(series: readonly ChartSeries[]): number[] {
  return series.flatMap((s) => s.points.map((p) => p.x)).filter(Number.isFinite);
}

interface Plot extends ChartSize {
  title: string;
  series: readonly ChartSeries[];
  xLabel: string;
  yLabel: string;
  xTicks: readonly Tick[];
  /** The x range drawn (default: the first to the last tick). */
  xDomain?: readonly [number, number];
  /** The y axis reaches at least the largest value times this (default 1). */
  yHeadroom?: number;
  /** How a series is drawn (default `lines`: a polyline, a lone point as a dot). */
  draw?: 'lines' | 'lines+dots' | 'dots';
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

type Scale = (value: number) => number;

function tickOf(value: number): Tick {
  return { value, label: formatTickValue(value) };
}

function renderPlot(plot: Plot): string {
  const width = plot.width ?? DEFAULT_WIDTH;
  const height = plot.height ?? DEFAULT_HEIGHT;
  const legend =
    plot.legend === false
      ? { markup: markup``, bottom: 20 }
      : layoutLegend(plot.series, MARGIN.left, width - MARGIN.right, 40);
  const box: Box = {
    left: MARGIN.left,
    right: width - MARGIN.right,
    top: legend.bottom + 12,
    bottom: height - MARGIN.bottom,
  };
  const ys = plot.series.flatMap((s) => s.points.map((p) => p.y)).filter(Number.isFinite);
  const yMax = Math.max(0, ...ys) * (plot.yHeadroom ?? 1);
  const yTicks = niceTicks(Math.min(0, ...ys), yMax, 4).map(tickOf);
  const [x0, x1] = plot.xDomain ?? [plot.xTicks[0]!.value, plot.xTicks.at(-1)!.value];
  const sx = scale(x0, x1, box.left, box.right);
  const sy = scale(yTicks[0]!.value, yTicks.at(-1)!.value, box.bottom, box.top);
  const names = plot.series.map((s) => s.name).join(', ');
  const desc = `${plot.series.length} series${names ? `: ${names}` : ''}; x: ${plot.xLabel}; y: ${plot.yLabel}`;
  const lines =
    ys.length === 0
      ? markup`<text class="no-data" x="${(box.left + box.right) / 2}" y="${(box.top + box.bottom) / 2}" text-anchor="middle" fill="currentColor" opacity="0.6">no data</text>`
      : plot.series.map((s, i) => seriesMarkup(s, i, sx, sy, plot.draw ?? 'lines'));
  return markup`<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="system-ui, sans-serif" font-size="11">
<title>${plot.title}</title><desc>${desc}</desc>
<text class="chart-title" x="${box.left}" y="18" font-size="13" font-weight="600" fill="currentColor">${plot.title}</text>
${legend.markup}
${grid(box, plot.xTicks, yTicks, sx, sy)}
${axes(box, plot, yTicks, sx, sy, height)}
${lines}
</svg>`.value;
}

function scale(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => round1(r0 + (v - d0) * k);
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

function grid(box: Box, xTicks: readonly Tick[], yTicks: readonly Tick[], sx: Scale, sy: Scale) {
  const vertical = xTicks.map((t) => `M${sx(t.value)},${box.top}V${box.bottom}`);
  const horizontal = yTicks.map((t) => `M${box.left},${sy(t.value)}H${box.right}`);
  return markup`<path class="grid" d="${[...vertical, ...horizontal].join('')}" fill="none" stroke="currentColor" stroke-opacity="0.12"/>`;
}

function axes(box: Box, plot: Plot, yTicks: readonly Tick[], sx: Scale, sy: Scale, height: number) {
  const xLabels = plot.xTicks.map(
    (t) =>
      markup`<text class="tick" x="${sx(t.value)}" y="${box.bottom + 16}" text-anchor="middle">${t.label}</text>`,
  );
  const yLabels = yTicks.map(
    (t) =>
      markup`<text class="tick" x="${box.left - 6}" y="${sy(t.value) + 4}" text-anchor="end">${t.label}</text>`,
  );
  const midX = round1((box.left + box.right) / 2);
  const midY = round1((box.top + box.bottom) / 2);
  return markup`<g class="axis" fill="currentColor">
<path d="M${box.left},${box.top}V${box.bottom}H${box.right}" fill="none" stroke="currentColor" stroke-opacity="0.5"/>
${xLabels}
${yLabels}
<text class="axis-label" x="${midX}" y="${height - 10}" text-anchor="middle">${plot.xLabel}</text>
<text class="axis-label" x="14" y="${midY}" text-anchor="middle" transform="rotate(-90 14 ${midY})">${plot.yLabel}</text>
</g>`;
}

function slotOf(series: ChartSeries, index: number): number {
  return (series.slot ?? index) % SERIES_COLOURS.length;
}

/**
 * A polyline through the finite points in x order, a lone point as a dot; with `lines+dots`
 * a dot on each point too (`class="marker"`); with `dots` only dots (`class="series point"`).
 */
function seriesMarkup(
  series: ChartSeries,
  index: number,
  sx: Scale,
  sy: Scale,
  draw: NonNullable<Plot['draw']>,
): SafeHtml {
  const slot = slotOf(series, index);
  const colour = SERIES_COLOURS[slot]!;
  const points = series.points
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    .sort((a, b) => a.x - b.x);
  if (points.length === 0) return markup``;
  if (draw === 'dots') {
    const dots = points.map(
      (p) =>
        markup`<circle class="series point s${slot}" cx="${sx(p.x)}" cy="${sy(p.y)}" r="4" fill="${colour}" fill-opacity="0.75"><title>${p.label ?? series.name}</title></circle>`,
    );
    return markup`<g class="points">${dots}</g>\n`;
  }
  if (points.length === 1)
    return markup`<circle class="series s${slot}" cx="${sx(points[0]!.x)}" cy="${sy(points[0]!.y)}" r="3" fill="${colour}"><title>${series.name}</title></circle>\n`;
  const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x)},${sy(p.y)}`).join('');
  const markers =
    draw === 'lines+dots' && !series.dashed
      ? points.map(
          (p) =>
            markup`<circle class="marker s${slot}" cx="${sx(p.x)}" cy="${sy(p.y)}" r="2.5" fill="${colour}"/>`,
        )
      : '';
  const dash = series.dashed ? markup` stroke-dasharray="6 4"` : '';
  return markup`<path class="series s${slot}" d="${d}" fill="none" stroke="${colour}" stroke-width="1.75" stroke-linejoin="round"${dash}><title>${series.name}</title></path>${markers}\n`;
}

/** Legend items left to right from `left`, wrapping before `right`, 18 px a row. */
function layoutLegend(
  series: readonly ChartSeries[],
  left: number,
  right: number,
  top: number,
): { markup: SafeHtml; bottom: number } {
  if (series.length === 0) return { markup: markup``, bottom: top - 12 };
  let x = left;
  let y = top;
  const items = series.map((s, i) => {
    const itemWidth = round1(30 + s.name.length * 6.2);
    if (x > left && x + itemWidth > right) {
      x = left;
      y += 18;
    }
    const slot = slotOf(s, i);
    const item = markup`<rect class="swatch s${slot}" x="${x}" y="${y - 4}" width="14" height="4" rx="1" fill="${SERIES_COLOURS[slot]}"/><text x="${x + 19}" y="${y}" fill="currentColor">${s.name}</text>`;
    x = round1(x + itemWidth);
    return item;
  });
  return { markup: markup`<g class="legend">${items}</g>`, bottom: y };
}

export interface BarSegment {
  /** CSS class of the segment (its colour comes from the page's stylesheet). */
  className: string;
  value: number;
  label: string;
}

/**
 * A horizontal bar split into segments by share of the total, in a 100 × 8 viewBox stretched
 * to its CSS size; its accessible name lists the non-zero segments (`passed 10, failed 2`).
 */
export function renderStackedBar(segments: readonly BarSegment[]): string {
  const total = segments.reduce((sum, s) => sum + Math.max(0, s.value), 0);
  const label =
    segments
      .filter((s) => s.value > 0)
      .map((s) => `${s.label} ${s.value}`)
      .join(', ') || 'no cases';
  let at = 0;
  const rects = segments.map((s) => {
    if (total === 0 || s.value <= 0) return '';
    const x0 = Math.round((at / total) * 10000) / 100;
    at += s.value;
    const x1 = Math.round((at / total) * 10000) / 100;
    const width = Math.round((x1 - x0) * 100) / 100;
    return markup`<rect class="${s.className}" x="${x0}" y="0" width="${width}" height="8" fill="currentColor"/>`;
  });
  return markup`<svg xmlns="http://www.w3.org/2000/svg" class="stacked-bar" viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-label="${label}"><title>${label}</title><rect class="track" x="0" y="0" width="100" height="8" fill="currentColor" fill-opacity="0.1"/>${rects}</svg>`
    .value;
}
