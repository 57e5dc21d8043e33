import { fastNowMicros } from './fast-clock.js';

/**
 * Calls `tick` just after each interval boundary `startMicros + k × intervalMs` (k = 1, 2, …),
 * which may lie ahead of now (the lead). Each wait is aimed at the next boundary on the fast
 * clock, 1 ms past it: a timer may fire up to a millisecond early, and a tick before the
 * boundary would leave the interval open until the next one (two intervals' worth in one).
 */
export class IntervalTicker {
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMicros: number;

  constructor(
    private readonly startMicros: number,
    intervalMs: number,
    private readonly tick: () => void,
  ) {
    this.intervalMicros = intervalMs * 1000;
    this.arm();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    const now = fastNowMicros();
    const passed = Math.max(0, Math.floor((now - this.startMicros) / this.intervalMicros));
    const boundary = this.startMicros + (passed + 1) * this.intervalMicros;
    this.timer = setTimeout(
      () => {
        this.tick();
        if (this.timer) this.arm();
      },
      Math.ceil((boundary - now) / 1000) + 1,
    );
  }
}
