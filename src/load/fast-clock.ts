import { nowMicros } from '../core/clock.js';

/**
 * The load engine's monotonic µs clock: `performance.now()` shifted onto the base of core's
 * `nowMicros()` (process.hrtime), so a time from either clock can be subtracted from the other.
 *
 * Why not `nowMicros()` itself: on Node 20 (x64) `Number(process.hrtime.bigint() / 1000n)` costs
 * about 95 ns a call against about 64 ns for `performance.now()` (5M calls each, measured
 * 2026-11, docs/performance.md), and the hot path reads the clock several times per message.
 * Both read the same monotonic source (uv_hrtime); the offset is taken once at start-up as the
 * median of 15 bracketed samples, accurate to a few µs. The result is fractional µs.
 */
const OFFSET_MICROS = calibrate();

export function fastNowMicros(): number {
  return performance.now() * 1000 + OFFSET_MICROS;
}

function calibrate(): number {
  const offsets: number[] = [];
  for (let i = 0; i < 16; i++) {
    const before = nowMicros();
    const fast = performance.now() * 1000;
    const after = nowMicros();
    if (i > 0) offsets.push((before + after) / 2 - fast); // the first sample is cold
  }
  offsets.sort((a, b) => a - b);
  return offsets[offsets.length >> 1]!;
}
