import { describe, expect, it } from 'vitest';
import {
  BEHIND_HOLD_MICROS,
  BEHIND_MICROS,
  MAX_OPENING,
  PoolGrowth,
} from '../../src/load/pool-growth.js';

/** When the open model's pool may open another session (open-model.ts drives it). */
describe('PoolGrowth', () => {
  const t0 = 5_000_000;

  it('opens while starts keep time, up to MAX_OPENING sessions opening at once', () => {
    const growth = new PoolGrowth();
    growth.started(t0, BEHIND_MICROS - 1);
    expect(growth.mayOpen(t0, 0, 20)).toBe(true);
    expect(growth.mayOpen(t0, MAX_OPENING - 1, 20)).toBe(true);
    expect(growth.mayOpen(t0, MAX_OPENING, 20)).toBe(false);
  });

  it('does not open for BEHIND_HOLD_MICROS after a start made BEHIND_MICROS late', () => {
    const growth = new PoolGrowth();
    growth.started(t0, BEHIND_MICROS);
    expect(growth.mayOpen(t0, 0, 1)).toBe(false);
    expect(growth.mayOpen(t0 + BEHIND_HOLD_MICROS - 1, 0, 1)).toBe(false);
    expect(growth.mayOpen(t0 + BEHIND_HOLD_MICROS, 0, 1)).toBe(true);
  });

  it('a later late start holds it again; an on-time one does not end the hold', () => {
    const growth = new PoolGrowth();
    growth.started(t0, 3 * BEHIND_MICROS);
    growth.started(t0 + 10, 0);
    expect(growth.mayOpen(t0 + 10, 0, 1)).toBe(false);
    growth.started(t0 + BEHIND_HOLD_MICROS - 1, BEHIND_MICROS);
    expect(growth.mayOpen(t0 + BEHIND_HOLD_MICROS, 0, 1)).toBe(false);
    expect(growth.mayOpen(t0 + 2 * BEHIND_HOLD_MICROS - 1, 0, 1)).toBe(true);
  });

  it('while behind, opens when no session is in use or opening (nothing else would come free)', () => {
    const growth = new PoolGrowth();
    growth.started(t0, 10 * BEHIND_MICROS);
    expect(growth.mayOpen(t0, 0, 0)).toBe(true);
    expect(growth.mayOpen(t0, 1, 0)).toBe(false);
    expect(growth.mayOpen(t0, 0, 1)).toBe(false);
  });

  it('opens from the first start, before any start was late', () => {
    expect(new PoolGrowth().mayOpen(0, 0, 5)).toBe(true);
  });
});
