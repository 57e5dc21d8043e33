import { describe, expect, it } from 'vitest';
import { RateSchedule } from '../../src/load/rate-schedule.js';

const span = { file: 'p.yaml', line: 1, col: 1, offset: 0, length: 1 };

function all(schedule: RateSchedule): number[] {
  const out: number[] = [];
  for (let at = schedule.next(); at !== undefined; at = schedule.next()) out.push(at);
  return out;
}

describe('RateSchedule', () => {
  it('places constant-rate starts at k / rate from the run start', () => {
    const starts = all(new RateSchedule({ rate: 100, stages: [], startRate: 0 }, 1000));
    expect(starts).toHaveLength(100);
    expect(starts[0]).toBeCloseTo(10, 9);
    expect(starts[99]).toBeCloseTo(1000, 9);
    expect(starts[49]! - starts[48]!).toBeCloseTo(10, 9);
  });

  it('ramps linearly: the starts due by t follow the integral of the rate', () => {
    const model = { stages: [{ durationMs: 10_000, rate: 1000, span }], startRate: 0 };
    const schedule = new RateSchedule(model, 10_000);
    const starts = all(schedule);
    // ∫₀¹⁰ 100·t dt = 5000 starts; half of them in the last 2.93 s (t = 10/√2).
    expect(starts).toHaveLength(5000);
    expect(starts[2499]).toBeCloseTo(10_000 / Math.SQRT2, 0);
    expect(schedule.dueBy(5000)).toBeCloseTo(1250, 6);
  });

  it('holds the last stage rate until the end of the run', () => {
    const model = { stages: [{ durationMs: 1000, rate: 200, span }], startRate: 200 };
    const starts = all(new RateSchedule(model, 3000));
    expect(starts).toHaveLength(600);
  });

  it('splits the schedule over workers without losing or moving a start', () => {
    const model = { rate: 333, stages: [], startRate: 0 };
    const single = all(new RateSchedule(model, 2000));
    const shards = [0, 1, 2].map((w) => all(new RateSchedule(model, 2000, w, 3)));
    const merged = shards.flat().sort((a, b) => a - b);
    expect(merged).toEqual(single);
    expect(shards.map((s) => s.length)).toEqual([222, 222, 222]);
  });

  it('starts nothing at rate 0 and never runs past the duration', () => {
    expect(all(new RateSchedule({ rate: 0, stages: [], startRate: 0 }, 1000))).toEqual([]);
    const down = { stages: [{ durationMs: 1000, rate: 0, span }], startRate: 100 };
    const starts = all(new RateSchedule(down, 2000));
    expect(starts).toHaveLength(50);
    expect(Math.max(...starts)).toBeLessThanOrEqual(1000);
  });
});
