import { benchProfile, measure, type BenchContext, type RunConditions } from './bench-context.js';
import { withTempDir } from './bench-children.js';
import { profileShares, type ProfileShares } from './cpu-profile-share.js';
import { runGauge } from './gauge-run.js';
import { startPostfixSink, type RunningServer } from './postfix-sink.js';
import { round, spreadOf, type Spread } from './stats.js';

/**
 * Scenario 2: what per-phase recording costs. The same closed run (8 sessions, 1 KiB,
 * PIPELINING, one thread) against Postfix smtp-sink, with recording (`record: true`, the
 * default) and with `--no-record` (messages counted only), in alternating pairs. The overhead is
 * taken per pair, so a change in the machine's load between pairs cancels out, and reported as
 * the median over the pairs: throughput lost (target ≤ 5%) and CPU per message added.
 *
 * Runs are 8 s: in 4 s runs the first second (cold code, which recording has more of) weighed
 * enough to show a 16–24% median overhead that 8 s runs do not. Even so two runs of the same
 * configuration differ by up to ±15% (how replies and writes happen to batch), more than
 * recording costs, so one more recorded run is made under
 * `node --cpu-prof`: the share of the generator's busy CPU samples spent in src/metrics and the
 * recorder sink is what recording costs, measured inside one run (cpu-profile-share.ts).
 */
export interface RecordingRun {
  record: boolean;
  rate: number;
  cpuPerMessage: number;
  conditions: RunConditions;
}

export interface RecordingResult {
  sessions: number;
  runSeconds: number;
  recorded: { rate: Spread; cpuPerMessage: Spread };
  unrecorded: { rate: Spread; cpuPerMessage: Spread };
  /** Per pair: (1 − recorded rate / unrecorded rate) × 100. */
  throughputOverheadPercent: Spread;
  /** Per pair: (recorded CPU per message / unrecorded − 1) × 100. */
  cpuOverheadPercent: Spread;
  /** One recorded run under --cpu-prof: each group's share of the busy samples, percent. */
  profile: ProfileShares;
  runs: RecordingRun[];
}

const SESSIONS = 8;

export async function runRecording(ctx: BenchContext): Promise<RecordingResult> {
  const runSeconds = ctx.quick ? 3 : 8;
  const pairs = ctx.quick ? 1 : Math.max(ctx.repeats, 5);
  const sink = await startPostfixSink(true);
  const runs: RecordingRun[] = [];
  let profile: ProfileShares;
  try {
    ctx.log(`recording overhead: ${pairs} pairs of ${runSeconds} s runs`);
    for (let i = 0; i < pairs; i++) {
      // Alternate which goes first, so neither always runs on a warmer machine.
      const order = i % 2 === 0 ? [true, false] : [false, true];
      for (const record of order) runs.push(await recordingRun(ctx, sink, record, runSeconds));
    }
    profile = await profiledRun(ctx, sink, runSeconds);
  } finally {
    await sink.close();
  }
  const on = runs.filter((r) => r.record);
  const off = runs.filter((r) => !r.record);
  const pairsOf = (f: (a: RecordingRun, b: RecordingRun) => number) =>
    on.map((a, i) => f(a, off[i]!));
  return {
    sessions: SESSIONS,
    runSeconds,
    recorded: figures(on),
    unrecorded: figures(off),
    throughputOverheadPercent: spreadOf(pairsOf((a, b) => round((1 - a.rate / b.rate) * 100, 2))),
    cpuOverheadPercent: spreadOf(
      pairsOf((a, b) => round((a.cpuPerMessage / b.cpuPerMessage - 1) * 100, 2)),
    ),
    profile,
    runs,
  };
}

async function recordingRun(
  ctx: BenchContext,
  sink: RunningServer,
  record: boolean,
  seconds: number,
): Promise<RecordingRun> {
  const m = await measure(
    ctx,
    [sink.pid],
    () =>
      runGauge(
        {
          profile: benchProfile('closed-1k'),
          target: sink,
          workers: 1,
          duration: `${seconds}s`,
          connections: SESSIONS,
          record,
        },
        ctx.root,
      ),
    (r) => r.processCpuMicros,
  );
  const run: RecordingRun = {
    record,
    rate: round(m.value.throughput, 1),
    cpuPerMessage: round(m.value.health.cpuMicrosPerMessage ?? Number.NaN, 2),
    conditions: m.conditions,
  };
  const c = run.conditions;
  ctx.log(
    `  ${record ? 'recorded  ' : '--no-record'} ${Math.round(run.rate)} msg/s, ` +
      `${run.cpuPerMessage} µs CPU/msg (load ${c.loadavg1}, others ${c.otherCores} cores)`,
  );
  return run;
}

async function profiledRun(
  ctx: BenchContext,
  sink: RunningServer,
  seconds: number,
): Promise<ProfileShares> {
  return withTempDir('smtpgauge-bench-prof-', async (dir) => {
    await ctx.gate.pass();
    await runGauge(
      {
        profile: benchProfile('closed-1k'),
        target: sink,
        workers: 1,
        duration: `${seconds}s`,
        connections: SESSIONS,
        nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
      },
      ctx.root,
    );
    const shares = profileShares(dir);
    ctx.log(`  recorded, --cpu-prof: recording ${shares.recording}% of the busy CPU samples`);
    return shares;
  });
}

function figures(runs: RecordingRun[]): { rate: Spread; cpuPerMessage: Spread } {
  return {
    rate: spreadOf(runs.map((r) => r.rate)),
    cpuPerMessage: spreadOf(runs.map((r) => r.cpuPerMessage)),
  };
}
