import { build } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import {
  COUNTS_LENGTH,
  highestMicrosAt,
  indexOfMicros,
  LatencyHistogram,
  lowestMicrosAt,
  MAX_MICROS,
} from '../../src/metrics/latency-histogram.js';

/** mulberry32: a small seeded generator, so every run draws the same values. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hdrReference() {
  return build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: MAX_MICROS,
    numberOfSignificantValueDigits: 3,
  });
}

describe('the bucket layout', () => {
  it('puts every value where hdr-histogram-js puts it', () => {
    const reference = hdrReference() as unknown as { countsArrayIndex(v: number): number };
    const random = seeded(1);
    const values = [
      0,
      1,
      2047,
      2048,
      2049,
      4095,
      4096,
      5000,
      1_048_576,
      MAX_MICROS - 1,
      MAX_MICROS,
    ];
    for (let i = 0; i < 2000; i++) values.push(Math.floor(2 ** (random() * 31.7)));
    for (const v of values)
      expect(indexOfMicros(v), `value ${v}`).toBe(reference.countsArrayIndex(v));
    expect(COUNTS_LENGTH).toBe(indexOfMicros(MAX_MICROS) + 1);
  });

  it('maps each index back to the range of values it holds', () => {
    for (const index of [0, 1, 2047, 2048, 2049, 3071, 3072, 10_000, COUNTS_LENGTH - 1]) {
      expect(indexOfMicros(lowestMicrosAt(index))).toBe(index);
      expect(indexOfMicros(highestMicrosAt(index))).toBe(index);
      expect(indexOfMicros(highestMicrosAt(index) + 1)).toBe(index + 1);
    }
  });
});

describe('LatencyHistogram.summarise', () => {
  it('gives HdrHistogram figures in ms for 1..10000 µs', () => {
    const h = new LatencyHistogram();
    for (let v = 1; v <= 10_000; v++) h.record(v);
    // 5000 µs lies in a bucket of width 4 (4096..8191 µs): 5000..5003.
    expect(h.summarise()).toEqual({
      count: 10_000,
      min: 0.001,
      mean: 5.001,
      p50: 5.003,
      p90: 9.007,
      p99: 9.903,
      p999: 9.991,
      max: 10.007,
    });
  });

  it('agrees with hdr-histogram-js on random data, percentile by percentile', () => {
    const random = seeded(7);
    const h = new LatencyHistogram();
    const reference = hdrReference();
    for (let i = 0; i < 20_000; i++) {
      const v = Math.floor(200 + 50_000 * random() ** 3);
      h.record(v);
      reference.recordValue(v);
    }
    for (const p of [0.1, 1, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100]) {
      expect(h.valueAtPercentile(p), `p${p}`).toBe(reference.getValueAtPercentile(p));
    }
    expect(h.meanMicros()).toBeCloseTo(reference.mean, 6);
  });

  it('is all zeros with count 0 when nothing was recorded', () => {
    const h = new LatencyHistogram();
    expect(h.summarise()).toEqual({
      count: 0,
      min: 0,
      mean: 0,
      p50: 0,
      p90: 0,
      p99: 0,
      p999: 0,
      max: 0,
    });
    expect(h.valueAtPercentile(99)).toBeUndefined();
  });

  it('keeps a 0 µs value as the minimum', () => {
    const h = new LatencyHistogram();
    h.record(0);
    h.record(300);
    expect(h.summarise().min).toBe(0);
  });
});

describe('LatencyHistogram.record clamping', () => {
  it('records values above 1 h at 1 h and counts them', () => {
    const h = new LatencyHistogram();
    h.record(MAX_MICROS + 1);
    h.record(Infinity);
    h.record(MAX_MICROS);
    expect(h.count).toBe(3);
    expect(h.clamped).toBe(2);
    expect(h.valueAtPercentile(100)).toBe(highestMicrosAt(indexOfMicros(MAX_MICROS)));
    expect(h.valueAtPercentile(0)).toBe(lowestMicrosAt(indexOfMicros(MAX_MICROS)));
  });

  it('records negative values and NaN as 0 and counts them', () => {
    const h = new LatencyHistogram();
    h.record(-5);
    h.record(Number.NaN);
    h.record(12);
    expect(h.clamped).toBe(2);
    expect(h.valuesAtPercentiles([0, 50, 100])).toEqual([0, 0, 12]);
  });

  it('puts a fraction into the bucket of its integer part', () => {
    const h = new LatencyHistogram();
    h.record(12.9);
    expect(h.valueAtPercentile(50)).toBe(12);
    expect(h.clamped).toBe(0);
  });
});

describe('LatencyHistogram.add and reset', () => {
  it('adds counts and clamped values, and resets to empty', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.record(100);
    b.record(300);
    b.record(-1);
    a.add(b);
    expect(a.count).toBe(3);
    expect(a.clamped).toBe(1);
    expect(a.valuesAtPercentiles([0, 100])).toEqual([0, 300]);
    a.reset();
    expect(a.count).toBe(0);
    expect(a.clamped).toBe(0);
    expect(a.counts.every((n) => n === 0)).toBe(true);
  });
});
