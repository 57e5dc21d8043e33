import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import {
  formatTickValue,
  niceTicks,
  percentileTicks,
  percentileToX,
  renderPercentileChart,
  renderStackedBar,
  renderTimeSeriesChart,
  SERIES_COLOURS,
} from '../../src/report/html/svg-chart.js';

/** libxml2's parser errors for an SVG string (empty: well-formed XML). */
async function xmlErrors(svg: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'chart.svg', contents: svg }],
    normalization: 'format',
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}

/** `<tag a="…" …>` start tags as attribute maps. */
function elements(svg: string, tag: string): Record<string, string>[] {
  return [...svg.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
  );
}

/** The text of every `<text class="tick">`, in order. */
function tickLabels(svg: string): string[] {
  return [...svg.matchAll(/<text class="tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

/** The points of a series path `d="M x,y L x,y …"`. */
function pathPoints(d: string): [number, number][] {
  return [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/** An HdrHistogram-style percentile distribution: value grows as the nines do. */
const DISTRIBUTION = [0, 50, 75, 90, 99, 99.9, 99.99, 100].map((p, i) => ({ x: p, y: 1 + i * 2 }));

describe('the percentile axis', () => {
  it('maps a percentile to log10(1 / (1 - p)): one unit per decade of nines', () => {
    expect(percentileToX(0)).toBe(0);
    expect(percentileToX(90)).toBeCloseTo(1, 9);
    expect(percentileToX(99)).toBeCloseTo(2, 9);
    expect(percentileToX(99.9)).toBeCloseTo(3, 9);
    expect(percentileToX(99.99)).toBeCloseTo(4, 9);
    expect(percentileToX(100)).toBe(Infinity);
    expect(percentileToX(-5)).toBe(0);
  });

  it('labels the decades 0%, 90%, 99%, 99.9%, 99.99% …', () => {
    expect(percentileTicks(4).map((t) => t.label)).toEqual(['0%', '90%', '99%', '99.9%', '99.99%']);
    expect(percentileTicks(6).at(-1)).toEqual({ value: 6, label: '99.9999%' });
  });
});

describe('niceTicks', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks(0, 9.2)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 0.7, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(0, 12, 4)).toEqual([0, 5, 10, 15]);
    expect(niceTicks(-3, 7)).toEqual([-4, -2, 0, 2, 4, 6, 8]);
  });

  it('gives a usable axis for an empty or flat range', () => {
    expect(niceTicks(0, 0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(5, 5)[0]).toBeLessThanOrEqual(5);
    expect(niceTicks(5, 5).at(-1)).toBeGreaterThanOrEqual(10);
    expect(niceTicks(NaN, 1)).toEqual([0, 1]);
  });

  it('writes tick values short', () => {
    expect([0.25, 40, 1500, 20_000, 1_500_000, 0.1 + 0.2].map(formatTickValue)).toEqual([
      '0.25',
      '40',
      '1500',
      '20k',
      '1.5M',
      '0.3',
    ]);
  });
});

describe('renderPercentileChart', () => {
  const svg = renderPercentileChart({
    title: 'eod latency',
    yLabel: 'latency (ms)',
    series: [{ name: 'eod', points: DISTRIBUTION }],
  });

  it('is a well-formed, self-contained SVG with a title for screen readers', async () => {
    expect(await xmlErrors(svg)).toEqual([]);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" [^>]*role="img"/);
    expect(svg).toContain('<title>eod latency</title>');
    expect(svg).not.toMatch(/href|url\(|<script|<image/);
  });

  it('spaces the decades of nines evenly, and draws the maximum at the right edge', () => {
    expect(tickLabels(svg).slice(0, 5)).toEqual(['0%', '90%', '99%', '99.9%', '99.99%']);
    const xTicks = elements(svg, 'text')
      .filter((t) => t.class === 'tick' && t['text-anchor'] === 'middle')
      .map((t) => Number(t.x));
    const gaps = xTicks.slice(1).map((x, i) => x - xTicks[i]!);
    for (const gap of gaps) expect(gap).toBeCloseTo(gaps[0]!, 0);
    const [path] = elements(svg, 'path').filter((p) => p.class === 'series s0');
    const points = pathPoints(path!.d!);
    expect(points).toHaveLength(DISTRIBUTION.length);
    expect(points[0]![0]).toBe(xTicks[0]);
    expect(points.find((_, i) => DISTRIBUTION[i]!.x === 90)![0]).toBeCloseTo(xTicks[1]!, 0);
    expect(points.find((_, i) => DISTRIBUTION[i]!.x === 99.9)![0]).toBeCloseTo(xTicks[3]!, 0);
    expect(points.at(-1)![0]).toBe(xTicks.at(-1));
    // y grows upwards: later points (higher values) are higher on the page.
    for (let i = 1; i < points.length; i++) expect(points[i]![1]).toBeLessThan(points[i - 1]![1]);
  });

  it('extends the axis when the data reaches further nines, up to 99.9999%', () => {
    const deep = renderPercentileChart({
      title: 't',
      yLabel: 'ms',
      series: [{ name: 's', points: [...DISTRIBUTION, { x: 99.9995, y: 30 }] }],
    });
    expect(tickLabels(deep)).toContain('99.9999%');
    expect(tickLabels(deep)).not.toContain('99.99999%');
  });

  it('scales y from 0 to a round value above the largest', () => {
    const yTicks = elements(svg, 'text')
      .filter((t) => t.class === 'tick' && t['text-anchor'] === 'end')
      .map((t) => Number(t.y));
    const labels = tickLabels(svg).slice(5);
    expect(labels[0]).toBe('0');
    expect(Number(labels.at(-1))).toBeGreaterThanOrEqual(15);
    expect(yTicks[0]).toBeGreaterThan(yTicks.at(-1)!);
  });
});

describe('renderTimeSeriesChart', () => {
  const series = [
    { name: 'messages/s', points: [0, 1, 2, 3, 4].map((x) => ({ x, y: 100 + x * 10 })) },
    { name: 'errors/s', points: [0, 1, 2, 3, 4].map((x) => ({ x, y: x % 2 })) },
    { name: 'p99 <ms> & "more"', points: [{ x: 2, y: 40 }] },
  ];
  const svg = renderTimeSeriesChart({
    title: 'Throughput',
    xLabel: 'time (s)',
    yLabel: 'per second',
    series,
  });

  it('is well-formed, with a legend entry in its own colour for each series', async () => {
    expect(await xmlErrors(svg)).toEqual([]);
    const swatches = elements(svg, 'rect').filter((r) => r.class?.startsWith('swatch'));
    expect(swatches.map((s) => s.fill)).toEqual(SERIES_COLOURS.slice(0, 3));
    expect(svg).toContain('>messages/s</text>');
    expect(svg).toContain('>errors/s</text>');
  });

  it('escapes series names and titles', async () => {
    expect(svg).toContain('p99 &lt;ms&gt; &amp; &quot;more&quot;');
    expect(svg).not.toContain('<ms>');
    const hostile = renderTimeSeriesChart({
      title: '</svg><script>alert(1)</script>',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ name: '"/><script>', points: [{ x: 0, y: 1 }] }],
    });
    expect(hostile).not.toContain('<script');
    expect(await xmlErrors(hostile)).toEqual([]);
  });

  it('draws a line per series, a lone point as a dot, and x ticks over the data', () => {
    const paths = elements(svg, 'path').filter((p) => p.class?.startsWith('series'));
    expect(paths.map((p) => p.stroke)).toEqual(SERIES_COLOURS.slice(0, 2));
    expect(pathPoints(paths[0]!.d!)).toHaveLength(5);
    expect(elements(svg, 'circle')).toHaveLength(1);
    const xLabels = tickLabels(svg).slice(0, 5);
    expect(xLabels[0]).toBe('0');
    expect(Number(xLabels.at(-1))).toBeGreaterThanOrEqual(4);
    expect(svg).toContain('>time (s)</text>');
    expect(svg).toContain('>per second</text>');
  });

  it('says "no data" for series without points, and skips values that are not finite', async () => {
    const empty = renderTimeSeriesChart({ title: 'e', xLabel: 'x', yLabel: 'y', series: [] });
    expect(empty).toContain('>no data</text>');
    expect(await xmlErrors(empty)).toEqual([]);
    const gappy = renderTimeSeriesChart({
      title: 'g',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ name: 's', points: [0, NaN, 2, Infinity, 4].map((y, x) => ({ x, y })) }],
    });
    expect(gappy).not.toMatch(/NaN|Infinity/);
    const [path] = elements(gappy, 'path').filter((p) => p.class === 'series s0');
    expect(pathPoints(path!.d!)).toHaveLength(3);
  });
});

describe('renderStackedBar', () => {
  it('splits 100 units by share, in order, and names the parts', async () => {
    const svg = renderStackedBar([
      { className: 'v-passed', value: 6, label: 'passed' },
      { className: 'v-failed', value: 0, label: 'failed' },
      { className: 'v-skipped', value: 2, label: 'skipped' },
    ]);
    expect(await xmlErrors(svg)).toEqual([]);
    const rects = elements(svg, 'rect').filter((r) => r.class !== 'track');
    expect(rects.map((r) => [r.class, Number(r.x), Number(r.width)])).toEqual([
      ['v-passed', 0, 75],
      ['v-skipped', 75, 25],
    ]);
    expect(svg).toContain('aria-label="passed 6, skipped 2"');
  });

  it('is an empty track when there is nothing to show', () => {
    const svg = renderStackedBar([{ className: 'v-passed', value: 0, label: 'passed' }]);
    expect(elements(svg, 'rect').map((r) => r.class)).toEqual(['track']);
    expect(svg).toContain('aria-label="no cases"');
  });
});
