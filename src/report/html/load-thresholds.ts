import type { ThresholdVerdict } from '../../metrics/threshold-evaluator.js';
import { formatCount, formatMs, formatRate } from './display-format.js';
import { markup, type SafeHtml } from './html-template.js';

/**
 * The thresholds of a load run with their verdicts, in the order they were given (the
 * profile's, then `--threshold`'s). The one that stopped the run early is marked.
 *
 * ```html
 * <div class="table-wrap"><table class="thresholds" id="threshold-table">
 * <thead><tr><th scope="col">threshold</th><th scope="col" class="num">actual</th><th scope="col">verdict</th><th scope="col">reason</th></tr></thead>
 * <tbody><tr class="v-failed" data-threshold="p99(eod) &lt; 50ms" data-ok="false">
 * <td><code>p99(eod) &lt; 50ms</code></td><td class="num" data-actual="61.203">61.203 ms</td>
 * <td><span class="badge v-failed">failed</span></td><td class="reason">p99(eod) = 61.203 ms, not &lt; 50ms</td></tr></tbody>
 * </table></div>
 * ```
 */
export function renderThresholds(
  thresholds: readonly ThresholdVerdict[],
  abortedBy: string | undefined,
): SafeHtml {
  if (thresholds.length === 0)
    return markup`<p class="muted" id="threshold-table">No thresholds: nothing gates this run. Add <code>thresholds:</code> to the profile or <code>--threshold</code> to the command line.</p>`;
  const rows = thresholds.map((t) => {
    const verdict = t.ok ? 'passed' : 'failed';
    const stopped =
      t.expression === abortedBy
        ? markup` <span class="badge v-error" title="an abort: true threshold: its breach ended the run">stopped the run</span>`
        : '';
    return markup`<tr class="v-${verdict}" data-threshold="${t.expression}" data-ok="${String(t.ok)}">
<td><code>${t.expression}</code></td><td class="num" data-actual="${t.actual ?? ''}">${formatActual(t.actual, t.unit)}</td>
<td><span class="badge v-${verdict}">${verdict}</span>${stopped}</td><td class="reason">${t.reason}</td></tr>\n`;
  });
  return markup`<div class="table-wrap"><table class="thresholds" id="threshold-table">
<thead><tr><th scope="col">threshold</th><th scope="col" class="num">actual</th><th scope="col">verdict</th><th scope="col">reason</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>`;
}

/** `61.203 ms`, `0.169%` (three digits), `498.2/s`, `3`; `no data` without a value. */
export function formatActual(actual: number | undefined, unit: ThresholdVerdict['unit']): string {
  if (actual === undefined || actual === null) return 'no data';
  switch (unit) {
    case 'ms':
      return `${formatMs(actual)} ms`;
    case '%':
      return `${Number(actual.toPrecision(3))}%`;
    case '/s':
      return `${formatRate(actual)}/s`;
    default:
      return formatCount(actual);
  }
}
