import { preOpenSessions, type OpenModel } from '../suite/profile-model.js';
import { fastNowMicros } from './fast-clock.js';
import type { LoadSession } from './load-session.js';
import { shareOf, type ModelContext } from './model-context.js';
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
 * The loop sleeps until the next start with a timer when it is at least 1 ms away, else yields
 * to the event loop once and starts every start that is due, so lag stays below a millisecond
 * while the generator keeps up.
 */
const TIMER_SLACK_MICROS = 1_000;
const MAX_SLEEP_MS = 50;

export async function runOpen(model: OpenModel, ctx: ModelContext): Promise<void> {
  const cap = Math.max(1, shareOf(model.maxSessions, ctx.worker, ctx.workers));
  const schedule = new RateSchedule(model, durationMs(ctx), ctx.worker, ctx.workers);
  const starter =
    model.unit === 'message' ? pooledStarter(ctx, cap, model) : new SessionStarter(ctx, cap, model);
  // The schedule ends at the duration: every start it gives is made or dropped, the last one
  // (due at the very end) included; only a stop or the spent budget ends the loop early.
  for (let at = schedule.next(); at !== undefined; at = schedule.next()) {
    const intended = ctx.startMicros + at * 1000;
    const wait = waitUntil(intended, ctx);
    if (wait) await wait;
    if (ctx.halted()) break;
    if (!starter.free()) {
      ctx.dropped();
      continue;
    }
    if (!ctx.takeMessage()) break;
    ctx.scheduleLag(Math.max(0, fastNowMicros() - intended));
    starter.start(intended);
  }
  // The run lasts its duration even when its last start came early (or there was none).
  const end = waitUntil(ctx.endMicros, ctx);
  if (end) await end;
  await starter.drain();
}

function durationMs(ctx: ModelContext): number {
  return (ctx.endMicros - ctx.startMicros) / 1000;
}

/**
 * Undefined once `micros` has come (or the run is halted), else a promise that settles then: a
 * timer while it is at least TIMER_SLACK_MICROS away (at most MAX_SLEEP_MS at a time, so a stop
 * is noticed soon even between starts a minute apart), then a look on every turn of the event
 * loop. One callback re-arms itself, so a turn costs no promise (at 1,000 starts/s and more the
 * loop turns between every two starts: a promise per turn made a scavenge every 25 ms).
 */
function waitUntil(micros: number, ctx: ModelContext): Promise<void> | undefined {
  if (micros <= fastNowMicros() || ctx.halted()) return undefined;
  return new Promise((resolve) => {
    const look = (): void => {
      const ahead = micros - fastNowMicros();
      if (ahead <= 0 || ctx.halted()) resolve();
      else if (ahead < TIMER_SLACK_MICROS) setImmediate(look);
      else
        setTimeout(look, Math.min(MAX_SLEEP_MS, Math.floor((ahead - TIMER_SLACK_MICROS) / 1000)));
    };
    look();
  });
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
  start(intendedMicros: number): void;
  drain(): Promise<void>;
}

/**
 * How a `unit: message` pool grows: a start that finds no idle session opens a new one while
 * fewer than MAX_OPENING sessions are opening; otherwise it waits for the first session to come
 * free, opened or released (its latency counts from its intended start, so the wait shows).
 * Before, every start that found no idle session opened one: at 5,000/s on an empty pool that
 * made 256 sessions (the cap) for a server that needs a handful, and the burst of set-ups held
 * the schedule up by over 10 ms at p99 and dropped 1.4–2.4% of the starts (bench:load).
 */
const MAX_OPENING = 8;

/** `unit: message`: a pool of reusable sessions, at most `cap` of them busy at once. */
class MessageStarter implements Starter {
  private readonly idle: LoadSession[] = [];
  private readonly running = new Set<Promise<void>>();
  /** Starts waiting for a session, oldest first (only with `reuse`). */
  private readonly waiting: ((session: LoadSession) => void)[] = [];
  private busy = 0;
  private opening = 0;

  constructor(
    private readonly ctx: ModelContext,
    private readonly cap: number,
  ) {}

  free(): boolean {
    return this.busy < this.cap;
  }

  start(intendedMicros: number): void {
    this.busy++;
    const task = this.send(intendedMicros).finally(() => {
      this.busy--;
      this.running.delete(task);
    });
    this.running.add(task);
  }

  /** An idle session still usable (one the server closed while idle is let go, not reused). */
  private async takeIdle(): Promise<LoadSession | undefined> {
    for (let session = this.idle.pop(); session; session = this.idle.pop()) {
      if (session.usable) return session;
      await this.close(session);
    }
    return undefined;
  }

  private async send(intendedMicros: number): Promise<void> {
    const session = (await this.takeIdle()) ?? (await this.acquire());
    // On a session that failed to open, the message is recorded as failed at once.
    await session.sendMessage(this.ctx.messages.next(this.ctx.random), intendedMicros);
    if (session.usable && this.ctx.reuse && (this.waiting.length > 0 || !this.ctx.stopping())) {
      this.release(session);
      return;
    }
    await this.close(session);
    this.openForWaiting();
  }

  /** No idle session: a new one, or, while MAX_OPENING are opening, the first to come free. */
  private acquire(): Promise<LoadSession> {
    if (!this.ctx.reuse || this.opening < MAX_OPENING) return this.open();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /**
   * Opens `count` sessions for the pool at once, before the schedule starts (the run's start
   * lies PRE_OPEN_LEAD_MS ahead, run-thread.ts); one that fails to open is let go. Each is
   * `running` until it is in the pool, so the drain waits for it and then closes it.
   */
  preOpen(count: number): void {
    for (let i = 0; i < count; i++) {
      const task = this.openSession()
        .then((session) => (session.usable ? this.release(session) : this.close(session)))
        .finally(() => {
          this.running.delete(task);
          this.openForWaiting();
        });
      this.running.add(task);
    }
  }

  /** A usable session goes to the start that has waited longest, else back to the pool. */
  private release(session: LoadSession): void {
    const next = this.waiting.shift();
    if (next) next(session);
    else this.idle.push(session);
  }

  /** While starts wait and fewer than MAX_OPENING sessions are opening, opens one each. */
  private openForWaiting(): void {
    while (this.waiting.length > 0 && this.opening < MAX_OPENING) {
      void this.open().then(this.waiting.shift()!);
    }
  }

  /**
   * A new session, opened or failed (the session has counted its failure); then, one opening
   * fewer, a session for each start still waiting (up to MAX_OPENING).
   */
  private async open(): Promise<LoadSession> {
    const session = await this.openSession();
    this.openForWaiting();
    return session;
  }

  private async openSession(): Promise<LoadSession> {
    this.opening++;
    const session = this.ctx.newSession();
    this.ctx.active(1);
    try {
      await session.open();
    } finally {
      this.opening--;
    }
    return session;
  }

  private async close(session: LoadSession): Promise<void> {
    if (session.usable) await session.quit();
    session.destroy();
    this.ctx.active(-1);
  }

  async drain(): Promise<void> {
    // The schedule is over: a start still waiting for a session opens its own.
    for (const next of this.waiting.splice(0)) void this.open().then(next);
    while (this.running.size > 0) await Promise.all([...this.running]);
    await Promise.all(this.idle.splice(0).map((s) => this.close(s)));
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
