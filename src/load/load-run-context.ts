import type { PhaseRecorder } from '../metrics/phase-recorder.js';
import { fastNowMicros } from './fast-clock.js';
import type { LoadSession } from './load-session.js';
import type { MessageSet } from './message-mix.js';
import type { MessageBudget, ModelContext } from './model-context.js';
import type { Random } from './random.js';

/** Makes the sessions of one run: each call a new, unopened one. */
export interface SessionMaker {
  create(): LoadSession;
}

export interface LoadRunContextParts {
  recorder: PhaseRecorder;
  budget: MessageBudget;
  control: { stopped(): boolean };
  sessions: SessionMaker;
  messages: MessageSet;
  random: Random;
  startMicros: number;
  endMicros: number;
  reuse: boolean;
  worker: number;
  workers: number;
}

/**
 * The ModelContext of one run of a thread (its warm-up, or the measured run): a class, not an
 * object of closures made per run. The warm-up and the measured run then call the same
 * functions on objects of one shape, so what V8 compiled during the warm-up stays valid. With
 * closures, compiled code that had inlined the warm-up's was thrown away at the measured run's
 * start ("wrong call target") and compiled again, and the first 100–200 ms at 10,000 starts/s
 * were late (docs/performance.md, change 13).
 */
export class LoadRunContext implements ModelContext {
  readonly messages: MessageSet;
  readonly random: Random;
  readonly startMicros: number;
  readonly endMicros: number;
  readonly reuse: boolean;
  readonly worker: number;
  readonly workers: number;
  private readonly recorder: PhaseRecorder;
  private readonly budget: MessageBudget;
  private readonly control: { stopped(): boolean };
  private readonly sessions: SessionMaker;

  constructor(parts: LoadRunContextParts) {
    this.messages = parts.messages;
    this.random = parts.random;
    this.startMicros = parts.startMicros;
    this.endMicros = parts.endMicros;
    this.reuse = parts.reuse;
    this.worker = parts.worker;
    this.workers = parts.workers;
    this.recorder = parts.recorder;
    this.budget = parts.budget;
    this.control = parts.control;
    this.sessions = parts.sessions;
  }

  newSession(): LoadSession {
    this.recorder.sessionStarted();
    return this.sessions.create();
  }

  /** A stop, or this thread's share of messages spent. */
  halted(): boolean {
    return this.control.stopped() || this.budget.spent;
  }

  /** `halted()`, or the run's duration is over. */
  stopping(): boolean {
    return this.halted() || fastNowMicros() >= this.endMicros;
  }

  takeMessage(): boolean {
    if (!this.budget.take()) return false;
    this.recorder.messageStarted();
    return true;
  }

  scheduleLag(micros: number): void {
    this.recorder.recordNamed('schedule-lag', micros);
  }

  dropped(): void {
    this.recorder.countDropped();
  }

  active(): void {}
}
