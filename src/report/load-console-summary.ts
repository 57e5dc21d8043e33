import type { PhaseSnapshot } from '../metrics/load-snapshot.js';
import type { LoadReport } from './load-report.js';

/**
 * The console summary of a load run:
 *
 * ```
 * target     127.0.0.1:40125  220 sink.example.test ESMTP smtpgauge sink
 * profile    smoke: Smoke test against the embedded sink (closed model, 5.0 s, 1 thread)
 * messages   1200 sent, 1200 accepted, 0 failed, 0 errors, 0 dropped  240.0/s
 *
 * phase         count      p50      p90      p99    p99.9      max  (ms)
 * connect           2    0.212    0.301    0.301    0.301    0.301
 * eod            1200    0.090    0.130    0.410    0.902    1.203
 *
 * generator  0.41 cores, 31.2 µs CPU per message, event-loop delay p99 1.1 ms
 * PASS  rate(errors) < 1%  (rate(errors) = 0 %, < 1%)
 *
 * PASSED: 1 threshold passed. Report: reports/report.json
 * ```
 *
 * A saturated generator is announced in capitals: its latencies measure itself.
 */

export function renderLoadSummary(report: LoadReport, reportPath?: string): string {
  const { load, summary, target } = report;
  const lines = [
    `target     ${target.host}:${target.port}  ${target.banner ?? '(no greeting)'}`,
    `profile    ${load.profile.id}: ${load.profile.title} (${load.profile.model} model, ${seconds(load.profile.durationMs)}, ${load.workers} ${load.workers === 1 ? 'thread' : 'threads'})`,
    `messages   ${summary.messages} sent, ${summary.ok} accepted, ${summary.failed} failed, ${summary.errors} errors, ${summary.dropped} dropped  ${summary.throughput.toFixed(1)}/s`,
    ...warmUpLines(report),
    '',
    ...phaseTable(load.snapshot.phases),
    '',
    ...generatorLines(report),
    ...load.thresholds.map((t) => `${t.ok ? 'PASS' : 'FAIL'}  ${t.expression}  (${t.reason})`),
    ...errorLines(report),
  ];
  if (load.calibration)
    lines.push(
      `calibration  the generator reached ${load.calibration.messagesPerSecond.toFixed(0)} msg/s against the embedded sink (its ceiling on this machine)`,
    );
  lines.push('', verdictLine(report, reportPath));
  return `${lines.join('\n')}\n`;
}

function phaseTable(phases: LoadReport['load']['snapshot']['phases']): string[] {
  const columns = ['count', 'p50', 'p90', 'p99', 'p99.9', 'max'];
  const rows = [`${'phase'.padEnd(10)}${columns.map((c) => c.padStart(9)).join('')}  (ms)`];
  // The snapshot lists its phases in the order a message goes through them (metric-names.ts).
  for (const [name, p] of Object.entries(phases) as [string, PhaseSnapshot][]) {
    const cells = [String(p.count), ...[p.p50, p.p90, p.p99, p.p999, p.max].map(ms)];
    rows.push(`${name.padEnd(10)}${cells.map((c) => c.padStart(9)).join('')}`);
  }
  return rows;
}

function generatorLines(report: LoadReport): string[] {
  const h = report.load.health;
  const perMessage =
    h.cpuMicrosPerMessage === undefined
      ? ''
      : `, ${h.cpuMicrosPerMessage.toFixed(1)} µs CPU per message`;
  const rate =
    h.targetRate === undefined
      ? ''
      : `, rate ${h.achievedRate ?? 0}/s of ${h.targetRate}/s (${h.droppedRate ?? 0}/s dropped), schedule lag p99 ${h.scheduleLagP99Ms ?? 0} ms`;
  const lines = [
    `generator  ${h.cpuCores.toFixed(2)} cores${perMessage}, event-loop delay p99 ${h.loopDelayP99Ms} ms${rate}`,
  ];
  if (h.saturated)
    lines.push(
      `SATURATED GENERATOR: ${h.reasons.join('; ')}. The latencies above include the generator's own queueing; use more --workers, a smaller profile, or another machine.`,
    );
  return lines;
}

function errorLines(report: LoadReport): string[] {
  return Object.entries(report.load.errorSamples).map(
    ([kind, samples]) =>
      `ERROR ${kind} ×${report.load.snapshot.counters.errors[kind] ?? samples.length}: ${samples[0] ?? ''}`,
  );
}

function verdictLine(report: LoadReport, reportPath?: string): string {
  const { thresholds, verdict, abortedBy } = report.summary;
  const where = reportPath ? ` Report: ${reportPath}` : '';
  const counts = `${thresholds.passed} passed, ${thresholds.failed} failed`;
  if (verdict === 'failed')
    return `FAILED: thresholds ${counts}${abortedBy ? ` (stopped early by ${abortedBy})` : ''}.${where}`;
  if (verdict === 'error') return `INTERRUPTED: partial result, thresholds ${counts}.${where}`;
  return `PASSED: thresholds ${counts}.${where}`;
}

const ms = (value: number) => value.toFixed(3);
const seconds = (msValue: number) => `${(msValue / 1000).toFixed(1)} s`;

/** The warm-up's messages reached the server but are in none of the figures: say so. */
function warmUpLines(report: LoadReport): string[] {
  const warmUp = report.load.warmUp;
  if (!warmUp) return [];
  return [
    `warm-up    ${seconds(warmUp.durationMs)} before the run: ${warmUp.attempted} sent, ${warmUp.ok} accepted (not in these figures)`,
  ];
}
