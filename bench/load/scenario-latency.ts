import { benchProfile, measure, type BenchContext, type RunConditions } from './bench-context.js';
import { CLI_ENTRY, runGauge } from './gauge-run.js';
import { fileURLToPath } from 'node:url';
import { freePort, startServer, type RunningServer } from './postfix-sink.js';
import { round, spreadOf, type Spread } from './stats.js';

/**
 * Scenario 4: are the latencies right? Two embedded sinks, each its own process
 * (`smtpgauge serve --profile sink`): one plain, one holding every MAIL, RCPT, DATA and
 * end-of-data reply for 5 ms (`--delay mail=5ms,rcpt=5ms,data=5ms,eod=5ms`). At light load
 * (open model, 100 messages/s, reused sessions) and without pipelining, each of those phases is
 * one round trip, so its p50 against the delayed sink minus its p50 against the plain one should
 * be the delay: 5 ms, within 0.2 ms. Runs alternate between the two sinks.
 *
 * The sink's delay is a timer on whole milliseconds, which fires late by a varying part of one;
 * so the same pair of runs is made against precise-responder.ts, whose 5 ms are exact to a few
 * µs (it reports how late its replies left). Its delta is the generator's own error.
 */
export const DELAY_MS = 5;
export const PHASES = ['mail', 'rcpt', 'data', 'eod'] as const;

export interface LatencyRun {
  delayed: boolean;
  p50: Record<string, number>;
  messageP50: number;
  conditions: RunConditions;
}

export interface LatencyRow {
  phase: string;
  baselineP50: Spread;
  delayedP50: Spread;
  /** Median of the delayed runs' p50 minus median of the baseline runs' p50, ms. */
  delta: number;
  /** |delta − delay| ≤ 0.2 ms. */
  within: boolean;
}

export interface LatencyTarget {
  target: 'embedded sink' | 'precise responder';
  rows: LatencyRow[];
  /** Precise responder: how late its delayed replies left, µs. */
  responderLate?: { count: number; p50: number; p99: number; max: number };
  runs: LatencyRun[];
}

export interface LatencyResult {
  delayMs: number;
  runSeconds: number;
  targets: LatencyTarget[];
}

const TOLERANCE_MS = 0.2;
const PRECISE_RESPONDER = fileURLToPath(new URL('./precise-responder.js', import.meta.url));

export async function runLatency(ctx: BenchContext): Promise<LatencyResult> {
  const runSeconds = ctx.quick ? 3 : 4;
  const targets: LatencyTarget[] = [];
  for (const target of ['embedded sink', 'precise responder'] as const) {
    ctx.log(`latency accuracy, ${target}: ${ctx.repeats} pairs of ${runSeconds} s runs`);
    targets.push(await measureTarget(ctx, target, runSeconds));
  }
  return { delayMs: DELAY_MS, runSeconds, targets };
}

async function measureTarget(
  ctx: BenchContext,
  target: LatencyTarget['target'],
  runSeconds: number,
): Promise<LatencyTarget> {
  const start = target === 'embedded sink' ? startSink : startPrecise;
  const plain = await start(false);
  const runs: LatencyRun[] = [];
  let printed: string;
  try {
    const slow = await start(true);
    try {
      for (let i = 0; i < ctx.repeats; i++) {
        runs.push(await latencyRun(ctx, plain, false, runSeconds));
        runs.push(await latencyRun(ctx, slow, true, runSeconds));
      }
    } finally {
      printed = await slow.close();
    }
  } finally {
    await plain.close();
  }
  const rows = [...PHASES, 'message'].map((p) => row(p, runs));
  if (target === 'embedded sink') return { target, rows, runs };
  const responderLate = JSON.parse(printed) as LatencyTarget['responderLate'];
  return { target, rows, ...(responderLate ? { responderLate } : {}), runs };
}

/** The embedded sink as its own process, plain or with the delays. */
async function startSink(delayed: boolean): Promise<RunningServer> {
  const port = await freePort();
  const delays = PHASES.map((p) => `${p}=${DELAY_MS}ms`).join(',');
  const args = [CLI_ENTRY, 'serve', '--profile', 'sink', '--port', String(port)];
  if (delayed) args.push('--delay', delays);
  return startServer(process.execPath, args, port);
}

async function startPrecise(delayed: boolean): Promise<RunningServer> {
  const port = await freePort();
  const args = [PRECISE_RESPONDER, String(port), String(delayed ? DELAY_MS * 1000 : 0)];
  return startServer(process.execPath, args, port);
}

async function latencyRun(
  ctx: BenchContext,
  sink: RunningServer,
  delayed: boolean,
  seconds: number,
): Promise<LatencyRun> {
  const m = await measure(
    ctx,
    [sink.pid],
    () =>
      runGauge(
        {
          profile: benchProfile('latency-lockstep'),
          target: sink,
          workers: 1,
          duration: `${seconds}s`,
        },
        ctx.root,
      ),
    (r) => r.processCpuMicros,
  );
  const r = m.value;
  if (r.failed > 0 || r.errors > 0)
    throw new Error(`smtpgauge: ${r.failed} failed, ${r.errors} errors`);
  const p50 = Object.fromEntries(PHASES.map((p) => [p, r.phases[p]?.p50 ?? Number.NaN]));
  const run: LatencyRun = {
    delayed,
    p50,
    messageP50: r.phases.message?.p50 ?? Number.NaN,
    conditions: m.conditions,
  };
  const c = run.conditions;
  ctx.log(
    `  ${delayed ? 'delayed ' : 'baseline'} p50 ${PHASES.map((p) => `${p} ${p50[p]}`).join(', ')}, ` +
      `message ${run.messageP50} ms (load ${c.loadavg1}, others ${c.otherCores} cores)`,
  );
  return run;
}

function row(phase: string, runs: LatencyRun[]): LatencyRow {
  const pick = (r: LatencyRun) => (phase === 'message' ? r.messageP50 : r.p50[phase]!);
  const baselineP50 = spreadOf(runs.filter((r) => !r.delayed).map(pick));
  const delayedP50 = spreadOf(runs.filter((r) => r.delayed).map(pick));
  const delta = round(delayedP50.median - baselineP50.median, 3);
  const expected = phase === 'message' ? DELAY_MS * PHASES.length : DELAY_MS;
  return {
    phase,
    baselineP50,
    delayedP50,
    delta,
    within: Math.abs(delta - expected) <= TOLERANCE_MS,
  };
}
