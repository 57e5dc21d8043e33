import type { Distribution } from '../suite/profile-model.js';

/**
 * The seeded pseudo-random source of the load engine: every random choice of a run (message
 * shapes, sizes, recipients, TLS mix) is drawn from it, so the same seed gives the same run.
 *
 * Algorithm: xoshiro128** 1.1 (Blackman and Vigna, https://prng.di.unimi.it/xoshiro128starstar.c),
 * 128 bits of state, period 2^128 - 1, 32-bit outputs; about 5 ns per draw in V8.
 *
 *   result = rotl(s1 * 5, 7) * 9
 *   t = s1 << 9;  s2 ^= s0;  s3 ^= s1;  s1 ^= s2;  s0 ^= s3;  s2 ^= t;  s3 = rotl(s3, 11)
 *
 * Seeding: the state is filled by SplitMix32 from a 32-bit hash of (seed, stream), so every
 * (seed, stream) pair, e.g. (run seed, worker index) or (run seed, session number), gives an
 * independent-looking stream. Streams are not proven disjoint (there is no jump-ahead), but with
 * a 2^128 period, overlap between a few million streams of a run is vanishingly unlikely.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** `seed` and `stream` are safe integers (negative allowed); other values throw a RangeError. */
  constructor(seed: number, stream = 0) {
    let x = mix32(mix32(mix32(lowWord(seed, 'seed') ^ 0x5851f42d) ^ highWord(seed)) ^ 0x2545f491);
    x = mix32(mix32(x ^ lowWord(stream, 'stream')) ^ highWord(stream));
    this.s0 = splitMix32(x);
    this.s1 = splitMix32(x + 1);
    this.s2 = splitMix32(x + 2);
    this.s3 = splitMix32(x + 3);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the one forbidden state
  }

  /** An independent stream derived from (seed, index): `new Random(seed, index)`. */
  static stream(seed: number, index: number): Random {
    return new Random(seed, index);
  }

  /** A generator in the given raw state (known-answer tests); not all zero. */
  static fromState(s0: number, s1: number, s2: number, s3: number): Random {
    const random = new Random(0);
    [random.s0, random.s1, random.s2, random.s3] = [s0 | 0, s1 | 0, s2 | 0, s3 | 0];
    return random;
  }

  /** Uniform in [0, 2^32). */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1), in steps of 2^-32. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive (integers; a range of at most 2^32). */
  nextInt(min: number, max: number): number {
    return min + Math.floor(this.nextFloat() * (max - min + 1));
  }

  /** A draw from `dist` as a real number (see `quantile`). */
  sample(dist: Distribution): number {
    return quantile(dist, this.nextFloat());
  }

  /**
   * A draw from `dist` as an integer: `fixed` rounds its value, `uniform` is `nextInt` over the
   * integers in [min, max], `empirical` is the floor of the real draw, so `P(X < upTo) =
   * cumulative` holds for every integer `upTo`.
   */
  sampleInt(dist: Distribution): number {
    switch (dist.kind) {
      case 'fixed':
        return Math.round(dist.value);
      case 'uniform':
        return this.nextInt(Math.ceil(dist.min), Math.floor(dist.max));
      case 'empirical':
        return Math.floor(quantile(dist, this.nextFloat()));
    }
  }
}

/**
 * The inverse cumulative distribution function: the value below which a share `p` of the draws
 * fall, for `p` in [0, 1).
 *
 *   fixed      value
 *   uniform    min + p * (max - min)
 *   empirical  linear inside the bucket that holds p. Buckets run from one point to the next;
 *              the first starts at (0, 0), unless the first point has cumulative 0, in which
 *              case that point is the lower bound. A bucket with zero width in p is skipped.
 */
export function quantile(dist: Distribution, p: number): number {
  switch (dist.kind) {
    case 'fixed':
      return dist.value;
    case 'uniform':
      return dist.min + p * (dist.max - dist.min);
    case 'empirical':
      return empiricalQuantile(dist.points, p);
  }
}

function empiricalQuantile(points: readonly { upTo: number; cumulative: number }[], p: number) {
  let lowValue = 0;
  let lowP = 0;
  for (const point of points) {
    if (p < point.cumulative) {
      const width = point.cumulative - lowP;
      return width > 0 ? lowValue + ((p - lowP) / width) * (point.upTo - lowValue) : point.upTo;
    }
    lowValue = point.upTo;
    lowP = point.cumulative;
  }
  return lowValue; // p at or past the last cumulative (1, or a table that stops short of it)
}

/** A choice among values by weight (non-negative, not all zero), with the table built once. */
export class WeightedChoice<T> {
  private readonly values: T[];
  private readonly bounds: Float64Array;
  private readonly total: number;

  constructor(entries: readonly { value: T; weight: number }[]) {
    this.values = entries.map((entry) => entry.value);
    this.bounds = new Float64Array(entries.length);
    let total = 0;
    entries.forEach((entry, i) => {
      if (!(entry.weight >= 0) || !Number.isFinite(entry.weight)) {
        throw new RangeError(`weight ${i} must be a finite number >= 0, got ${entry.weight}`);
      }
      total += entry.weight;
      this.bounds[i] = total;
    });
    if (!(total > 0)) throw new RangeError('weights must not all be zero');
    this.total = total;
  }

  pick(random: Random): T {
    const u = random.nextFloat() * this.total;
    const bounds = this.bounds;
    const last = bounds.length - 1;
    let i = 0;
    while (i < last && u >= bounds[i]!) i++;
    return this.values[i]!;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The SplitMix32 output for state `x` (Vigna's splitmix64 reduced to 32 bits). */
function splitMix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) | 0;
}

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

function lowWord(n: number, name: string): number {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${name} must be a safe integer, got ${n}`);
  return n | 0;
}

function highWord(n: number): number {
  return Math.floor(n / 4294967296) | 0;
}
