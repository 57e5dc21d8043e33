import { Worker } from 'node:worker_threads';
import type { LoadSnapshot } from '../metrics/load-snapshot.js';
import { mergeSnapshots } from '../metrics/merge-snapshots.js';
import type { LoadProgress } from '../metrics/phase-recorder.js';
import { AbortWatch } from './abort-watch.js';
import { fastNowMicros } from './fast-clock.js';
import type { ThreadHealth } from './generator-health.js';
import type { LoadErrorKind } from './load-sink.js';
import {
  prepareThread,
  startLeadMicros,
  type ThreadPlan,
  type ThreadResult,
  type WarmUpCounts,
} from './run-thread.js';
import type { FromWorker, ToWorker, WorkerData } from './thread-messages.js';

/**
 * Runs a load plan on `workers` threads (at most one per session the model allows) and merges
 * what they measured (lossless: the merged histograms are those of one recorder that saw every
 * value). One worker runs on the calling thread; more run as worker threads (load-worker.ts),
 * each with its share of the profile.
 *
 * Every thread is prepared (message mix built) before the common start is set, so setup never
 * shows as schedule lag. `signal` (Ctrl-C) and a breached `abort` threshold stop every thread;
 * the threads drain briefly and report what they measured, and the result says why it ended.
 */
export interface LoadRunOptions {
  /** The plan for thread 0; `worker` is set per thread. */
  plan: Omit<ThreadPlan, 'worker'>;
  /** Threshold expressions that stop the run when breached. */
  abortOn: string[];
  signal?: AbortSignal;
  /** About once per interval: the sum of the threads' figures. */
  onProgress?(progress: LoadProgress, elapsedMs: number): void;
}

export interface LoadRunOutcome {
  snapshot: LoadSnapshot;
  /** Each thread's own snapshot, in thread order: what `snapshot` was merged from. */
  shards: LoadSnapshot[];
  threads: ThreadHealth[];
  errorSamples: Partial<Record<LoadErrorKind, string[]>>;
  interrupted: boolean;
  /** The aborting threshold that stopped the run, with its reason. */
  abortedBy?: { expression: string; reason: string };
  /** The warm-up's messages, summed over the threads (profile `warm-up`; none recorded). */
  warmUp?: WarmUpCounts;
}

export async function runLoad(given: LoadRunOptions): Promise<LoadRunOutcome> {
  const options = { ...given, plan: { ...given.plan, workers: threadsFor(given.plan) } };
  const stop = new StopSwitch(options.signal);
  const results =
    options.plan.workers <= 1 ? [await runHere(options, stop)] : await runOnWorkers(options, stop);
  const shards = results.map((r) => r.snapshot);
  const merged = mergeSnapshots(...shards);
  if (!merged.ok) throw new Error(`merging the threads' results: ${merged.problems.join('; ')}`);
  return {
    snapshot: merged.snapshot,
    shards,
    threads: results.map((r) => r.health),
    errorSamples: mergeSamples(results),
    interrupted: stop.interrupted,
    ...(stop.breach ? { abortedBy: stop.breach } : {}),
    ...warmUpOf(results),
  };
}

function warmUpOf(results: ThreadResult[]): Pick<LoadRunOutcome, 'warmUp'> {
  const counts = results.flatMap((r) => (r.warmUp ? [r.warmUp] : []));
  if (counts.length === 0) return {};
  const sum = (pick: (c: WarmUpCounts) => number) => counts.reduce((n, c) => n + pick(c), 0);
  return { warmUp: { attempted: sum((c) => c.attempted), ok: sum((c) => c.ok) } };
}

/**
 * The threads that get work: a closed model's sessions (an open model's session cap) are split
 * over the threads, so a thread beyond their number would sit idle with its share of the
 * message budget unspent (or, in the open model, raise the cap).
 */
function threadsFor(plan: LoadRunOptions['plan']): number {
  const { model } = plan.profile;
  const sessions = model.kind === 'closed' ? model.sessions : model.maxSessions;
  return Math.max(1, Math.min(plan.workers, sessions));
}

/** Why the run stops early: an interrupt, or an aborting threshold. */
class StopSwitch {
  breach?: { expression: string; reason: string };
  private listeners: (() => void)[] = [];

  constructor(private readonly signal?: AbortSignal) {
    signal?.addEventListener('abort', () => this.fire(), { once: true });
  }

  get interrupted(): boolean {
    return this.signal?.aborted === true;
  }

  get stopped(): boolean {
    return this.interrupted || this.breach !== undefined;
  }

  abort(breach: { expression: string; reason: string }): void {
    if (this.stopped) return;
    this.breach = breach;
    this.fire();
  }

  onStop(listener: () => void): void {
    this.listeners.push(listener);
  }

  private fire(): void {
    for (const listener of this.listeners) listener();
  }
}

async function runHere(options: LoadRunOptions, stop: StopSwitch): Promise<ThreadResult> {
  const prepared = await prepareThread({ ...options.plan, worker: 0 });
  const watch = new AbortWatch(options.abortOn);
  const startMicros = fastNowMicros() + startLeadMicros(options.plan.profile);
  return prepared.run(startMicros, {
    stopped: () => stop.stopped,
    onTick: (progress, recorder) => {
      options.onProgress?.(progress, (fastNowMicros() - startMicros) / 1000);
      const breach = watch.check(recorder);
      if (breach) stop.abort(breach);
    },
  });
}

async function runOnWorkers(options: LoadRunOptions, stop: StopSwitch): Promise<ThreadResult[]> {
  const count = options.plan.workers;
  const progress = new Map<number, LoadProgress>();
  let startMicros = 0;
  const workers = Array.from({ length: count }, (_, worker) => {
    const data: WorkerData = { plan: { ...options.plan, worker }, abortOn: options.abortOn };
    return new Worker(workerEntry(), { workerData: data });
  });
  const send = (message: ToWorker) => workers.forEach((w) => w.postMessage(message));
  stop.onStop(() => send({ kind: 'stop' }));
  let ready = 0;
  const results = workers.map(
    (worker, index) =>
      new Promise<ThreadResult>((resolve, reject) => {
        worker.on('message', (message: FromWorker) => {
          if (message.kind === 'ready' && ++ready === count) {
            startMicros = fastNowMicros() + startLeadMicros(options.plan.profile);
            send({ kind: 'start', startMicros });
            if (stop.stopped) send({ kind: 'stop' });
          } else if (message.kind === 'progress') {
            progress.set(index, message.progress);
            if (index === 0)
              options.onProgress?.(sumProgress([...progress.values()]), elapsed(startMicros));
          } else if (message.kind === 'breach') stop.abort(message);
          else if (message.kind === 'result') resolve(message.result);
          else if (message.kind === 'failed')
            reject(new Error(`load worker ${index}: ${message.message}`));
        });
        worker.on('error', reject);
        worker.on('exit', (code) => reject(new Error(`load worker ${index} exited (${code})`)));
      }),
  );
  try {
    return await Promise.all(results);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

const elapsed = (startMicros: number) => (fastNowMicros() - startMicros) / 1000;

/**
 * The compiled worker beside this file. Run from the TypeScript sources (the tests), the
 * worker is taken from `dist/` (built by `npm run build`, which the test setup runs first):
 * Node 20 cannot start a worker from a `.ts` file.
 */
function workerEntry(): URL {
  const here = new URL(import.meta.url);
  if (here.pathname.endsWith('.ts')) return new URL('../../dist/load/load-worker.js', here);
  return new URL('./load-worker.js', here);
}

function sumProgress(all: LoadProgress[]): LoadProgress {
  const sum = (pick: (p: LoadProgress) => number) => all.reduce((n, p) => n + pick(p), 0);
  const intervals = all.flatMap((p) => (p.lastInterval ? [p.lastInterval] : []));
  const p99s = intervals.flatMap((i) => (i.p99 === null ? [] : [i.p99]));
  return {
    attempted: sum((p) => p.attempted),
    ok: sum((p) => p.ok),
    failed: sum((p) => p.failed),
    errors: sum((p) => p.errors),
    dropped: sum((p) => p.dropped),
    active: sum((p) => p.active),
    ...(intervals.length > 0
      ? {
          lastInterval: {
            messages: intervals.reduce((n, i) => n + i.messages, 0),
            durationMs: Math.max(...intervals.map((i) => i.durationMs)),
            // The worst thread's p99: an upper bound of the merged one, for the live line only.
            p99: p99s.length > 0 ? Math.max(...p99s) : null,
          },
        }
      : {}),
  };
}

function mergeSamples(results: ThreadResult[]): Partial<Record<LoadErrorKind, string[]>> {
  const merged: Partial<Record<LoadErrorKind, string[]>> = {};
  for (const result of results) {
    for (const [kind, samples] of Object.entries(result.errorSamples) as [
      LoadErrorKind,
      string[],
    ][])
      merged[kind] = [...(merged[kind] ?? []), ...samples].slice(0, 5);
  }
  return merged;
}
