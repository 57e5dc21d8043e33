import { PhaseRecorder, type LoadProgress } from '../metrics/phase-recorder.js';
import type { LoadSnapshot } from '../metrics/load-snapshot.js';
import { preOpenSessions, type LoadProfile, type TlsMode } from '../suite/profile-model.js';
import { runClosed } from './closed-model.js';
import { fastNowMicros } from './fast-clock.js';
import { HealthMonitor, type ThreadHealth } from './generator-health.js';
import { IntervalTicker } from './interval-ticker.js';
import type { LoadErrorKind } from './load-sink.js';
import { LoadSession, type LoadTarget } from './load-session.js';
import { buildMessageSet, type MessageSet } from './message-mix.js';
import { MessageBudget, shareOf, type ModelContext } from './model-context.js';
import { LoadRunContext, type SessionMaker } from './load-run-context.js';
import { runOpen } from './open-model.js';
import { Random, WeightedChoice } from './random.js';
import { CountingSink, RecorderSink } from './recorder-sink.js';
import { SessionScript } from './session-script.js';

/**
 * One thread's share of a load run (the main thread when there is one worker, else each worker
 * thread): `prepareThread` builds the message mix; `run` then runs the profile's model for
 * `worker` of `workers` from the common start, records into its own PhaseRecorder and returns
 * the snapshot with the thread's health. A ThreadPlan is plain data: it crosses to a worker as
 * is (the run's start comes separately, once every thread is prepared).
 */
export interface ThreadPlan {
  profile: LoadProfile;
  target: { host: string; port: number; servername?: string };
  credentials?: { user: string; pass: string };
  connectTimeoutMs: number;
  replyTimeoutMs: number;
  worker: number;
  workers: number;
  /** Record latencies per phase (false: count messages only, to measure recording's cost). */
  record: boolean;
  intervalMs: number;
}

export interface ThreadResult {
  snapshot: LoadSnapshot;
  health: ThreadHealth;
  errorSamples: Partial<Record<LoadErrorKind, string[]>>;
  /** The warm-up's messages (none recorded in `snapshot`), when the profile has one. */
  warmUp?: WarmUpCounts;
}

/** What a warm-up sent: messages started, and accepted at end of data. */
export interface WarmUpCounts {
  attempted: number;
  ok: number;
}

export interface ThreadControl {
  /** True once the run must stop starting work (interrupt, aborting threshold elsewhere). */
  stopped(): boolean;
  /** Called about once per interval with live figures. */
  onTick?(progress: LoadProgress, recorder: PhaseRecorder): void;
}

/** After the end (or a stop), sessions still busy get this long before they are cut off. */
export const DRAIN_MS = 2_000;

/**
 * How long before the common start the threads are given it: an open model that pre-opens
 * sessions (preOpenSessions) opens them in this lead, so its first starts find a warm pool.
 * Sessions still opening at the start join the pool when they are ready.
 */
export const PRE_OPEN_LEAD_MS = 250;

/**
 * Between a warm-up's end and the measured run's lead: the warm-up's sessions finish the
 * message they are sending and QUIT in it. A longer drain (at most DRAIN_MS, against a server
 * that stalls) first eats the open model's pre-open lead; beyond that the measured run begins
 * late, and its first starts are recorded as late.
 */
export const WARM_UP_GAP_MS = 100;

/**
 * The lead to give the threads' common start: the warm-up and its gap, when the profile has
 * one, then PRE_OPEN_LEAD_MS when sessions pre-open.
 */
export function startLeadMicros(profile: LoadProfile): number {
  return (warmUpLeadMs(profile) + preOpenLeadMs(profile)) * 1000;
}

function preOpenLeadMs(profile: LoadProfile): number {
  const { model } = profile;
  const preOpen = model.kind === 'open' && preOpenSessions(model, profile.connection.reuse) > 0;
  return preOpen ? PRE_OPEN_LEAD_MS : 0;
}

function warmUpLeadMs(profile: LoadProfile): number {
  return profile.warmUpMs > 0 ? profile.warmUpMs + WARM_UP_GAP_MS : 0;
}

/** A thread ready to run: its message mix is built, so the run's start is not delayed by it. */
export interface PreparedThread {
  run(startMicros: number, control: ThreadControl): Promise<ThreadResult>;
}

export async function prepareThread(plan: ThreadPlan): Promise<PreparedThread> {
  const messages = await buildMessageSet(plan.profile.message, {
    seed: plan.profile.seed,
    envelope: plan.profile.envelope,
  });
  const shared: ThreadShared = { messages, script: sessionScript(plan) };
  return { run: (startMicros, control) => runPrepared(plan, shared, startMicros, control) };
}

/**
 * What the warm-up and the measured run share: the composed messages, and the session script
 * with its caches of command lines (one object, so code compiled in the warm-up stays valid).
 */
interface ThreadShared {
  messages: MessageSet;
  script: SessionScript;
}

async function runPrepared(
  plan: ThreadPlan,
  shared: ThreadShared,
  startMicros: number,
  control: ThreadControl,
): Promise<ThreadResult> {
  const { profile } = plan;
  let warmUp: WarmUpCounts | undefined;
  if (profile.warmUpMs > 0) {
    warmUp = await runWarmUp(plan, shared, startMicros, control);
    // The measured run begins where it would without a warm-up: its pre-open lead before the
    // start (a closed model begins at once when it is called).
    await sleepUntil(startMicros - preOpenLeadMs(profile) * 1000, control);
  }
  const health = new HealthMonitor();
  const recorder = new PhaseRecorder({ startMicros, intervalMs: plan.intervalMs });
  const sink = sinkFor(plan, recorder);
  const budget = new MessageBudget(
    profile.messages === undefined
      ? undefined
      : shareOf(profile.messages, plan.worker, plan.workers),
  );
  const endMicros = startMicros + profile.durationMs * 1000;
  health.start();
  const ticker = new IntervalTicker(startMicros, plan.intervalMs, () => {
    recorder.tick(fastNowMicros());
    control.onTick?.(recorder.progress(), recorder);
  });
  try {
    await threadRun(plan, shared, { recorder, sink, budget, control, startMicros, endMicros });
  } finally {
    ticker.stop();
  }
  const threadHealth = health.stop();
  const errorSamples = sink instanceof RecorderSink ? sink.errorSamples : {};
  // A run stopped during the lead ends before its start: it measured nothing, over 0 s.
  const endedAt = Math.max(fastNowMicros(), startMicros);
  return {
    snapshot: recorder.snapshot(endedAt),
    health: threadHealth,
    errorSamples,
    ...(warmUp ? { warmUp } : {}),
  };
}

/**
 * The warm-up (profile `warm-up`): the model runs from the start of the lead for `warmUpMs`
 * into a recorder that is thrown away, with no message budget, and its sessions are closed
 * (drained) before the measured run opens its own. It warms the generator (compiled code, the
 * heap, the kernel's sockets): at 10,000 starts/s the first half second of a cold run is late.
 * It records through the same kind of sink as the measured run, so the recording code is
 * compiled too: with a counting sink the first 200 ms of a warmed run at 10,000/s were as late
 * as a cold run's (docs/performance.md).
 */
async function runWarmUp(
  plan: ThreadPlan,
  shared: ThreadShared,
  startMicros: number,
  control: ThreadControl,
): Promise<WarmUpCounts> {
  const { profile } = plan;
  const warmStart = startMicros - startLeadMicros(profile);
  const endMicros = warmStart + profile.warmUpMs * 1000;
  const recorder = new PhaseRecorder({ startMicros: warmStart, intervalMs: plan.intervalMs });
  const sink = sinkFor(plan, recorder);
  await threadRun(plan, shared, {
    recorder,
    sink,
    budget: new MessageBudget(undefined),
    control,
    startMicros: warmStart,
    endMicros,
  });
  // Closes one interval (all it recorded), as the measured run does once a second: the first
  // close in a process parses and compiles the interval code (2–6 ms), which would otherwise
  // hold up the measured run at the end of its first second.
  recorder.tick(warmStart + plan.intervalMs * 1000);
  const counted = recorder.progress();
  return { attempted: counted.attempted, ok: counted.ok };
}

/** Recording on: every phase into histograms; off (`record: false`): whole messages counted. */
function sinkFor(plan: ThreadPlan, recorder: PhaseRecorder): RecorderSink | CountingSink {
  return plan.record ? new RecorderSink(recorder) : new CountingSink(recorder);
}

interface RunParts {
  recorder: PhaseRecorder;
  sink: RecorderSink | CountingSink;
  budget: MessageBudget;
  control: ThreadControl;
  startMicros: number;
  endMicros: number;
}

/** Runs the profile's model over [startMicros, endMicros) into `recorder`, drain included. */
function threadRun(plan: ThreadPlan, shared: ThreadShared, parts: RunParts): Promise<void> {
  const { profile } = plan;
  const live = new Set<LoadSession>();
  const ctx = new LoadRunContext({
    ...parts,
    sessions: new SessionFactory(plan, shared.script, parts.sink, live),
    messages: shared.messages,
    random: new Random(profile.seed, 1 + plan.worker),
    reuse: profile.connection.reuse,
    worker: plan.worker,
    workers: plan.workers,
  });
  return withDrain(runModel(profile, ctx), () => ctx.stopping(), live);
}

function runModel(profile: LoadProfile, ctx: ModelContext): Promise<void> {
  return profile.model.kind === 'closed'
    ? runClosed(profile.model, ctx)
    : runOpen(profile.model, ctx);
}

/**
 * Waits for the model to finish; once it is stopping, gives busy sessions DRAIN_MS and then
 * destroys them, so a server that stalls cannot hold the run past its end.
 */
async function withDrain(
  model: Promise<void>,
  stopping: () => boolean,
  sessions: Set<LoadSession>,
): Promise<void> {
  let done = false;
  const finished = model.finally(() => (done = true));
  // One watcher for the whole run: a race against `finished` every 20 ms left a reaction on it
  // each time (about 320 bytes, 1 MB a minute) until the run ended.
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (done || stopping()) {
        clearInterval(poll);
        resolve();
      }
    }, 20);
    const settle = () => {
      clearInterval(poll);
      resolve();
    };
    finished.then(settle, settle);
  });
  if (!done) await Promise.race([finished, delay(DRAIN_MS)]);
  if (!done) for (const session of sessions) session.destroy();
  await finished;
}

/** Resolves at `micros` (fast clock, to the ms), or within 20 ms of a stop. */
async function sleepUntil(micros: number, control: ThreadControl): Promise<void> {
  for (let ms = (micros - fastNowMicros()) / 1000; ms > 0 && !control.stopped();) {
    // A timer that holds the process open: between the warm-up and the run nothing else may.
    await new Promise((resolve) => setTimeout(resolve, Math.min(20, Math.ceil(ms))));
    ms = (micros - fastNowMicros()) / 1000;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function sessionScript(plan: ThreadPlan): SessionScript {
  const { profile } = plan;
  return new SessionScript({
    helo: profile.connection.helo,
    envelope: profile.envelope,
    eightBit: profile.message.eightBit,
    ...(plan.credentials
      ? { credentials: { username: plan.credentials.user, password: plan.credentials.pass } }
      : {}),
  });
}

/** The sessions of one run, each with its TLS mode drawn from the profile's mix. */
class SessionFactory implements SessionMaker {
  private readonly targets = new Map<TlsMode, LoadTarget>();
  private readonly tlsChoice: WeightedChoice<TlsMode>;
  private readonly random: Random;

  constructor(
    private readonly plan: ThreadPlan,
    private readonly script: SessionScript,
    private readonly sink: RecorderSink | CountingSink,
    private readonly live: Set<LoadSession>,
  ) {
    const { profile } = plan;
    this.tlsChoice = new WeightedChoice(
      profile.connection.tls.map((t) => ({ value: t.mode, weight: t.weight })),
    );
    this.random = new Random(profile.seed, 0x544c53 + plan.worker); // 'TLS' stream per thread
  }

  create(): LoadSession {
    const session = new LoadSession(
      this.targetFor(this.tlsChoice.pick(this.random)),
      this.script,
      this.sink,
    );
    // Only open sessions can need cutting off at the end: a closed one is let go, or a run that
    // opens a session per message would keep every one it made (3.5 KB each, measured).
    const live = this.live;
    live.add(session);
    void session.whenClosed().then(() => live.delete(session));
    return session;
  }

  private targetFor(tls: TlsMode): LoadTarget {
    let target = this.targets.get(tls);
    if (!target) {
      const { plan } = this;
      const connection = plan.profile.connection;
      target = {
        ...plan.target,
        tls,
        connectTimeoutMs: plan.connectTimeoutMs,
        replyTimeoutMs: plan.replyTimeoutMs,
        pipelining: connection.pipelining,
        chunking: connection.chunking,
        auth: connection.auth,
      };
      this.targets.set(tls, target);
    }
    return target;
  }
}
