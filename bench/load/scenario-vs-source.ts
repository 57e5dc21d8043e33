import { fileURLToPath } from 'node:url';
import { benchProfile, measure, type BenchContext, type RunConditions } from './bench-context.js';
import { runGauge } from './gauge-run.js';
import { runMeasured } from './measured-process.js';
import type { FloorMode } from './node-floor.js';
import { startPostfixSink, type RunningServer } from './postfix-sink.js';
import { runSmtpSource, sourceMessagesFor } from './smtp-source-run.js';
import { round, spreadOf, type Spread } from './stats.js';

/**
 * Scenario 1: smtpgauge against Postfix smtp-source, both sending 1 KiB messages on reused
 * sessions to Postfix smtp-sink on 127.0.0.1, at the same concurrency. With PIPELINING the sink
 * announces it (smtpgauge pipelines MAIL, RCPT and DATA; smtp-source cannot); without, the sink
 * runs with `-p` and the profile has `pipelining: false`, so both wait for every reply.
 *
 * Per configuration the tools take turns (source, gauge w1, gauge w2 when it has the cores, and
 * in lock-step the node floor in its three modes; then again), so a change in the machine's load
 * hits all of them:
 * at least 5 turns of 8 s runs (a 4 s run weighs the first, cold second too much, and lock-step
 * runs scatter by ±20%). With `ctx.cpus` the sink has a core of its own and the generators the
 * others (cpu-pinning.ts). Generator CPU per message: smtp-source's whole process
 * (a C program, its start-up is negligible); smtpgauge's `load.health.cpuMicrosPerMessage`
 * (process CPU over the run, worker threads included) and, beside it, its whole process with
 * Node's start-up, the probe and the report.
 */
export type Tool =
  | 'smtp-source'
  | 'smtpgauge w1'
  | 'smtpgauge w2'
  | 'node floor'
  | 'node floor, batched'
  | 'node floor, spinning';

export interface VsSourceRun {
  rate: number;
  cpuPerMessage: number;
  processCpuPerMessage: number;
  sinkCpuPerMessage: number;
  conditions: RunConditions;
}

export interface VsSourceRow {
  pipelining: boolean;
  sessions: number;
  tool: Tool;
  rate: Spread;
  cpuPerMessage: Spread;
  processCpuPerMessage: Spread;
  sinkCpuPerMessage: Spread;
  loadavg: Spread;
  otherCores: Spread;
  runs: VsSourceRun[];
}

export interface VsSourceComparison {
  pipelining: boolean;
  sessions: number;
  /** smtpgauge w1 or w2 (the targets apply), or a node floor (a reference, no target). */
  tool: Tool;
  /** Its median rate over smtp-source's; target ≥ 1.3 with PIPELINING, ≥ 1 without. */
  rateRatio: number;
  /** Its median CPU per message over smtp-source's; target ≤ 1. */
  cpuRatio: number;
  /**
   * The same per turn (each run against the smtp-source run of its turn, so a change in the
   * machine's speed between turns cancels out): their median, and in how many turns it was at
   * least as fast, and at most as costly.
   */
  paired: { rateRatio: number; cpuRatio: number; turns: number; faster: number; cheaper: number };
}

export interface VsSourceResult {
  runSeconds: number;
  rows: VsSourceRow[];
  comparisons: VsSourceComparison[];
}

const SESSIONS = [8, 32];
const NODE_FLOOR = fileURLToPath(new URL('./node-floor.js', import.meta.url));
/** The node floor's ways of waiting (node-floor.ts), each a reference row in lock-step. */
const FLOORS: [Tool, FloorMode][] = [
  ['node floor', 'plain'],
  ['node floor, batched', 'batched'],
  ['node floor, spinning', 'spinning'],
];

export async function runVsSource(ctx: BenchContext): Promise<VsSourceResult> {
  const runSeconds = ctx.quick ? 2 : 8;
  const repeats = ctx.quick ? 1 : Math.max(ctx.repeats, 5);
  const rows: VsSourceRow[] = [];
  for (const pipelining of [true, false]) {
    const sink = await startPostfixSink(pipelining, ctx.cpus?.target);
    try {
      for (const sessions of SESSIONS) {
        ctx.log(`vs smtp-source: ${pipelining ? 'PIPELINING' : 'lock-step'}, ${sessions} sessions`);
        const runs = { seconds: runSeconds, repeats };
        rows.push(...(await runConfiguration(ctx, sink, pipelining, sessions, runs)));
      }
    } finally {
      await sink.close();
    }
  }
  return { runSeconds, rows, comparisons: compare(rows) };
}

async function runConfiguration(
  ctx: BenchContext,
  sink: RunningServer,
  pipelining: boolean,
  sessions: number,
  { seconds, repeats }: { seconds: number; repeats: number },
): Promise<VsSourceRow[]> {
  const total = await sourceMessagesFor(sink.port, sessions, seconds, ctx.cpus?.generator);
  const workerCounts = generatorThreads(ctx);
  const runs = new Map<Tool, VsSourceRun[]>([['smtp-source', []]]);
  for (const workers of workerCounts) runs.set(workers === 1 ? 'smtpgauge w1' : 'smtpgauge w2', []);
  if (!pipelining) for (const [tool] of FLOORS) runs.set(tool, []);
  for (let i = 0; i < repeats; i++) {
    runs.get('smtp-source')!.push(await sourceRun(ctx, sink, sessions, total));
    for (const workers of workerCounts) {
      const run = await gaugeRun(ctx, sink, pipelining, sessions, workers, seconds);
      runs.get(workers === 1 ? 'smtpgauge w1' : 'smtpgauge w2')!.push(run);
    }
    if (pipelining) continue;
    for (const [tool, mode] of FLOORS) {
      runs.get(tool)!.push(await floorRun(ctx, sink, { sessions, seconds, mode }));
    }
  }
  return [...runs].map(([tool, list]) => summarise(pipelining, sessions, tool, list));
}

/**
 * smtpgauge with one thread, and with two when the generators have two cores or more (pinned to
 * one core, a second thread only competes with the first).
 */
function generatorThreads(ctx: BenchContext): number[] {
  return ctx.cpus === undefined || ctx.cpus.generatorCores >= 2 ? [1, 2] : [1];
}

async function sourceRun(
  ctx: BenchContext,
  sink: RunningServer,
  sessions: number,
  total: number,
): Promise<VsSourceRun> {
  const m = await measure(
    ctx,
    [sink.pid],
    () => runSmtpSource(sink.port, sessions, total, ctx.cpus?.generator),
    (r) => r.cpuMicros,
  );
  const run: VsSourceRun = {
    rate: round(m.value.rate, 1),
    cpuPerMessage: round(m.value.cpuMicrosPerMessage, 2),
    processCpuPerMessage: round(m.value.cpuMicrosPerMessage, 2),
    sinkCpuPerMessage: round(m.helperMicros[0]! / total, 2),
    conditions: m.conditions,
  };
  ctx.log(`  smtp-source   ${describe(run)}`);
  return run;
}

async function gaugeRun(
  ctx: BenchContext,
  sink: RunningServer,
  pipelining: boolean,
  sessions: number,
  workers: number,
  seconds: number,
): Promise<VsSourceRun> {
  const profile = benchProfile(pipelining ? 'closed-1k' : 'closed-1k-lockstep');
  const m = await measure(
    ctx,
    [sink.pid],
    () =>
      runGauge(
        {
          profile,
          target: sink,
          workers,
          duration: `${seconds}s`,
          connections: sessions,
          cpus: ctx.cpus?.generator,
        },
        ctx.root,
      ),
    (r) => r.processCpuMicros,
  );
  const r = m.value;
  if (r.failed > 0 || r.errors > 0)
    throw new Error(`smtpgauge: ${r.failed} failed, ${r.errors} errors`);
  const run: VsSourceRun = {
    rate: round(r.throughput, 1),
    cpuPerMessage: round(r.health.cpuMicrosPerMessage ?? Number.NaN, 2),
    processCpuPerMessage: round(r.processCpuMicros / r.ok, 2),
    sinkCpuPerMessage: round(m.helperMicros[0]! / r.ok, 2),
    conditions: m.conditions,
  };
  ctx.log(`  smtpgauge w${workers}  ${describe(run)}`);
  return run;
}

/** The Node.js floor of a lock-step client (node-floor.ts), pinned like the generators. */
async function floorRun(
  ctx: BenchContext,
  sink: RunningServer,
  { sessions, seconds, mode }: { sessions: number; seconds: number; mode: FloorMode },
): Promise<VsSourceRun> {
  const args = [NODE_FLOOR, String(sink.port), String(sessions), String(seconds), mode];
  const m = await measure(
    ctx,
    [sink.pid],
    () =>
      runMeasured(process.execPath, args, {
        timeoutMs: 120_000,
        ...(ctx.cpus ? { cpus: ctx.cpus.generator } : {}),
      }),
    (exit) => exit.cpuMicros,
  );
  if (m.value.code !== 0) throw new Error(`node-floor exited ${m.value.code}: ${m.value.stderr}`);
  const floor = JSON.parse(m.value.stdout) as {
    messages: number;
    wallMs: number;
    cpuMicros: number;
  };
  const run: VsSourceRun = {
    rate: round((floor.messages / floor.wallMs) * 1000, 1),
    cpuPerMessage: round(floor.cpuMicros / floor.messages, 2),
    processCpuPerMessage: round(m.value.cpuMicros / floor.messages, 2),
    sinkCpuPerMessage: round(m.helperMicros[0]! / floor.messages, 2),
    conditions: m.conditions,
  };
  ctx.log(`  node floor ${mode.padEnd(8)} ${describe(run)}`);
  return run;
}

function describe(run: VsSourceRun): string {
  const c = run.conditions;
  return (
    `${Math.round(run.rate)} msg/s, ${run.cpuPerMessage} µs CPU/msg, sink ${run.sinkCpuPerMessage} µs/msg ` +
    `(load ${c.loadavg1}, others ${c.otherCores} cores${c.busy ? ', BUSY' : ''})`
  );
}

function summarise(
  pipelining: boolean,
  sessions: number,
  tool: Tool,
  runs: VsSourceRun[],
): VsSourceRow {
  return {
    pipelining,
    sessions,
    tool,
    rate: spreadOf(runs.map((r) => r.rate)),
    cpuPerMessage: spreadOf(runs.map((r) => r.cpuPerMessage)),
    processCpuPerMessage: spreadOf(runs.map((r) => r.processCpuPerMessage)),
    sinkCpuPerMessage: spreadOf(runs.map((r) => r.sinkCpuPerMessage)),
    loadavg: spreadOf(runs.map((r) => r.conditions.loadavg1)),
    otherCores: spreadOf(runs.map((r) => r.conditions.otherCores)),
    runs,
  };
}

function compare(rows: VsSourceRow[]): VsSourceComparison[] {
  const out: VsSourceComparison[] = [];
  for (const source of rows.filter((r) => r.tool === 'smtp-source')) {
    const others = rows.filter(
      (r) =>
        r.tool !== 'smtp-source' &&
        r.pipelining === source.pipelining &&
        r.sessions === source.sessions,
    );
    for (const other of others) {
      out.push({
        pipelining: source.pipelining,
        sessions: source.sessions,
        tool: other.tool,
        rateRatio: round(other.rate.median / source.rate.median, 2),
        cpuRatio: round(other.cpuPerMessage.median / source.cpuPerMessage.median, 2),
        paired: pairedRatios(other.runs, source.runs),
      });
    }
  }
  return out;
}

function pairedRatios(runs: VsSourceRun[], sources: VsSourceRun[]): VsSourceComparison['paired'] {
  const turns = Math.min(runs.length, sources.length);
  const rate: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < turns; i++) {
    rate.push(runs[i]!.rate / sources[i]!.rate);
    cpu.push(runs[i]!.cpuPerMessage / sources[i]!.cpuPerMessage);
  }
  return {
    rateRatio: round(spreadOf(rate).median, 2),
    cpuRatio: round(spreadOf(cpu).median, 2),
    turns,
    faster: rate.filter((r) => r >= 1).length,
    cheaper: cpu.filter((c) => c <= 1).length,
  };
}
