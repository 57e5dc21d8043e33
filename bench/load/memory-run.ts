import { applyOverrides } from '../../src/cli/apply-load-overrides.js';
import { readProfile } from '../../src/cli/read-profile.js';
import { runLoad } from '../../src/load/run-load.js';

/**
 * The memory scenario's generator process: runs a profile in-process with `runLoad` (one
 * thread, recording on, as `smtpgauge load --workers 1` does) and samples
 * `process.memoryUsage()` every second. At the end of warm-up, half-way and one second before
 * the end it also forces a full GC (`node --expose-gc`) and samples the live heap. Prints one
 * JSON line: { samples, gcPoints, ok, sessions, durationMs }.
 *
 *   node --expose-gc memory-run.js PROFILE HOST:PORT SECONDS CONNECTIONS WARMUP_SECONDS
 */
export interface MemorySample {
  /** Seconds since the run started. */
  t: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface MemoryRunOutput {
  samples: MemorySample[];
  gcPoints: MemorySample[];
  ok: number;
  sessions: number;
  durationMs: number;
}

const [profilePath, target, secondsText, connections, warmupText] = process.argv.slice(2);
const seconds = Number(secondsText);
const warmup = Number(warmupText);
const [host, port] = (target ?? '').split(':');
const gc = (globalThis as { gc?: () => void }).gc;

const read = await readProfile(profilePath!, process.cwd());
if ('kind' in read) throw new Error(`cannot read ${profilePath}: ${read.message}`);
const changed = applyOverrides(read.profile, { duration: `${seconds}s`, connections });
if ('kind' in changed) throw new Error(changed.message);

const samples: MemorySample[] = [];
const gcPoints: MemorySample[] = [];
const started = performance.now();
const sample = (): MemorySample => {
  const m = process.memoryUsage();
  const t = Math.round(performance.now() - started) / 1000;
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = m;
  return { t, rss, heapUsed, heapTotal, external, arrayBuffers };
};
const sampler = setInterval(() => samples.push(sample()), 1_000);
const gcAt = [warmup, seconds / 2, seconds - 1].map((s) =>
  setTimeout(() => {
    gc?.();
    gcPoints.push(sample());
  }, s * 1000),
);
const outcome = await runLoad({
  plan: {
    profile: changed.profile,
    target: { host: host!, port: Number(port) },
    connectTimeoutMs: 5_000,
    replyTimeoutMs: 10_000,
    workers: 1,
    record: true,
    intervalMs: 1_000,
  },
  abortOn: [],
});
clearInterval(sampler);
gcAt.forEach(clearTimeout);
const output: MemoryRunOutput = {
  samples,
  gcPoints,
  ok: outcome.snapshot.counters.messages.ok,
  sessions: outcome.snapshot.counters.sessions.started,
  durationMs: outcome.snapshot.durationMs,
};
process.stdout.write(`${JSON.stringify(output)}\n`);
