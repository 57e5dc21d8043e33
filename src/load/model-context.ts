import type { LoadSession } from './load-session.js';
import type { MessageSet } from './message-mix.js';
import type { Random } from './random.js';

/**
 * What a workload model (closed-model.ts, open-model.ts) gets from the run: how to make
 * sessions and messages, when to stop, and where to count what only the model sees. One
 * context per thread; `worker` of `workers` says which share of the profile is this thread's.
 */
export interface ModelContext {
  /** A new, unopened session (its TLS mode already drawn from the profile's mix). */
  newSession(): LoadSession;
  messages: MessageSet;
  random: Random;
  /** The run's start and end on the fast clock (fast-clock.ts), µs. */
  startMicros: number;
  endMicros: number;
  /** True once nothing more may start: the end, an interrupt, an aborting threshold. */
  stopping(): boolean;
  /**
   * `stopping()` but for the time bound: an interrupt, an aborting threshold, the message budget
   * spent. The open model's schedule ends at the duration by itself, and a start it has made
   * runs to its end (within the drain); this says when it must stop before that.
   */
  halted(): boolean;
  /** Takes one message from this thread's share of the profile's `messages`; false when spent. */
  takeMessage(): boolean;
  /** Open model: how late a start began (µs after its intended time). */
  scheduleLag(micros: number): void;
  /** Open model: a start that found no free session within the cap. */
  dropped(): void;
  /** Sessions open right now changed by `delta`. */
  active(delta: number): void;
  /** `connection.reuse`: false gives every message a connection of its own. */
  reuse: boolean;
  worker: number;
  workers: number;
}

/** This thread's part of `total` when it is split as evenly as possible over the threads. */
export function shareOf(total: number, worker: number, workers: number): number {
  return Math.floor(total / workers) + (worker < total % workers ? 1 : 0);
}

/** A budget of messages; unlimited when `total` is undefined. */
export class MessageBudget {
  private left: number;

  constructor(total: number | undefined) {
    this.left = total ?? Number.POSITIVE_INFINITY;
  }

  take(): boolean {
    if (this.left <= 0) return false;
    this.left -= 1;
    return true;
  }

  get spent(): boolean {
    return this.left <= 0;
  }
}
