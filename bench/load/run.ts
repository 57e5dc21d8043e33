import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import type { BenchContext } from './bench-context.js';
import { parseBenchOptions, type BenchOptions, type ScenarioName } from './bench-options.js';
import { stopAll } from './bench-children.js';
import { cpuPlan, type CpuPlan } from './cpu-pinning.js';
import { prepareCompiledCli } from './gauge-run.js';
import { machineInfo, QuietGate, type MachineInfo } from './machine.js';
import { SMTP_SINK, SMTP_SOURCE } from './postfix-sink.js';
import {
  renderLatency,
  renderMemory,
  renderOpenRate,
  renderRecording,
  renderVsSource,
} from './render-load-tables.js';
import { runLatency, type LatencyResult } from './scenario-latency.js';
import { runMemory, type MemoryResult } from './scenario-memory.js';
import { runOpenRate, type OpenRateResult } from './scenario-open-rate.js';
import { runRecording, type RecordingResult } from './scenario-recording.js';
import { runVsSource, type VsSourceResult } from './scenario-vs-source.js';

/**
 * `npm run bench:load [-- --quick | --only … | --repeats N | --max-wait S]` (bench-options.ts):
 * the load engine's whole-run figures (docs/performance.md, "Load engine"). Run from the
 * repository root; needs Postfix's smtp-sink and smtp-source (scripts/targets/install-postfix.sh).
 * Prints a table per scenario and writes `reports/bench/load.json`:
 *
 *   { "schema": "smtpgauge-bench-load/1", "machine": MachineInfo (loadavg at the start),
 *     "loadavgEnd": [1m, 5m, 15m], "options": BenchOptions, "cpus": CpuPlan | null,
 *     "waitedMs": N, "wallMs": N,
 *     "scenarios": { "vs-source"?: VsSourceResult, "recording"?: RecordingResult,
 *                    "open-rate"?: OpenRateResult, "latency"?: LatencyResult,
 *                    "memory"?: MemoryResult[] } }
 */
interface LoadBenchReport {
  schema: 'smtpgauge-bench-load/1';
  machine: MachineInfo;
  loadavgEnd: number[];
  options: BenchOptions;
  /** Where vs-source ran the sink and the generators; null: not pinned. */
  cpus: CpuPlan | null;
  waitedMs: number;
  wallMs: number;
  scenarios: Partial<{
    'vs-source': VsSourceResult;
    recording: RecordingResult;
    'open-rate': OpenRateResult;
    latency: LatencyResult;
    memory: MemoryResult[];
  }>;
}

const root = process.cwd();
const out = join(root, 'reports', 'bench', 'load.json');
const options = parseBenchOptions(process.argv.slice(2));
const needsPostfix: ScenarioName[] = ['vs-source', 'recording', 'open-rate', 'memory'];
for (const tool of [SMTP_SINK, SMTP_SOURCE]) {
  if (options.only.some((s) => needsPostfix.includes(s)) && !existsSync(tool)) {
    throw new Error(`${tool} is missing: run scripts/targets/install-postfix.sh`);
  }
}
prepareCompiledCli(root);

// Interrupted: stop the sinks and generators it started, and say so (nothing is written).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAll();
    console.error(`\nbench:load interrupted (${signal}); its servers and generators are stopped`);
    process.exit(130);
  });
}

const log = (line: string) => console.log(line);
const ctx: BenchContext = {
  root,
  quick: options.quick,
  repeats: options.repeats,
  gate: new QuietGate(options.maxWaitMs, log),
  cpus: cpuPlan(options.pin),
  log,
};
const machine = machineInfo();
const started = performance.now();
log(
  `smtpgauge load bench: ${machine.date}, Node ${machine.node}, ${machine.nproc} CPUs ` +
    `(${machine.cpu}), load ${machine.loadavg.join(' ')}; ${options.only.join(', ')}` +
    `${options.quick ? ' (quick)' : ''}, ${options.repeats} run(s) per configuration; ` +
    `vs-source ${ctx.cpus ? `pinned: sink on CPU ${ctx.cpus.target}, generators on ${ctx.cpus.generator}` : 'not pinned'}\n`,
);

const scenarios: LoadBenchReport['scenarios'] = {};
const tables: string[] = [];
for (const name of options.only) {
  switch (name) {
    case 'vs-source':
      scenarios[name] = await runVsSource(ctx);
      tables.push(
        `1. vs Postfix smtp-source (1 KiB, reused sessions, sink: smtp-sink)\n${renderVsSource(scenarios[name])}`,
      );
      break;
    case 'recording':
      scenarios[name] = await runRecording(ctx);
      tables.push(
        `2. Recording overhead (closed, 8 sessions, PIPELINING, 1 thread)\n${renderRecording(scenarios[name])}`,
      );
      break;
    case 'open-rate':
      scenarios[name] = await runOpenRate(ctx);
      tables.push(
        `3. Open model accuracy (unit message, 1 thread, sink: smtp-sink)\n${renderOpenRate(scenarios[name])}`,
      );
      break;
    case 'latency':
      scenarios[name] = await runLatency(ctx);
      tables.push(
        `4. Latency accuracy (open 100/s, lock-step; each target its own process)\n${renderLatency(scenarios[name])}`,
      );
      break;
    case 'memory':
      scenarios[name] = await runMemory(ctx, options.memorySeconds);
      tables.push(
        `5. Memory (closed, 8 sessions, recording on, 1 thread, sampled every second)\n${renderMemory(scenarios[name])}`,
      );
      break;
  }
}

const report: LoadBenchReport = {
  schema: 'smtpgauge-bench-load/1',
  machine,
  loadavgEnd: loadavg().map((n) => Math.round(n * 100) / 100),
  options,
  cpus: ctx.cpus ?? null,
  waitedMs: ctx.gate.totalWaitedMs,
  wallMs: Math.round(performance.now() - started),
  scenarios,
};
log(`\n${tables.join('\n\n')}\n`);
log(
  `wall ${Math.round(report.wallMs / 1000)} s (waited ${Math.round(report.waitedMs / 1000)} s ` +
    `for a quiet machine); load at the end ${report.loadavgEnd.join(' ')}`,
);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
log(`wrote ${join('reports', 'bench', 'load.json')}`);
