import { benchProfile, measure, type BenchContext, type RunConditions } from './bench-context.js';
import { runGauge } from './gauge-run.js';
import { startPostfixSink, type RunningServer } from './postfix-sink.js';
import { round, spreadOf, type Spread } from './stats.js';

/**
 * Scenario 3: does the open model keep its rate? `unit: message` on a pool of reused sessions
 * (max-sessions 256), 1 KiB messages, PIPELINING, one thread, at 1,000, 5,000 and 10,000
 * messages/s against Postfix smtp-sink. Per rate: the served start rate (messages started, i.e.
 * not dropped, per second of the profile's duration) against the target (within 1%), the
 * accepted messages per second, dropped starts, `schedule-lag` (p99 target ≤ 1 ms) and the
 * generator's saturation flags. (`load.health.achievedRate` is the same served rate as the
 * generator computes it, over the span it measured; it is kept beside as a cross-check.)
 *
 * Every rate runs from a cold start, as a run without `warm-up` does; 10,000/s runs once more
 * after a 1 s `--warm-up` (docs/load-profile.md), which measures the scheduler against a
 * generator that is up to speed. Both rows are reported.
 */
export interface OpenRateRun {
  /** `load.health`: starts asked for and made (dropped ones not included) per second. */
  targetRate: number;
  achievedRate: number;
  /** Messages started (not dropped) per second of the profile's duration. */
  servedRate: number;
  /** (served / rate − 1) × 100. */
  errorPercent: number;
  throughput: number;
  dropped: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
  messageP50: number;
  messageP99: number;
  /** The run without its first second: messages ended per second, and their p99 (ms). */
  steadyRate: number;
  steadyMessageP99: number;
  utilization: number;
  cpuCores: number;
  saturated: boolean;
  reasons: string[];
  conditions: RunConditions;
}

export interface OpenRateRow {
  rate: number;
  /** `--warm-up` of these runs, ms (0: a cold start). */
  warmUpMs: number;
  errorPercent: Spread;
  servedRate: Spread;
  achievedRate: Spread;
  throughput: Spread;
  dropped: Spread;
  lagP99: Spread;
  lagMax: Spread;
  messageP99: Spread;
  steadyRate: Spread;
  steadyMessageP99: Spread;
  utilization: Spread;
  /** Runs the generator judged itself saturated in, and why (distinct reasons). */
  saturatedRuns: number;
  reasons: string[];
  runs: OpenRateRun[];
}

export interface OpenRateResult {
  runSeconds: number;
  rows: OpenRateRow[];
}

/** Rate and warm-up (ms) of each row. */
const ROWS: [number, number][] = [
  [1_000, 0],
  [5_000, 0],
  [10_000, 0],
  [10_000, 1_000],
];

export async function runOpenRate(ctx: BenchContext): Promise<OpenRateResult> {
  // Long enough that the cold first half second (code not yet compiled, the pool still growing)
  // does not decide the p99 of the whole run (bench:load, 2026-11-23: at 10,000/s it held
  // nearly all late starts; 8 s runs read 4.3 ms, 16 s runs 0.8 ms).
  const runSeconds = ctx.quick ? 4 : 20;
  const sink = await startPostfixSink(true);
  const rows: OpenRateRow[] = [];
  try {
    for (const [rate, warmUpMs] of ROWS) {
      const warm = warmUpMs > 0 ? `, after a ${warmUpMs / 1000} s warm-up` : '';
      ctx.log(`open model at ${rate}/s${warm}: ${ctx.repeats} × ${runSeconds} s`);
      const runs: OpenRateRun[] = [];
      for (let i = 0; i < ctx.repeats; i++) {
        runs.push(await openRun(ctx, sink, { rate, warmUpMs, seconds: runSeconds }));
      }
      rows.push(summarise(rate, warmUpMs, runs));
    }
  } finally {
    await sink.close();
  }
  return { runSeconds, rows };
}

async function openRun(
  ctx: BenchContext,
  sink: RunningServer,
  { rate, warmUpMs, seconds }: { rate: number; warmUpMs: number; seconds: number },
): Promise<OpenRateRun> {
  const m = await measure(
    ctx,
    [sink.pid],
    () =>
      runGauge(
        {
          profile: benchProfile('open-1k'),
          target: sink,
          workers: 1,
          duration: `${seconds}s`,
          rate: `${rate}/s`,
          ...(warmUpMs > 0 ? { warmUp: `${warmUpMs}ms` } : {}),
        },
        ctx.root,
      ),
    (r) => r.processCpuMicros,
  );
  const r = m.value;
  const h = r.health;
  const lag = r.named['schedule-lag'];
  const run: OpenRateRun = {
    targetRate: h.targetRate ?? Number.NaN,
    achievedRate: h.achievedRate ?? Number.NaN,
    servedRate: round(r.attempted / seconds, 1),
    errorPercent: round((r.attempted / (rate * seconds) - 1) * 100, 3),
    throughput: round(r.ok / seconds, 1),
    dropped: r.dropped,
    lagP50: lag?.p50 ?? Number.NaN,
    lagP99: lag?.p99 ?? Number.NaN,
    lagMax: lag?.max ?? Number.NaN,
    messageP50: r.phases.message?.p50 ?? Number.NaN,
    messageP99: r.phases.message?.p99 ?? Number.NaN,
    steadyRate: round(r.afterFirstSecond?.messagesPerSecond ?? Number.NaN, 1),
    steadyMessageP99: r.afterFirstSecond?.messageP99 ?? Number.NaN,
    utilization: h.utilization,
    cpuCores: h.cpuCores,
    saturated: h.saturated,
    reasons: h.reasons,
    conditions: m.conditions,
  };
  const c = run.conditions;
  ctx.log(
    `  served ${run.servedRate}/s of ${rate}/s (${run.errorPercent}%), ` +
      `lag p99 ${run.lagP99} ms, dropped ${run.dropped}, loop busy ${run.utilization}` +
      `${run.saturated ? `, SATURATED: ${run.reasons.join('; ')}` : ''} ` +
      `(load ${c.loadavg1}, others ${c.otherCores} cores)`,
  );
  return run;
}

function summarise(rate: number, warmUpMs: number, runs: OpenRateRun[]): OpenRateRow {
  const of = (pick: (r: OpenRateRun) => number) => spreadOf(runs.map(pick));
  return {
    rate,
    warmUpMs,
    errorPercent: of((r) => r.errorPercent),
    servedRate: of((r) => r.servedRate),
    achievedRate: of((r) => r.achievedRate),
    throughput: of((r) => r.throughput),
    dropped: of((r) => r.dropped),
    lagP99: of((r) => r.lagP99),
    lagMax: of((r) => r.lagMax),
    messageP99: of((r) => r.messageP99),
    steadyRate: of((r) => r.steadyRate),
    steadyMessageP99: of((r) => r.steadyMessageP99),
    utilization: of((r) => r.utilization),
    saturatedRuns: runs.filter((r) => r.saturated).length,
    reasons: [...new Set(runs.flatMap((r) => r.reasons))],
    runs,
  };
}
