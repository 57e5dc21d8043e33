import type { BenchCaseResult } from './bench-case.js';

/**
 * The console table of a run, one row per case:
 *
 *   name                                    ops/s     mean       p99   MB/s  rate              vs last
 *   LineReader + ReplyAssembler, 1460-b…      109  9.14 ms  16.71 ms   7.16  194.4k replies/s      +3%
 *   loadSuite suites/rfc5321/limits.yaml…     278  3.60 ms   8.85 ms   2.14  278 files/s           -1%
 *
 * `vs last` compares ops/s with the previous run's JSON, when one exists and has the same case.
 */
export function renderTable(
  results: readonly BenchCaseResult[],
  previous: ReadonlyMap<string, number> = new Map(),
): string {
  const header = ['name', 'ops/s', 'mean', 'p99', 'MB/s', 'rate', 'vs last'];
  const rows = results.map((r) => [
    r.name,
    formatCount(r.opsPerSec),
    formatDuration(r.meanMs),
    formatDuration(r.p99Ms),
    r.mbPerSec === undefined ? '' : r.mbPerSec.toFixed(r.mbPerSec < 10 ? 2 : 1),
    r.unitsPerSec === undefined ? '' : `${formatRate(r.unitsPerSec)} ${r.unit}/s`,
    change(r.opsPerSec, previous.get(r.name)),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const leftAligned = new Set([0, 5]);
  const format = (row: string[]): string =>
    row
      .map((cell, i) => (leftAligned.has(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [header, ...rows].map(format).join('\n');
}

function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function formatRate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

function formatDuration(ms: number): string {
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  const micros = ms * 1000;
  return `${micros.toFixed(micros < 10 ? 2 : 1)} µs`;
}

function change(now: number, before: number | undefined): string {
  if (before === undefined || before <= 0) return '';
  const percent = Math.round((now / before - 1) * 100);
  return `${percent >= 0 ? '+' : ''}${percent}%`;
}
