import { preOpenSessions, type OpenModel } from '../suite/profile-model.js';
import { fastNowMicros } from './fast-clock.js';
import type { LoadSession } from './load-session.js';
import type { MessageCallback } from './transaction.js';
import { shareOf, type ModelContext } from './model-context.js';
import { PoolGrowth } from './pool-growth.js';
import { RateSchedule } from './rate-schedule.js';

/**
 * The open model: starts at a target rate, whatever the server does (rate-schedule.ts gives
 * each start an absolute time from the run's start). `unit: message` starts one message per
 * tick on an idle session of a pool (opening a new one when none is idle); `unit: session`
 * opens a new session that sends `messagesPerSession` messages and QUITs.
 *
 * A start that cannot be served because `maxSessions` sessions are busy is counted as dropped;
 * it is never queued or delayed, takes nothing from the message budget and is not counted as
 * attempted. Each start's latency counts from its intended time (so a slow server or a late
 * generator shows in the numbers: no coordinated omission), and how late it actually began is
 * recorded as schedule lag.
 *
 * A pool (`unit: message` with reused sessions) is pre-opened before the schedule starts
 * (profile-model.ts, preOpenSessions), so the first starts do not pay for opening sessions.
 *
 * The loop (StartLoop) sleeps until the next start with a timer when it is at least 1 ms away,
 * else looks again on the next turn of the event loop, and makes every start that is due, so
 * lag stays below a millisecond while the generator keeps up. Neither the loop nor a start on
 * an idle pooled session makes a promise or a closure: at 10,000 starts/s a promise chain per
 * start cost about twice the CPU per message of the closed model (bench:load, 2026-11-23).
 */
const TIMER_SLACK_MICROS = 1_000;
const MAX_SLEEP_MS = 50;

export function runOpen(model: OpenModel, ctx: ModelContext): Promise<void> {
  const cap = Math.max(1, shareOf(model.maxSessions, ctx.worker, ctx.workers));
  const schedule = new RateSchedule(model, durationMs(ctx), ctx.worker, ctx.workers);
  const starter =
    model.unit === 'message' ? pooledStarter(ctx, cap, model) : new SessionStarter(ctx, cap, model);
  return new Promise((resolve, reject) => new StartLoop(schedule, starter, ctx, resolve, reject));
}

function durationMs(ctx: ModelContext): number {
  return (ctx.endMicros - ctx.startMicros) / 1000;
}

/**
 * Makes the schedule's starts when they are due. The schedule ends at the duration: every start
 * it gives is made or dropped, the last one (due at the very end) included; only a stop or the
 * spent budget ends it early. The run then lasts its duration even when its last start came
 * early (or there was none), and the starter drains.
 */
class StartLoop {
  /** The next start's intended time (µs), or the run's end once the schedule is over. */
  private next: number;
  private scheduleOver = false;

  constructor(
    private readonly schedule: RateSchedule,
    private readonly starter: Starter,
    private readonly ctx: ModelContext,
    private readonly resolve: () => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.next = this.following();
    this.look();
  }

  private following(): number {
    const at = this.schedule.next();
    if (at !== undefined) return this.ctx.startMicros + at * 1000;
    this.scheduleOver = true;
    return this.ctx.endMicros;
  }

  /** One look: every start that is due, then a sleep until the next (or the end). */
  private readonly look = (): void => {
    try {
      this.startDue();
    } catch (error) {
      this.reject(error);
    }
  };

  private startDue(): void {
    const { ctx, starter } = this;
    for (;;) {
      if (ctx.halted()) return this.finish();
      const now = fastNowMicros();
      const ahead = this.next - now;
      if (ahead > 0) return this.sleep(ahead);
      if (this.scheduleOver) return this.finish();
      const intended = this.next;
      this.next = this.following();
      if (!starter.free()) {
        ctx.dropped();
        continue;
      }
      if (!ctx.takeMessage()) return this.finish();
      ctx.scheduleLag(-ahead);
      starter.start(intended, -ahead);
    }
  }

  /**
   * A timer while the next look is at least TIMER_SLACK_MICROS away (at most MAX_SLEEP_MS at a
   * time, so a stop is noticed soon even between starts a minute apart), else the next turn.
   */
  private sleep(aheadMicros: number): void {
    if (aheadMicros < TIMER_SLACK_MICROS) setImmediate(this.look);
    else {
      const ms = Math.floor((aheadMicros - TIMER_SLACK_MICROS) / 1000);
      setTimeout(this.look, Math.min(MAX_SLEEP_MS, ms));
    }
  }

  private finish(): void {
    this.starter.drain().then(this.resolve, this.reject);
  }
}

/**
 * A pool for `unit: message`, with this thread's share of the pre-opened sessions opening. The
 * default share is at least one a thread (every thread's first start should find one); a
 * `pre-open` given in the profile is split as it is.
 */
function pooledStarter(ctx: ModelContext, cap: number, model: OpenModel): MessageStarter {
  const starter = new MessageStarter(ctx, cap);
  const total = preOpenSessions(model, ctx.reuse);
  const share = shareOf(total, ctx.worker, ctx.workers);
  const preOpen = model.preOpen === undefined && total > 0 ? Math.max(1, share) : share;
  if (!ctx.halted()) starter.preOpen(Math.min(cap, preOpen));
  return starter;
}

interface Starter {
  /** A start now would find a session within the cap (else it is dropped). */
  free(): boolean;
  /** Makes the start due at `intendedMicros`, `lagMicros` after it. */
  start(intendedMicros: number, lagMicros: number): void;
  drain(): Promise<void>;
}

/** A pooled session with its message callback, made once (no closure per message). */
class PoolEntry {
  readonly done: MessageCallback;

  constructor(
    readonly session: LoadSession,
    pool: MessageStarter,
  ) {
    this.done = () => pool.sent(this);
  }
}

/**
 * `unit: message`: a pool of reusable sessions, at most `cap` starts busy at once (sending, or
 * waiting for a session). A start on an idle session sends at once, from the loop's turn; one
 * that finds none opens a session or waits (pool-growth.ts).
 */
class MessageStarter implements Starter {
  private readonly idle: PoolEntry[] = [];
  /** Intended starts (µs) waiting for a session, oldest first (only with `reuse`). */
  private readonly waiting: number[] = [];
  /** Session openings and QUITs in flight (the drain waits for them). */
  private readonly tasks = new Set<Promise<unknown>>();
  private busy = 0;
  private opening = 0;
  private readonly growth = new PoolGrowth();
  private drained: (() => void) | undefined;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly ctx: ModelContext,
    private readonly cap: number,
  ) {}

  free(): boolean {
    return this.busy < this.cap;
  }

  start(intendedMicros: number, lagMicros: number): void {
    this.busy++;
    const now = intendedMicros + lagMicros;
    this.growth.started(now, lagMicros);
    const entry = this.takeIdle();
    if (entry) this.send(entry, intendedMicros);
    else if (!this.ctx.reuse || this.mayOpen(now, 1)) this.openFor(intendedMicros);
    else this.waiting.push(intendedMicros);
  }

  /**
   * A start without an idle session may open one (pool-growth.ts). `unqueued`: 1 for a start
   * counted in `busy` but not (yet) in `waiting`, else 0. The other busy starts that are not
   * waiting are in use: sending on a session, or opening one.
   */
  private mayOpen(now: number, unqueued: number): boolean {
    const inUse = this.busy - unqueued - this.waiting.length;
    return this.growth.mayOpen(now, this.opening, inUse);
  }

  /** An idle session still usable (one the server closed while idle is let go, not reused). */
  private takeIdle(): PoolEntry | undefined {
    for (let entry = this.idle.pop(); entry; entry = this.idle.pop()) {
      if (entry.session.usable) return entry;
      this.close(entry);
    }
    return undefined;
  }

  /** On a session that failed to open, the message is recorded as failed at once. */
  private send(entry: PoolEntry, intendedMicros: number): void {
    entry.session.send(this.ctx.messages.next(this.ctx.random), intendedMicros, entry.done);
  }

  /** A message has ended on `entry` (its callback, from the session's reply handler). */
  sent(entry: PoolEntry): void {
    this.busy--;
    const reusable = entry.session.usable && this.ctx.reuse;
    if (reusable && (this.waiting.length > 0 || !this.ctx.stopping())) this.release(entry);
    else {
      this.close(entry);
      this.openForWaiting();
    }
    this.checkDrained();
  }

  /** A usable session goes to the start that has waited longest, else back to the pool. */
  private release(entry: PoolEntry): void {
    const intended = this.waiting.shift();
    if (intended === undefined) this.idle.push(entry);
    else this.send(entry, intended);
  }

  /**
   * Opens `count` sessions for the pool at once, before the schedule starts (the run's start
   * lies PRE_OPEN_LEAD_MS ahead, run-thread.ts); one that fails to open is let go. The drain
   * waits for those still opening and then closes them.
   */
  preOpen(count: number): void {
    for (let i = 0; i < count; i++) {
      this.track(
        this.openSession().then((entry) => {
          if (entry.session.usable) this.release(entry);
          else this.close(entry);
          this.openForWaiting();
        }),
      );
    }
  }

  /** A new session for a start (which sends on it once it is open, or fails at once). */
  private openFor(intendedMicros: number): void {
    this.track(
      this.openSession().then((entry) => {
        this.send(entry, intendedMicros);
        this.openForWaiting();
      }),
    );
  }

  /** While starts wait and may open a session (mayOpen), opens one for each. */
  private openForWaiting(): void {
    if (this.waiting.length === 0) return;
    const now = fastNowMicros();
    while (this.waiting.length > 0 && this.mayOpen(now, 0)) this.openFor(this.waiting.shift()!);
  }

  private async openSession(): Promise<PoolEntry> {
    this.opening++;
    const session = this.ctx.newSession();
    this.ctx.active(1);
    try {
      await session.open();
    } finally {
      this.opening--;
    }
    return new PoolEntry(session, this);
  }

  /** QUITs a usable session (tracked, so the drain waits for it), else lets it go. */
  private close(entry: PoolEntry): void {
    const session = entry.session;
    if (!session.usable) {
      session.destroy();
      this.ctx.active(-1);
      return;
    }
    this.track(
      session.quit().finally(() => {
        session.destroy();
        this.ctx.active(-1);
      }),
    );
  }

  /** A task the drain waits for; the first that fails (a bug: sessions do not reject) fails it. */
  private track(task: Promise<unknown>): void {
    this.tasks.add(task);
    const settled = () => {
      this.tasks.delete(task);
      this.checkDrained();
    };
    task.then(settled, (error: unknown) => {
      this.failure ??= { error };
      settled();
    });
  }

  private checkDrained(): void {
    if (this.drained && this.busy === 0 && this.tasks.size === 0) this.drained();
  }

  async drain(): Promise<void> {
    // The schedule is over: a start still waiting for a session opens its own.
    for (const intended of this.waiting.splice(0)) this.openFor(intended);
    await new Promise<void>((resolve) => {
      this.drained = resolve;
      this.checkDrained();
    });
    this.drained = undefined;
    for (const entry of this.idle.splice(0)) this.close(entry);
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
    if (this.failure) throw this.failure.error;
  }
}

/** `unit: session`: each start is a new session sending `messagesPerSession` messages. */
class SessionStarter implements Starter {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly ctx: ModelContext,
    private readonly cap: number,
    private readonly model: OpenModel,
  ) {}

  free(): boolean {
    return this.running.size < this.cap;
  }

  start(intendedMicros: number): void {
    const task = this.run(intendedMicros).finally(() => this.running.delete(task));
    this.running.add(task);
  }

  private async run(intendedMicros: number): Promise<void> {
    const session = this.ctx.newSession();
    this.ctx.active(1);
    try {
      await session.open();
      // The first message was due at the start (and taken with it): on a session that failed
      // to open it is recorded as failed at once. Later ones go as soon as possible; a started
      // session sends them all unless the run is stopped (the time bound does not cut it short).
      for (let i = 0; i < this.model.messagesPerSession; i++) {
        if (i > 0 && (!session.usable || this.ctx.halted() || !this.ctx.takeMessage())) break;
        const message = this.ctx.messages.next(this.ctx.random);
        await session.sendMessage(message, i === 0 ? intendedMicros : undefined);
      }
      if (session.usable) await session.quit();
    } finally {
      session.destroy();
      this.ctx.active(-1);
    }
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
