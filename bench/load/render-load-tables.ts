import type { LatencyResult } from './scenario-latency.js';
import type { MemoryResult } from './scenario-memory.js';
import type { OpenRateResult } from './scenario-open-rate.js';
import type { RecordingResult } from './scenario-recording.js';
import type { VsSourceResult } from './scenario-vs-source.js';
import type { Spread } from './stats.js';

/**
 * The console tables of `npm run bench:load`, one per scenario. A figure is the median of the
 * runs with their range in brackets, e.g.
 *
 *   mode        sessions  generator     msg/s                   CPU µs/msg         …
 *   PIPELINING         8  smtp-source   9,512 [9,388–9,601]     50.1 [49.8–51.0]   …
 *   PIPELINING         8  smtpgauge w1  12,028 [11,870–12,230]  45.3 [44.0–46.1]   …
 *
 * then each target with `met` or `MISSED`.
 */
export function renderTable(header: string[], rows: string[][], left: number[] = [0]): string {
  const widths = header.map((_, i) =>
    Math.max(...[header, ...rows].map((r) => (r[i] ?? '').length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, i) => (left.includes(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [header, ...rows].map(line).join('\n');
}

export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** `median [min–max]`, or the median alone for one run. */
export function fmtSpread(s: Spread, digits = 0): string {
  if (s.n <= 1 || s.min === s.max) return fmt(s.median, digits);
  return `${fmt(s.median, digits)} [${fmt(s.min, digits)}–${fmt(s.max, digits)}]`;
}

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

export function renderVsSource(result: VsSourceResult): string {
  const header = ['mode', 'sessions', 'generator', 'msg/s', 'CPU µs/msg', 'process µs/msg'];
  header.push('sink µs/msg', 'load', 'others');
  const rows = result.rows.map((r) => [
    r.pipelining ? 'PIPELINING' : 'lock-step',
    String(r.sessions),
    r.tool,
    fmtSpread(r.rate),
    fmtSpread(r.cpuPerMessage, 1),
    fmtSpread(r.processCpuPerMessage, 1),
    fmtSpread(r.sinkCpuPerMessage, 1),
    fmtSpread(r.loadavg, 2),
    fmtSpread(r.otherCores, 2),
  ]);
  const targets = result.comparisons.map((c) => {
    const need = c.pipelining ? 1.3 : 1;
    const target = !c.tool.startsWith('node floor');
    const rate = `rate ${c.rateRatio.toFixed(2)}×`;
    const cpu = `CPU/msg ${c.cpuRatio.toFixed(2)}×`;
    return (
      `  ${c.pipelining ? 'PIPELINING' : 'lock-step '} ${String(c.sessions).padStart(2)} sessions, ` +
      `${c.tool} / smtp-source: ` +
      (target
        ? `${rate} (≥ ${need.toFixed(1)}×: ${verdict(c.rateRatio >= need)}), ` +
          `${cpu} (≤ 1×: ${verdict(c.cpuRatio <= 1)})`
        : `${rate}, ${cpu} (reference: Node's own cost, no target)`) +
      `\n      per turn: rate ${c.paired.rateRatio.toFixed(2)}×, CPU/msg ${c.paired.cpuRatio.toFixed(2)}×; ` +
      `as fast in ${c.paired.faster} of ${c.paired.turns} turns, as cheap in ${c.paired.cheaper}`
    );
  });
  return `${renderTable(header, rows, [0, 2])}\n${targets.join('\n')}`;
}

export function renderRecording(r: RecordingResult): string {
  const header = ['recording', 'msg/s', 'CPU µs/msg'];
  const rows = [
    ['on', fmtSpread(r.recorded.rate), fmtSpread(r.recorded.cpuPerMessage, 1)],
    ['off (--no-record)', fmtSpread(r.unrecorded.rate), fmtSpread(r.unrecorded.cpuPerMessage, 1)],
  ];
  const o = r.throughputOverheadPercent;
  const p = r.profile;
  return (
    `${renderTable(header, rows)}\n` +
    `  throughput overhead per pair ${fmtSpread(o, 1)} % (≤ 5%: ${verdict(o.median <= 5)}), ` +
    `CPU per message ${fmtSpread(r.cpuOverheadPercent, 1)} %\n` +
    `  one recorded run under --cpu-prof, share of the busy samples: recording ${p.recording}% ` +
    `(≤ 5%: ${verdict(p.recording <= 5)}; ${p.recordingOfKnown}% leaving out "other"), ` +
    `engine ${p.engine}%, socket writes ${p.write}%, Node internals ${p.node}%, GC ${p.gc}%, ` +
    `other (V8, start-up, CLI) ${p.other}%`
  );
}

export function renderOpenRate(result: OpenRateResult): string {
  const header = ['target/s', 'warm-up', 'served/s', 'error %', 'accepted/s', 'dropped'];
  header.push('lag p99 ms');
  header.push('lag max ms', 'message p99 ms', 'after 1st s: msg/s', 'msg p99 ms');
  header.push('loop busy', 'saturated');
  const rows = result.rows.map((r) => [
    fmt(r.rate),
    warmUpLabel(r.warmUpMs),
    fmtSpread(r.servedRate, 1),
    fmtSpread(r.errorPercent, 3),
    fmtSpread(r.throughput, 1),
    fmtSpread(r.dropped),
    fmtSpread(r.lagP99, 3),
    fmtSpread(r.lagMax, 3),
    fmtSpread(r.messageP99, 3),
    fmtSpread(r.steadyRate, 1),
    fmtSpread(r.steadyMessageP99, 3),
    fmtSpread(r.utilization, 2),
    `${r.saturatedRuns}/${r.runs.length}`,
  ]);
  const targets = result.rows.map((r) => {
    const within = Math.abs(r.errorPercent.median) <= 1;
    const lag = r.lagP99.median <= 1;
    const why = r.reasons.length > 0 ? ` (flags: ${r.reasons.join('; ')})` : '';
    const warm = r.warmUpMs > 0 ? `, after a ${warmUpLabel(r.warmUpMs)} warm-up` : ', cold';
    return `  ${fmt(r.rate)}/s${warm}: rate within 1% ${verdict(within)}, lag p99 ≤ 1 ms ${verdict(lag)}${why}`;
  });
  return `${renderTable(header, rows)}\n${targets.join('\n')}`;
}

function warmUpLabel(ms: number): string {
  return ms > 0 ? `${ms / 1000} s` : 'none';
}

export function renderLatency(r: LatencyResult): string {
  const header = ['target', 'phase', 'baseline p50 ms', `${r.delayMs} ms delay p50`, 'delta ms'];
  header.push('target');
  const rows = r.targets.flatMap((t) =>
    t.rows.map((row) => {
      const target =
        row.phase === 'message'
          ? `${r.delayMs * 4} (4 delays; no target)`
          : `${r.delayMs} ± 0.2: ${verdict(row.within)}`;
      return [
        t.target,
        row.phase,
        fmtSpread(row.baselineP50, 3),
        fmtSpread(row.delayedP50, 3),
        fmt(row.delta, 3),
        target,
      ];
    }),
  );
  const late = r.targets.flatMap((t) =>
    t.responderLate
      ? [
          `  ${t.target}: its delayed replies left late by p50 ${t.responderLate.p50} µs, ` +
            `p99 ${t.responderLate.p99} µs, max ${t.responderLate.max} µs (${t.responderLate.count} replies)`,
        ]
      : [],
  );
  return [renderTable(header, rows, [0, 1, 5]), ...late].join('\n');
}

export function renderMemory(results: readonly MemoryResult[]): string {
  const header = ['run', 'messages', 'sessions', 'RSS MB: warm / mid / end', 'RSS MB/min'];
  header.push('heap MB: warm / mid / end', 'heap MB/min', 'live heap MB after GC');
  const rows = results.map((r) => [
    `${r.variant}, ${r.seconds} s`,
    fmt(r.messages),
    fmt(r.sessions),
    [r.start, r.middle, r.end].map((p) => fmt(p.rssMb, 1)).join(' / '),
    fmt(r.rssSlopeMbPerMin, 2),
    [r.start, r.middle, r.end].map((p) => fmt(p.heapUsedMb, 1)).join(' / '),
    fmt(r.heapSlopeMbPerMin, 2),
    r.liveHeapMb.map((mb) => fmt(mb, 2)).join(' / '),
  ]);
  return renderTable(header, rows);
}
