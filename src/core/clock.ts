/**
 * A monotonic clock in microseconds. Latencies and transcript offsets use it; wall time
 * (`Date`) is only for the `startedAt` stamp of a report.
 */
export function nowMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Milliseconds with three decimals (microsecond resolution), for reports. */
export function microsToMillis(micros: number): number {
  return Math.round(micros) / 1000;
}
