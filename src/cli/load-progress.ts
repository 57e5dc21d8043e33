import type { LoadProgress } from '../metrics/phase-recorder.js';
import type { CliIo } from './io.js';

/**
 * The live progress line of a load run, on a terminal only (never in CI or a pipe):
 *
 *   12s  5213/s  p99 1.84 ms  ok 61420  failed 0  errors 0  dropped 0  sessions 8
 *
 * Rewritten in place on stderr about once a second; `done()` clears it. `note(text)` shows a
 * line of its own in the same place until the next update (the warm-up says it is running).
 */
export function progressPrinter(io: CliIo): {
  note(text: string): void;
  update(progress: LoadProgress, elapsedMs: number): void;
  done(): void;
} {
  const live = io.isTty && !io.env.CI;
  let shown = false;
  const show = (line: string): void => {
    if (!live) return;
    io.stderr(`\r\x1b[2K${line}`);
    shown = true;
  };
  return {
    note: show,
    update(progress, elapsedMs) {
      show(progressLine(progress, elapsedMs));
    },
    done() {
      if (shown) io.stderr('\r\x1b[2K');
    },
  };
}

export function progressLine(p: LoadProgress, elapsedMs: number): string {
  const last = p.lastInterval;
  const rate =
    last && last.durationMs > 0 ? Math.round((last.messages / last.durationMs) * 1000) : 0;
  const p99 = last?.p99 === null || last === undefined ? '-' : `${last.p99.toFixed(2)} ms`;
  return [
    `${Math.round(elapsedMs / 1000)}s`,
    `${rate}/s`,
    `p99 ${p99}`,
    `ok ${p.ok}`,
    `failed ${p.failed}`,
    `errors ${p.errors}`,
    `dropped ${p.dropped}`,
    `sessions ${p.active}`,
  ].join('  ');
}
