/**
 * The few statistics the load bench reports: the median of repeated runs with their range, and
 * the least-squares slope of a series (memory growth).
 */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Runs behind the figure. */
  n: number;
}

/** Median, min and max of `values` (NaN everywhere when there are none). */
export function spreadOf(values: readonly number[]): Spread {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const mid = n >> 1;
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[n - 1]!, n };
}

/** The spread's half-range relative to its median, in percent (`±x%` in the tables). */
export function relativeSpread(s: Spread): number {
  return s.median === 0 ? 0 : ((s.max - s.min) / 2 / Math.abs(s.median)) * 100;
}

/** Slope of the least-squares line through (x, y): change of y per unit of x. */
export function slopeOf(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export const round = (n: number, digits = 3): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};
