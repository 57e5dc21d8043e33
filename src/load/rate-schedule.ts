import type { OpenModel } from '../suite/profile-model.js';

/**
 * When the open model starts things: absolute offsets (ms from the run's start) of the k-th
 * start, k = 1, 2, …, from a rate that is constant or moves linearly through stages.
 *
 *   r(t)  rate per second at t: `rate`, or linear from `startRate` through each stage's end
 *         rate; after the last stage the last rate holds until the run's end
 *   N(t)  = ∫₀ᵗ r, the number of starts due by t
 *   t_k   the time where N(t_k) = k
 *
 * Each offset is computed from the run's start, never from the previous start, so a late
 * start does not shift the ones after it (no drift, no coordinated omission). A run split over
 * W workers gives worker w the starts with k ≡ w (mod W): together they keep the exact schedule.
 */
interface Segment {
  /** Start and end, ms from the run's start. */
  from: number;
  to: number;
  /** Rate per ms at `from`, and its change per ms. */
  rate: number;
  slope: number;
  /** N at `from`. */
  before: number;
}

export class RateSchedule {
  private readonly segments: Segment[];
  private index = 0;
  private k: number;

  constructor(
    model: Pick<OpenModel, 'rate' | 'stages' | 'startRate'>,
    private readonly durationMs: number,
    private readonly worker = 0,
    private readonly workers = 1,
  ) {
    this.segments = buildSegments(model, durationMs);
    this.k = worker + 1;
  }

  /** The next start of this worker, ms from the run's start; undefined once past the end. */
  next(): number | undefined {
    const at = this.offsetOf(this.k);
    if (at === undefined || at > this.durationMs) return undefined;
    this.k += this.workers;
    return at;
  }

  /** Starts due by `ms` in the whole schedule (all workers), N(ms). */
  dueBy(ms: number): number {
    const segment = this.segments.find((s) => ms <= s.to) ?? this.segments.at(-1);
    if (!segment) return 0;
    const t = Math.min(ms, segment.to) - segment.from;
    return segment.before + segment.rate * t + (segment.slope * t * t) / 2;
  }

  private offsetOf(k: number): number | undefined {
    while (this.index < this.segments.length) {
      const s = this.segments[this.index]!;
      const inside = solve(s, k - s.before);
      if (inside !== undefined && s.from + inside <= s.to) return s.from + inside;
      this.index++;
    }
    return undefined;
  }
}

/** Time τ ≥ 0 into the segment where it has made `m` starts, if it ever does. */
function solve(s: Segment, m: number): number | undefined {
  if (Math.abs(s.slope) < 1e-15) return s.rate > 0 ? m / s.rate : undefined;
  const disc = s.rate * s.rate + 2 * s.slope * m;
  if (disc < 0) return undefined;
  return (-s.rate + Math.sqrt(disc)) / s.slope;
}

function buildSegments(
  model: Pick<OpenModel, 'rate' | 'stages' | 'startRate'>,
  durationMs: number,
): Segment[] {
  const points: { at: number; rate: number }[] = [];
  if (model.rate !== undefined || model.stages.length === 0) {
    const rate = model.rate ?? model.startRate;
    points.push({ at: 0, rate }, { at: durationMs, rate });
  } else {
    let at = 0;
    points.push({ at, rate: model.startRate });
    for (const stage of model.stages) {
      at += stage.durationMs;
      points.push({ at, rate: stage.rate });
    }
    if (at < durationMs) points.push({ at: durationMs, rate: model.stages.at(-1)!.rate });
  }
  const segments: Segment[] = [];
  let before = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const length = b.at - a.at;
    if (length <= 0) continue;
    const rate = a.rate / 1000;
    const slope = (b.rate - a.rate) / 1000 / length;
    segments.push({ from: a.at, to: b.at, rate, slope, before });
    before += rate * length + (slope * length * length) / 2;
  }
  return segments;
}
