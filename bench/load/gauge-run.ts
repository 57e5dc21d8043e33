import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratorHealth } from '../../src/load/generator-health.js';
import { decodeHistogram } from '../../src/metrics/histogram-codec.js';
import { LatencyHistogram } from '../../src/metrics/latency-histogram.js';
import type { LoadReport } from '../../src/report/load-report.js';
import { withTempDir } from './bench-children.js';
import { runMeasured } from './measured-process.js';

/**
 * One `smtpgauge load` run as its own process, from the bench's compilation of `src/`
 * (cli-entry.ts), under `/usr/bin/time`; returns the report's figures and the process's cost.
 *
 *   node …/bench/load/cli-entry.js load PROFILE --target HOST:PORT --workers N --duration D
 *        [--connections N] [--rate R] [--warm-up W] [--no-record] --out TMPDIR
 */
export interface GaugeRunOptions {
  profile: string;
  target: { host: string; port: number };
  workers: number;
  duration: string;
  connections?: number;
  rate?: string;
  /** `--warm-up`, e.g. `1s`. */
  warmUp?: string;
  record?: boolean;
  /** Options for node itself, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** Run it on these cores (a `taskset -c` list; cpu-pinning.ts). */
  cpus?: string | undefined;
}

export interface PhaseFigures {
  count: number;
  p50: number;
  p99: number;
}

export interface GaugeRun {
  /** Accepted messages per second over the run (`summary.throughput`). */
  throughput: number;
  attempted: number;
  ok: number;
  failed: number;
  errors: number;
  dropped: number;
  durationMs: number;
  health: GeneratorHealth;
  phases: Record<string, PhaseFigures>;
  named: Record<string, PhaseFigures & { max: number }>;
  /**
   * From the series, the run without its first second (start-up: empty pool, cold code): the
   * messages that ended per second and their p99 (ms), over the whole intervals inside the
   * profile's duration. Undefined for runs shorter than 3 s.
   */
  afterFirstSecond?: { messagesPerSecond: number; messageP99: number };
  /** The whole process (start-up, probe and report included): CPU µs, wall ms, peak RSS. */
  processCpuMicros: number;
  processWallMs: number;
  maxRssKb: number;
}

const CACHE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_ENTRY = fileURLToPath(new URL('./cli-entry.js', import.meta.url));

/**
 * The compiled CLI reads its name and version from `../../package.json` beside `src/cli`: in the
 * bench cache that is the cache's root, so a minimal one (with `type: module`) is put there.
 */
export function prepareCompiledCli(repoRoot: string): void {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const copy = { name: pkg.name, version: pkg.version, type: 'module', private: true };
  writeFileSync(join(CACHE_ROOT, 'package.json'), `${JSON.stringify(copy)}\n`);
  if (!existsSync(join(CACHE_ROOT, 'src', 'load', 'load-worker.js'))) {
    throw new Error(
      `${CACHE_ROOT}src/load/load-worker.js is missing (an output deleted by hand is not ` +
        'rebuilt incrementally): delete bench.tsbuildinfo there and run again',
    );
  }
}

export function runGauge(options: GaugeRunOptions, cwd: string): Promise<GaugeRun> {
  return withTempDir('smtpgauge-bench-load-', (out) => runGaugeInto(options, cwd, out));
}

async function runGaugeInto(options: GaugeRunOptions, cwd: string, out: string): Promise<GaugeRun> {
  const args = [
    ...(options.nodeArgs ?? []),
    CLI_ENTRY,
    'load',
    options.profile,
    '--target',
    `${options.target.host}:${options.target.port}`,
    '--workers',
    String(options.workers),
    '--duration',
    options.duration,
    ...(options.connections === undefined ? [] : ['--connections', String(options.connections)]),
    ...(options.rate === undefined ? [] : ['--rate', options.rate]),
    ...(options.warmUp === undefined ? [] : ['--warm-up', options.warmUp]),
    ...(options.record === false ? ['--no-record'] : []),
    '--out',
    out,
  ];
  const exit = await runMeasured(process.execPath, args, {
    cwd,
    timeoutMs: 120_000,
    ...(options.cpus === undefined ? {} : { cpus: options.cpus }),
  });
  let report: LoadReport;
  try {
    report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as LoadReport;
  } catch {
    throw new Error(`smtpgauge load exited ${exit.code} without a report:\n${exit.stderr}`);
  }
  return figuresOf(report, exit);
}

function figuresOf(
  report: LoadReport,
  exit: { cpuMicros: number; wallMs: number; maxRssKb: number },
): GaugeRun {
  const { snapshot, health } = report.load;
  const { messages, dropped, errors } = snapshot.counters;
  const phases: Record<string, PhaseFigures> = {};
  for (const [name, h] of Object.entries(snapshot.phases)) {
    if (h) phases[name] = { count: h.count, p50: h.p50, p99: h.p99 };
  }
  const named: GaugeRun['named'] = {};
  for (const [name, h] of Object.entries(snapshot.named)) {
    if (h) named[name] = { count: h.count, p50: h.p50, p99: h.p99, max: h.max };
  }
  return {
    throughput: report.summary.throughput,
    attempted: messages.attempted,
    ok: messages.ok,
    failed: messages.failed,
    errors: Object.values(errors).reduce((n, c) => n + (c ?? 0), 0),
    dropped,
    durationMs: snapshot.durationMs,
    health,
    phases,
    named,
    ...afterFirstSecond(report),
    processCpuMicros: exit.cpuMicros,
    processWallMs: exit.wallMs,
    maxRssKb: exit.maxRssKb,
  };
}

function afterFirstSecond(report: LoadReport): Pick<GaugeRun, 'afterFirstSecond'> {
  const endMs = report.load.profile.durationMs;
  const intervals = report.load.snapshot.series.intervals.filter(
    (i) => i.startMs >= 1000 && i.startMs + i.durationMs <= endMs,
  );
  if (intervals.length < 2) return {};
  const all = new LatencyHistogram();
  let messages = 0;
  let ms = 0;
  for (const interval of intervals) {
    messages += interval.messages;
    ms += interval.durationMs;
    const decoded = decodeHistogram(interval.histogram);
    if (decoded.ok) all.add(decoded.histogram);
  }
  const p99 = all.count > 0 ? all.valuesAtPercentiles([99])[0]! / 1000 : Number.NaN;
  return { afterFirstSecond: { messagesPerSecond: (messages / ms) * 1000, messageP99: p99 } };
}
