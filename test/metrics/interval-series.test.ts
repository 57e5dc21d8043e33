import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/metrics/histogram-codec.js';
import { compactionPair, IntervalSeries } from '../../src/metrics/interval-series.js';
import { LatencyHistogram } from '../../src/metrics/latency-histogram.js';
import type { SeriesInterval } from '../../src/metrics/series-interval.js';

const widths = (intervals: readonly SeriesInterval[]): number[] =>
  intervals.map((i) => i.durationMs);

function closed(series: IntervalSeries, elapsedMs: number): SeriesInterval[] {
  // A snapshot exactly at an interval boundary holds no open interval.
  return series.snapshot(elapsedMs, 0).intervals;
}

describe('IntervalSeries ticks', () => {
  it('closes intervals on the nominal grid; a late tick closes all overdue ones', () => {
    const series = new IntervalSeries(1000, 100);
    series.messageEnded(true, 1000);
    series.messageEnded(false, 3000);
    series.countError();
    series.countReply(250);
    series.countReply(250);
    series.countReply(550);
    series.advance(999.9, 4);
    expect(closed(series, 999.9)).toHaveLength(1); // only the open one
    series.advance(3500, 7);
    const intervals = series.snapshot(3500, 7).intervals;
    expect(intervals.map((i) => [i.startMs, i.durationMs])).toEqual([
      [0, 1000],
      [1000, 1000],
      [2000, 1000],
      [3000, 500],
    ]);
    expect(intervals[0]).toMatchObject({
      messages: 2,
      failed: 1,
      errors: 1,
      codes: { '250': 2, '550': 1 },
      activeSessions: 7,
      p50: 1,
      p99: 3.001, // 3000 µs: bucket 3000..3001
    });
    expect(intervals[1]).toMatchObject({ messages: 0, errors: 0, codes: {}, p50: null });
  });

  it('rejects an interval that is not positive and a cap below 2', () => {
    expect(() => new IntervalSeries(0)).toThrow(RangeError);
    expect(() => new IntervalSeries(1000, 1)).toThrow(RangeError);
  });
});

describe('IntervalSeries compaction', () => {
  it('combines the first equal pair of the narrowest width, keeping at most the cap', () => {
    const series = new IntervalSeries(1000, 4);
    const seen: number[][] = [];
    for (let k = 1; k <= 9; k++) {
      series.advance(k * 1000, k);
      seen.push(widths(closed(series, k * 1000)).map((w) => w / 1000));
    }
    expect(seen).toEqual([
      [1],
      [1, 1],
      [1, 1, 1],
      [1, 1, 1, 1],
      [2, 1, 1, 1],
      [2, 2, 1, 1],
      [2, 2, 2, 1],
      [2, 2, 2, 2],
      [4, 2, 2, 1],
    ]);
  });

  it('keeps every count, a contiguous dyadic grid and the later active-session value', () => {
    // With a cap of 6 an equal pair exists whenever one is needed up to 2^7 - 2 = 126 intervals.
    const series = new IntervalSeries(500, 6);
    let messages = 0;
    for (let k = 1; k <= 126; k++) {
      for (let m = 0; m < k % 7; m++) {
        series.messageEnded(m !== 0, 100 * k + m);
        messages++;
      }
      series.advance(k * 500, k);
      const intervals = closed(series, k * 500);
      expect(intervals.length).toBeLessThanOrEqual(6);
      let next = 0;
      for (const interval of intervals) {
        expect(interval.startMs).toBe(next);
        const multiple = interval.durationMs / 500;
        expect(Number.isInteger(Math.log2(multiple)), `width ${interval.durationMs}`).toBe(true);
        expect(interval.startMs % interval.durationMs).toBe(0);
        next += interval.durationMs;
      }
      expect(next).toBe(k * 500);
      expect(intervals.at(-1)!.activeSessions).toBe(k);
    }
    const intervals = closed(series, 126 * 500);
    expect(widths(intervals)).toEqual([64, 32, 16, 8, 4, 2].map((w) => w * 500));
    expect(intervals.reduce((sum, i) => sum + i.messages, 0)).toBe(messages);
    const widthsNonIncreasing = widths(intervals).every((w, i, all) => i === 0 || w <= all[i - 1]!);
    expect(widthsNonIncreasing).toBe(true);
  });

  it('gives a combined interval the exact percentiles of all its values', () => {
    const series = new IntervalSeries(1000, 2);
    const all = new LatencyHistogram();
    const values = [
      [120, 130, 9000],
      [400, 410, 420, 50_000],
      [7, 8],
    ];
    values.forEach((batch, k) => {
      for (const v of batch) {
        series.messageEnded(true, v);
        all.record(v);
      }
      series.advance((k + 1) * 1000, 0);
    });
    const intervals = closed(series, 3000);
    expect(widths(intervals)).toEqual([2000, 1000]);
    const merged = decodeHistogram(intervals[0]!.histogram);
    expect(merged.ok && merged.histogram.count).toBe(7);
    const firstTwo = new LatencyHistogram();
    for (const v of [...values[0]!, ...values[1]!]) firstTwo.record(v);
    const [p50, p90, p99] = firstTwo.valuesAtPercentiles([50, 90, 99]);
    expect([intervals[0]!.p50, intervals[0]!.p90, intervals[0]!.p99]).toEqual(
      [p50, p90, p99].map((us) => us! / 1000),
    );
  });

  it('falls back to the pair of least combined width when no two widths are equal', () => {
    const at = (...w: number[]) =>
      compactionPair(w.map((durationMs, i) => ({ durationMs, startMs: i }) as SeriesInterval));
    expect(at(4, 2, 2, 1, 1)).toBe(3);
    expect(at(4, 4, 2, 1)).toBe(0);
    expect(at(4, 2, 1)).toBe(1);
    expect(at(64, 32, 16, 8, 4, 2, 1)).toBe(5);
  });
});
