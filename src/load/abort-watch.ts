import type { PhaseRecorder } from '../metrics/phase-recorder.js';
import { parseThreshold } from '../metrics/threshold-parser.js';
import { evaluateThreshold } from '../metrics/threshold-evaluator.js';
import type { Threshold } from '../metrics/threshold-model.js';
import { fastNowMicros } from './fast-clock.js';

/**
 * Thresholds with `abort: true`, checked once per interval on one thread's data. A breach on
 * any thread stops the whole run. Only thresholds that can be decided early are checked before
 * the end: a "no data" verdict (nothing measured yet) does not abort.
 */
export class AbortWatch {
  private readonly thresholds: Threshold[];

  constructor(expressions: readonly string[]) {
    this.thresholds = expressions.flatMap((e) => {
      const parsed = parseThreshold(e);
      return parsed.ok ? [parsed.threshold] : [];
    });
  }

  get active(): boolean {
    return this.thresholds.length > 0;
  }

  /** The first breached threshold, if any. */
  check(recorder: PhaseRecorder): { expression: string; reason: string } | undefined {
    if (!this.active) return undefined;
    const snapshot = recorder.snapshot(fastNowMicros());
    for (const threshold of this.thresholds) {
      const verdict = evaluateThreshold(threshold, snapshot);
      if (!verdict.ok && verdict.actual !== undefined)
        return { expression: verdict.expression, reason: verdict.reason };
    }
    return undefined;
  }
}
