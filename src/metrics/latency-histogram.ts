import { microsToMillis } from '../core/clock.js';

/**
 * A latency histogram in microseconds, bucketed exactly like an HdrHistogram with lowest
 * discernible value 1 µs, highest trackable value `MAX_MICROS` (1 h) and 3 significant digits:
 * values below 2,048 µs have their own bucket, above that each power of two is split into 1,024
 * buckets, so a value is known to within 1/1,024 (under 0.1 %).
 *
 * Why not hdr-histogram-js's `recordValue`: its JS build costs about 170 ns per value on this
 * project's machines and its WASM build needs asynchronous set-up and an explicit `destroy()`.
 * Here a record is one increment in a `Uint32Array` at the index HdrHistogram itself would use
 * (a few ns; docs/metrics.md has figures). hdr-histogram-js stays the interchange format: `histogram-codec.ts` encodes and
 * decodes these counts as HdrHistogram V2 compressed base64, bucket for bucket.
 *
 * Contracts:
 * - `record(µs)`: a value above `MAX_MICROS` (or Infinity) is recorded as `MAX_MICROS`; a
 *   negative value or NaN as 0. Both are counted in `clamped`. A fraction falls into the bucket
 *   of its integer part.
 * - A bucket counts up to 2^32 - 1 values.
 * - Summaries follow HdrHistogram's definitions (Java `getValueAtPercentile`, `getMaxValue`,
 *   `getMinValue`, `getMean`): a percentile is the highest value equivalent to the bucket that
 *   holds it; `max` likewise; `min` the lowest value of the lowest non-empty bucket; `mean` uses
 *   each bucket's middle value. So every figure is a function of the bucket counts alone and
 *   survives encoding and merging unchanged.
 */
export const MAX_MICROS = 3_600_000_000;

/** log2 of the sub-buckets in half a power-of-two bucket (HdrHistogram `subBucketHalfCountMagnitude`). */
const HALF_MAGNITUDE = 10;
const HALF_COUNT = 1 << HALF_MAGNITUDE;
/** `21 - clz32(v)` is floor(log2 v) - HALF_MAGNITUDE: the power-of-two bucket of v (≤ 0: bucket 0). */
const BUCKET_SHIFT = 31 - HALF_MAGNITUDE;

/** The counts index of a value in [0, MAX_MICROS]; the same index HdrHistogram computes. */
export function indexOfMicros(micros: number): number {
  const value = micros >>> 0;
  const bucket = BUCKET_SHIFT - Math.clz32(value);
  return bucket > 0 ? (bucket << HALF_MAGNITUDE) + (value >>> bucket) : value;
}

/** The lowest value that falls into counts index `index`. */
export function lowestMicrosAt(index: number): number {
  const bucket = (index >> HALF_MAGNITUDE) - 1;
  if (bucket <= 0) return index;
  return ((index & (HALF_COUNT - 1)) + HALF_COUNT) * 2 ** bucket;
}

/** How many values share counts index `index` (1 below 2,048 µs, then 2, 4, 8, …). */
export function bucketWidthAt(index: number): number {
  const bucket = (index >> HALF_MAGNITUDE) - 1;
  return bucket <= 0 ? 1 : 2 ** bucket;
}

/** The highest value that falls into counts index `index`. */
export function highestMicrosAt(index: number): number {
  return lowestMicrosAt(index) + bucketWidthAt(index) - 1;
}

export const COUNTS_LENGTH = indexOfMicros(MAX_MICROS) + 1;

/** Latency figures in milliseconds, three decimals (1 µs). All 0 when `count` is 0. */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** The percentiles a summary carries, in the order of `LatencySummary`. */
const SUMMARY_PERCENTILES = [50, 90, 99, 99.9] as const;

export class LatencyHistogram {
  /** Count per HdrHistogram bucket index; read-only outside this layer's codec. */
  readonly counts = new Uint32Array(COUNTS_LENGTH);
  private total = 0;
  private clampedValues = 0;
  /** The highest index with a count (-1: none); loops stop there. */
  private top = -1;

  /** Values recorded (clamped ones included). */
  get count(): number {
    return this.total;
  }

  /** Values that were outside [0, MAX_MICROS] and recorded at the nearest end. */
  get clamped(): number {
    return this.clampedValues;
  }

  /** The highest counts index holding a value, -1 when empty. */
  get highestIndex(): number {
    return this.top;
  }

  record(micros: number): void {
    let value = micros;
    if (!(value >= 0)) {
      value = 0;
      this.clampedValues++;
    } else if (value > MAX_MICROS) {
      value = MAX_MICROS;
      this.clampedValues++;
    }
    const index = indexOfMicros(value);
    this.counts[index]!++;
    if (index > this.top) this.top = index;
    this.total++;
  }

  /** Adds `count` values at counts index `index` (the codec's way in), plus clamped values. */
  addAtIndex(index: number, count: number): void {
    this.counts[index]! += count;
    if (count > 0 && index > this.top) this.top = index;
    this.total += count;
  }

  addClamped(count: number): void {
    this.clampedValues += count;
  }

  /** Adds every value of `other` to this histogram. */
  add(other: LatencyHistogram): void {
    const mine = this.counts;
    const theirs = other.counts;
    for (let i = 0; i <= other.top; i++) mine[i]! += theirs[i]!;
    this.top = Math.max(this.top, other.top);
    this.total += other.total;
    this.clampedValues += other.clampedValues;
  }

  reset(): void {
    this.counts.fill(0, 0, this.top + 1);
    this.top = -1;
    this.total = 0;
    this.clampedValues = 0;
  }

  /**
   * Values in µs at the given percentiles (each in [0, 100], ascending), as HdrHistogram's
   * `getValueAtPercentile`: percentile 0 gives the lowest recorded bucket's lowest value.
   * Empty when nothing was recorded.
   */
  valuesAtPercentiles(percentiles: readonly number[]): number[] {
    if (this.total === 0) return [];
    const out: number[] = [];
    let index = 0;
    let cumulative = this.counts[0]!;
    for (const percentile of percentiles) {
      const wanted = countAtPercentile(percentile, this.total);
      while (cumulative < wanted && index < this.top) cumulative += this.counts[++index]!;
      out.push(percentile === 0 ? lowestMicrosAt(index) : highestMicrosAt(index));
    }
    return out;
  }

  /** One percentile in µs, or undefined when nothing was recorded. */
  valueAtPercentile(percentile: number): number | undefined {
    return this.valuesAtPercentiles([percentile])[0];
  }

  /** Mean in µs (bucket middles, as HdrHistogram), or undefined when nothing was recorded. */
  meanMicros(): number | undefined {
    if (this.total === 0) return undefined;
    const counts = this.counts;
    const top = this.top;
    let sum = 0;
    // Below 2,048 µs a bucket is one value wide: its middle is the value, its index.
    for (let i = 0; i <= Math.min(top, 2 * HALF_COUNT - 1); i++) sum += i * counts[i]!;
    // Bucket b (index (b + 1) × 1024 + s) holds [(1024 + s) × 2^b, +2^b); middle + 2^(b - 1).
    for (let start = 2 * HALF_COUNT, width = 2; start <= top; start += HALF_COUNT, width *= 2) {
      const end = Math.min(top, start + HALF_COUNT - 1);
      for (let i = start; i <= end; i++) {
        const n = counts[i]!;
        if (n !== 0) sum += ((i - start + HALF_COUNT) * width + width / 2) * n;
      }
    }
    return sum / this.total;
  }

  summarise(): LatencySummary {
    if (this.total === 0) {
      return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    }
    const [min, p50, p90, p99, p999, max] = this.valuesAtPercentiles([
      0,
      ...SUMMARY_PERCENTILES,
      100,
    ]).map(microsToMillis);
    return {
      count: this.total,
      min: min!,
      mean: microsToMillis(this.meanMicros()!),
      p50: p50!,
      p90: p90!,
      p99: p99!,
      p999: p999!,
      max: max!,
    };
  }
}

/**
 * How many values lie at or below a percentile, rounded up as HdrHistogram does: the product
 * is first lowered by one unit in the last place, so floating-point noise cannot skip a value.
 */
function countAtPercentile(percentile: number, total: number): number {
  const exact = (Math.min(percentile, 100) / 100) * total;
  return Math.max(Math.ceil(exact - ulp(exact)), 1);
}

function ulp(x: number): number {
  return x === 0 ? 0 : 2 ** (Math.floor(Math.log2(x)) - 52);
}
