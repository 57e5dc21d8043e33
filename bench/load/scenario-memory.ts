import { fileURLToPath } from 'node:url';
import { benchProfile, measure, type BenchContext, type RunConditions } from './bench-context.js';
import { runMeasured } from './measured-process.js';
import type { MemoryRunOutput, MemorySample } from './memory-run.js';
import { startPostfixSink } from './postfix-sink.js';
import { round, slopeOf } from './stats.js';

/**
 * Scenario 5: memory stays flat. Long closed runs (8 sessions, 1 KiB, PIPELINING, recording on)
 * against Postfix smtp-sink, each in its own process (memory-run.ts) that samples its RSS and
 * heap every second: one on 8 reused sessions (the most messages), one with a new session for
 * every message (`reuse: false`: the most sessions). After warm-up the figures should not grow:
 * nothing is kept per message, per session or per sample. The one thing that grows by design is
 * the interval series (one closed interval per second, its histogram encoded, up to 3,600
 * intervals; docs/metrics.md). Reported per run: RSS and heap at the end of warm-up, half-way
 * and at the end, the least-squares slope after warm-up (MB per minute), and the live heap
 * after a forced GC at those points.
 */
export interface MemoryPoint {
  t: number;
  rssMb: number;
  heapUsedMb: number;
}

export interface MemoryResult {
  /** What the run churns: `reused sessions` or `a session per message`. */
  variant: string;
  seconds: number;
  warmupSeconds: number;
  messages: number;
  sessions: number;
  start: MemoryPoint;
  middle: MemoryPoint;
  end: MemoryPoint;
  /** After warm-up, MB per minute. */
  rssSlopeMbPerMin: number;
  heapSlopeMbPerMin: number;
  /** Heap used after a forced full GC: end of warm-up, middle, end (MB). */
  liveHeapMb: number[];
  conditions: RunConditions;
  samples: MemoryPoint[];
}

const MEMORY_RUN = fileURLToPath(new URL('./memory-run.js', import.meta.url));
const MB = 1024 * 1024;

/** The session-churn run takes this share of `seconds` (the time budget of the whole bench). */
const VARIANTS = [
  { variant: 'reused sessions', profile: 'closed-1k', share: 1 },
  { variant: 'a session per message', profile: 'closed-1k-new-session', share: 0.5 },
];

export async function runMemory(ctx: BenchContext, seconds: number): Promise<MemoryResult[]> {
  const results: MemoryResult[] = [];
  for (const { variant, profile, share } of VARIANTS) {
    const length = Math.max(15, Math.round(seconds * share));
    results.push(await memoryRun(ctx, length, variant, profile));
  }
  return results;
}

async function memoryRun(
  ctx: BenchContext,
  seconds: number,
  variant: string,
  profile: string,
): Promise<MemoryResult> {
  const warmupSeconds = Math.min(10, Math.round(seconds / 4));
  const sink = await startPostfixSink(true);
  try {
    ctx.log(`memory, ${variant}: one ${seconds} s closed run, sampled every second`);
    const m = await measure(
      ctx,
      [sink.pid],
      () =>
        runMeasured(
          process.execPath,
          [
            '--expose-gc',
            MEMORY_RUN,
            benchProfile(profile),
            `${sink.host}:${sink.port}`,
            String(seconds),
            '8',
            String(warmupSeconds),
          ],
          { cwd: ctx.root, timeoutMs: (seconds + 60) * 1000 },
        ),
      (exit) => exit.cpuMicros,
    );
    if (m.value.code !== 0) throw new Error(`memory run exited ${m.value.code}: ${m.value.stderr}`);
    const output = JSON.parse(m.value.stdout) as MemoryRunOutput;
    const result = summarise(output, variant, seconds, warmupSeconds, m.conditions);
    ctx.log(
      `  RSS ${result.start.rssMb} → ${result.middle.rssMb} → ${result.end.rssMb} MB ` +
        `(${result.rssSlopeMbPerMin} MB/min), live heap ${result.liveHeapMb.join(' → ')} MB`,
    );
    return result;
  } finally {
    await sink.close();
  }
}

function summarise(
  output: MemoryRunOutput,
  variant: string,
  seconds: number,
  warmupSeconds: number,
  conditions: RunConditions,
): MemoryResult {
  const samples = output.samples.map(point);
  const after = samples.filter((s) => s.t >= warmupSeconds);
  const at = (t: number) =>
    after.reduce((best, s) => (Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best), after[0]!);
  const minutes = after.map((s) => s.t / 60);
  return {
    variant,
    seconds,
    warmupSeconds,
    messages: output.ok,
    sessions: output.sessions,
    start: at(warmupSeconds),
    middle: at((warmupSeconds + seconds) / 2),
    end: after.at(-1)!,
    rssSlopeMbPerMin: round(
      slopeOf(
        minutes,
        after.map((s) => s.rssMb),
      ),
      2,
    ),
    heapSlopeMbPerMin: round(
      slopeOf(
        minutes,
        after.map((s) => s.heapUsedMb),
      ),
      2,
    ),
    liveHeapMb: output.gcPoints.map((s) => round(s.heapUsed / MB, 2)),
    conditions,
    samples,
  };
}

function point(s: MemorySample): MemoryPoint {
  return { t: s.t, rssMb: round(s.rss / MB, 1), heapUsedMb: round(s.heapUsed / MB, 2) };
}
