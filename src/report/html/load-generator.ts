import type { Calibration, LoadReport } from '../load-report.js';
import { formatMs, formatRate, formatShare } from './display-format.js';
import { markup, type SafeHtml } from './html-template.js';

/**
 * How the load generator itself fared (src/load/generator-health.ts): a saturated generator
 * measures its own queueing, so this part says whether the numbers above can be trusted.
 *
 * ```html
 * <div class="health" id="health-verdict" data-saturated="false"><strong>Not saturated.</strong> …</div>
 * <dl class="stats" id="health-stats">
 * <div data-health="loopDelayP99Ms" data-value="1.1"><dt>event-loop delay p99</dt><dd>1.1 ms</dd></div> …
 * </dl><p class="health-note">open model: …</p>
 * ```
 */
export function renderGenerator(report: LoadReport): SafeHtml {
  const h = report.load.health;
  const stats: [key: string, label: string, value: number | undefined, shown: string][] = [
    ['threads', 'threads', h.threads, String(h.threads)],
    ['loopDelayP99Ms', 'event-loop delay p99', h.loopDelayP99Ms, ms(h.loopDelayP99Ms)],
    ['loopDelayMaxMs', 'event-loop delay max', h.loopDelayMaxMs, ms(h.loopDelayMaxMs)],
    ['utilization', 'event-loop utilisation', h.utilization, formatShare(h.utilization)],
    ['cpuCores', 'process CPU', h.cpuCores, `${h.cpuCores.toFixed(2)} cores`],
  ];
  if (h.cpuMicrosPerMessage !== undefined)
    stats.push([
      'cpuMicrosPerMessage',
      'CPU per message',
      h.cpuMicrosPerMessage,
      `${h.cpuMicrosPerMessage.toFixed(1)} µs`,
    ]);
  if (h.targetRate !== undefined)
    stats.push(['targetRate', 'target start rate', h.targetRate, `${formatRate(h.targetRate)}/s`]);
  if (h.achievedRate !== undefined) {
    const share = h.targetRate
      ? ` (${formatShare(h.achievedRate / h.targetRate)} of the target)`
      : '';
    stats.push([
      'achievedRate',
      'achieved start rate',
      h.achievedRate,
      `${formatRate(h.achievedRate)}/s${share}`,
    ]);
  }
  if (h.droppedRate !== undefined)
    stats.push([
      'droppedRate',
      'dropped start rate',
      h.droppedRate,
      `${formatRate(h.droppedRate)}/s`,
    ]);
  if (h.scheduleLagP99Ms !== undefined)
    stats.push([
      'scheduleLagP99Ms',
      'schedule lag p99',
      h.scheduleLagP99Ms,
      ms(h.scheduleLagP99Ms),
    ]);
  const items = stats.map(
    ([key, label, value, shown]) =>
      markup`<div data-health="${key}" data-value="${value ?? ''}"><dt>${label}</dt><dd>${shown}</dd></div>`,
  );
  const notes = (h.notes ?? []).map((note) => markup`<p class="health-note">${note}</p>`);
  return markup`${verdict(report)}
<dl class="stats" id="health-stats">${items}</dl>${notes}
${calibrationNote(report.load.calibration, report.summary.throughput)}`;
}

const ms = (value: number) => `${formatMs(value)} ms`;

function verdict(report: LoadReport): SafeHtml {
  const { saturated, reasons } = report.load.health;
  if (!saturated)
    return markup`<p class="health ok" id="health-verdict" data-saturated="false"><strong>Not saturated.</strong> The generator kept up (event loop, CPU, schedule): the latencies are the server's.</p>`;
  const list = (reasons ?? []).map((reason) => markup`<li>${reason}</li>`);
  return markup`<div class="health saturated" id="health-verdict" data-saturated="true"><p><strong>SATURATED.</strong> The generator was the bottleneck, so its own queueing is part of every latency above:</p>
<ul>${list}</ul></div>`;
}

function calibrationNote(calibration: Calibration | undefined, throughput: number): SafeHtml {
  if (calibration === undefined) return markup``;
  const rate = calibration.messagesPerSecond;
  const share =
    rate > 0
      ? ` This run's ${formatRate(throughput)}/s is ${formatShare(throughput / rate)} of that.`
      : '';
  return markup`<p id="calibration" data-value="${rate}">Calibration: this generator reached <strong>${formatRate(rate)} messages/s</strong> against the embedded sink (${calibration.sessions} sessions, ${(calibration.durationMs / 1000).toFixed(1)} s): its ceiling on this machine.${share}</p>`;
}
