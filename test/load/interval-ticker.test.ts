import { describe, expect, it } from 'vitest';
import { fastNowMicros } from '../../src/load/fast-clock.js';
import { IntervalTicker } from '../../src/load/interval-ticker.js';

/**
 * The series ticker: a tick before its interval's boundary would leave that interval open until
 * the next tick, so one interval would hold two intervals' messages. Node's timers may fire up
 * to a millisecond early against the fast clock; the ticker must never tick early.
 */
describe('IntervalTicker', () => {
  it('ticks once per interval, never before the boundary, from a start that lies ahead', async () => {
    // Made at the end of a busy callback, as a run is: Node's timers count from the time the
    // event loop cached when this turn began, 5 ms ago, so a plain setTimeout fires early.
    await new Promise((resolve) => setImmediate(resolve));
    const busyUntil = fastNowMicros() + 5_000;
    while (fastNowMicros() < busyUntil);
    const startMicros = fastNowMicros() + 37_300; // a lead, not a whole number of ms
    const intervalMs = 7;
    const ticks: number[] = [];
    const ticker = new IntervalTicker(startMicros, intervalMs, () => ticks.push(fastNowMicros()));
    await new Promise((resolve) => setTimeout(resolve, 37 + 30 * intervalMs));
    ticker.stop();
    expect(ticks.length).toBeGreaterThanOrEqual(10);
    ticks.forEach((at, k) => {
      // The k-th tick closes interval k: it comes after boundary k + 1, and no tick is skipped
      // or doubled (each lands in its own interval, allowing for a late timer).
      const interval = Math.floor((at - startMicros) / (intervalMs * 1000));
      expect(at, `tick ${k}`).toBeGreaterThanOrEqual(startMicros + (k + 1) * intervalMs * 1000);
      expect(interval).toBeGreaterThanOrEqual(k + 1);
    });
  });

  it('stops: no tick after stop()', async () => {
    let ticks = 0;
    const ticker = new IntervalTicker(fastNowMicros(), 5, () => ticks++);
    ticker.stop();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ticks).toBe(0);
  });
});
