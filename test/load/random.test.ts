import { describe, expect, it } from 'vitest';
import { quantile, Random, WeightedChoice } from '../../src/load/random.js';
import { DEFAULT_SIZE_DISTRIBUTION, type Distribution } from '../../src/suite/profile-model.js';

const draws = (random: Random, n: number): number[] =>
  Array.from({ length: n }, () => random.nextUint32());

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

describe('Random (xoshiro128**)', () => {
  it('matches the reference implementation from state {1, 2, 3, 4}', () => {
    // Blackman and Vigna's xoshiro128starstar.c, as in rand_xoshiro's reference test.
    expect(draws(Random.fromState(1, 2, 3, 4), 10)).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597,
      4258142804,
    ]);
  });

  it('repeats its sequence for the same seed and stream, and only then', () => {
    expect(draws(new Random(42), 1000)).toEqual(draws(new Random(42), 1000));
    expect(draws(Random.stream(42, 7), 100)).toEqual(draws(new Random(42, 7), 100));
    const first = draws(new Random(42), 100);
    expect(draws(new Random(43), 100)).not.toEqual(first);
    expect(draws(new Random(42, 1), 100)).not.toEqual(first);
    expect(draws(new Random(2 ** 40 + 42), 100)).not.toEqual(first);
  });

  it('gives streams that do not track each other', () => {
    // Consecutive stream indices must not produce correlated first draws.
    const firsts = Array.from({ length: 1000 }, (_, i) => new Random(1, i).nextFloat());
    const mean = firsts.reduce((a, b) => a + b, 0) / firsts.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(new Set(firsts).size).toBe(1000);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => new Random(1.5)).toThrow(RangeError);
    expect(() => new Random(Number.NaN)).toThrow(RangeError);
    expect(() => new Random(1, 2 ** 60)).toThrow(RangeError);
  });

  it('draws floats in [0, 1) with mean 1/2 and integers over the whole inclusive range', () => {
    const random = new Random(3);
    let sum = 0;
    let outside = 0;
    const seen = new Map<number, number>();
    for (let i = 0; i < 60_000; i++) {
      const f = random.nextFloat();
      if (!(f >= 0 && f < 1)) outside++;
      sum += f;
      const n = random.nextInt(-2, 3);
      seen.set(n, (seen.get(n) ?? 0) + 1);
    }
    expect(outside).toBe(0);
    expect(sum / 60_000).toBeCloseTo(0.5, 1);
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    for (const count of seen.values()) expect(Math.abs(count - 10_000)).toBeLessThan(600);
  });
});

describe('quantile and sampling of a Distribution', () => {
  const table: Distribution = {
    kind: 'empirical',
    points: [
      { upTo: 100, cumulative: 0.5 },
      { upTo: 300, cumulative: 1 },
    ],
  };

  it('interpolates linearly inside an empirical bucket, the first one starting at 0', () => {
    expect(quantile(table, 0)).toBe(0);
    expect(quantile(table, 0.25)).toBe(50);
    expect(quantile(table, 0.5)).toBe(100);
    expect(quantile(table, 0.75)).toBe(200);
    expect(quantile(table, 0.999999)).toBeCloseTo(300, 3);
  });

  it('takes a first point with cumulative 0 as the lower bound', () => {
    const bounded: Distribution = {
      kind: 'empirical',
      points: [
        { upTo: 1000, cumulative: 0 },
        { upTo: 2000, cumulative: 1 },
      ],
    };
    expect(quantile(bounded, 0)).toBe(1000);
    expect(quantile(bounded, 0.5)).toBe(1500);
  });

  it('handles fixed and uniform', () => {
    expect(quantile({ kind: 'fixed', value: 7 }, 0.3)).toBe(7);
    expect(quantile({ kind: 'uniform', min: 10, max: 20 }, 0.3)).toBe(13);
    const random = new Random(5);
    const ints = new Set(
      Array.from({ length: 2000 }, () => random.sampleInt({ kind: 'uniform', min: 1, max: 4 })),
    );
    expect([...ints].sort()).toEqual([1, 2, 3, 4]);
    expect(random.sampleInt({ kind: 'fixed', value: 2.6 })).toBe(3);
  });

  it('keeps P(X < upTo) = cumulative for integer draws from an empirical table', () => {
    const recipients: Distribution = {
      kind: 'empirical',
      points: [
        { upTo: 1, cumulative: 0 },
        { upTo: 2, cumulative: 0.7 },
        { upTo: 5, cumulative: 1 },
      ],
    };
    const random = new Random(11);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 50_000; i++) counts[random.sampleInt(recipients)]!++;
    expect(counts[0]).toBe(0);
    expect(counts[1]! / 50_000).toBeCloseTo(0.7, 1);
    expect(counts[5]).toBe(0);
    expect(counts[2]! + counts[3]! + counts[4]!).toBeGreaterThan(14_000);
  });

  it('reproduces the default size mix: median near 4 KB, shares at the table points', () => {
    const random = new Random(1);
    const sizes = Array.from({ length: 200_000 }, () => random.sample(DEFAULT_SIZE_DISTRIBUTION));
    // The table's median: 4096 + (0.5 - 0.492) / (0.676 - 0.492) * 4096 = 4274 octets.
    expect(median(sizes)).toBeGreaterThan(4274 * 0.97);
    expect(median(sizes)).toBeLessThan(4274 * 1.03);
    const below = (limit: number): number => sizes.filter((s) => s < limit).length / sizes.length;
    expect(below(2048)).toBeCloseTo(0.235, 2);
    expect(below(16 * 1024)).toBeCloseTo(0.796, 2);
    expect(below(1024 * 1024)).toBeCloseTo(0.985, 2);
    expect(sizes.reduce((a, b) => Math.max(a, b), 0)).toBeLessThanOrEqual(10 * 1024 * 1024);
  });
});

describe('WeightedChoice', () => {
  it('picks in proportion to the weights and never a zero weight', () => {
    const choice = new WeightedChoice([
      { value: 'none', weight: 0.5 },
      { value: 'never', weight: 0 },
      { value: 'starttls', weight: 0.3 },
      { value: 'implicit', weight: 0.2 },
    ]);
    const random = new Random(9);
    const counts = new Map<string, number>();
    for (let i = 0; i < 40_000; i++) {
      const value = choice.pick(random);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    expect(counts.get('never')).toBeUndefined();
    expect(counts.get('none')! / 40_000).toBeCloseTo(0.5, 1);
    expect(counts.get('starttls')! / 40_000).toBeCloseTo(0.3, 1);
    expect(counts.get('implicit')! / 40_000).toBeCloseTo(0.2, 1);
  });

  it('rejects negative, non-finite and all-zero weights', () => {
    expect(() => new WeightedChoice([{ value: 1, weight: -1 }])).toThrow(RangeError);
    expect(() => new WeightedChoice([{ value: 1, weight: Infinity }])).toThrow(RangeError);
    expect(() => new WeightedChoice([{ value: 1, weight: 0 }])).toThrow(RangeError);
  });
});
