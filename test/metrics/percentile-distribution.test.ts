import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/metrics/latency-histogram.js';
import {
  DISTRIBUTION_PERCENTILES,
  percentileDistribution,
  snapshotHistogram,
} from '../../src/metrics/load-snapshot.js';
import { mergeSnapshots } from '../../src/metrics/merge-snapshots.js';
import { PhaseRecorder } from '../../src/metrics/phase-recorder.js';

function histogramOf(values: Iterable<number>): LatencyHistogram {
  const histogram = new LatencyHistogram();
  for (const value of values) histogram.record(value);
  return histogram;
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('the percentile distribution of a histogram snapshot', () => {
  it('steps through the halvings to 100 and the round nines, in order', () => {
    expect(DISTRIBUTION_PERCENTILES.slice(0, 6)).toEqual([0, 50, 75, 87.5, 90, 93.75]);
    expect(DISTRIBUTION_PERCENTILES).toContain(99.999);
    expect(DISTRIBUTION_PERCENTILES.at(-1)).toBe(99.9992);
    expect(DISTRIBUTION_PERCENTILES.length).toBeLessThanOrEqual(40);
    const sorted = [...DISTRIBUTION_PERCENTILES].sort((a, b) => a - b);
    expect(DISTRIBUTION_PERCENTILES).toEqual(sorted);
  });

  it('gives the value at each percentile the histogram can resolve, then the maximum', () => {
    const histogram = histogramOf(range(1, 10_000));
    const distribution = snapshotHistogram(histogram).distribution;
    // 10,000 values resolve percentiles up to 99.99: 14 halvings, 4 round nines, then 100.
    expect(distribution.map(([p]) => p)).toEqual([
      0, 50, 75, 87.5, 90, 93.75, 96.875, 98.4375, 99, 99.2188, 99.6094, 99.8047, 99.9, 99.9023,
      99.9512, 99.9756, 99.9878, 99.99, 100,
    ]);
    const expected = histogram.valuesAtPercentiles(distribution.map(([p]) => p));
    expect(distribution.map(([, ms]) => ms)).toEqual(expected.map((us) => us / 1000));
    const summary = histogram.summarise();
    expect(distribution[0]).toEqual([0, summary.min]);
    expect(distribution.at(-1)).toEqual([100, summary.max]);
    expect(distribution.find(([p]) => p === 99)![1]).toBe(summary.p99);
    for (let i = 1; i < distribution.length; i++)
      expect(distribution[i]![1]).toBeGreaterThanOrEqual(distribution[i - 1]![1]);
  });

  it('is [min, max] for one value, and empty for no value', () => {
    expect(percentileDistribution(histogramOf([1500]))).toEqual([
      [0, 1.5],
      [100, 1.5],
    ]);
    expect(percentileDistribution(histogramOf(range(1, 4)))).toEqual([
      [0, 0.001],
      [50, 0.002],
      [75, 0.003],
      [100, 0.004],
    ]);
    expect(percentileDistribution(new LatencyHistogram())).toEqual([]);
  });

  it('is recomputed from the merged histogram when snapshots are merged', () => {
    const options = { startMicros: 0, intervalMs: 1000 };
    const fast = new PhaseRecorder(options);
    const slow = new PhaseRecorder(options);
    for (const us of range(100, 1099)) fast.record('eod', '2xx', us);
    for (const us of range(50_000, 50_099)) slow.record('eod', '2xx', us);
    slow.recordNamed('schedule-lag', 700);
    const merged = mergeSnapshots(fast.snapshot(1_000_000), slow.snapshot(1_000_000));
    if (!merged.ok) throw new Error(merged.problems.join('\n'));
    const eod = merged.snapshot.phases.eod!;
    const all = histogramOf([...range(100, 1099), ...range(50_000, 50_099)]);
    expect(eod.distribution).toEqual(percentileDistribution(all));
    expect(eod.byOutcome['2xx']!.distribution).toEqual(eod.distribution);
    // The tail belongs to the slow shard: p99 of the merge is in its range.
    expect(eod.distribution.find(([p]) => p === 99)![1]).toBeGreaterThan(50);
    expect(merged.snapshot.named['schedule-lag']!.distribution).toEqual([
      [0, 0.7],
      [100, 0.7],
    ]);
  });
});
