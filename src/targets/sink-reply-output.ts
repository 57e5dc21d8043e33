import { performance } from 'node:perf_hooks';

/**
 * The sink's reply order under pipelining and injected delays.
 *
 * Replies leave in the order their commands arrived. A reply with a delay is held until its
 * time has come (its command's arrival + the delay, on the monotonic clock) *and* every reply
 * before it has left; a reply behind a held one waits too, even if its own time has come.
 *
 * Writes are batched: `push` only queues, `flush` sends everything that may leave now in one
 * socket write. The session calls `flush` once per read, so N pipelined commands answered
 * without delay cost one write. What happens after a reply (close, TLS upgrade, a dropped
 * connection) travels with it as `after` and runs right after the write that carried it.
 *
 * A held reply leaves within microseconds of its time, not on the next whole millisecond:
 * Node's timers fire on whole milliseconds and late (a `setTimeout` for a 5 ms delay wrote the
 * reply 5.6–5.9 ms after its command, bench:load). So a timer wakes the output SPIN_MS before
 * the time, and from then on it looks on every turn of the event loop. That keeps the loop
 * busy for the last SPIN_MS of each delay, which only delayed replies pay.
 */
const SPIN_MS = 1.5;
export type AfterReply = 'none' | 'close' | 'drop' | 'starttls';

/** Performs one write, then the `after` action; `bytes` is undefined for a bare action. */
export type ReplyWriter = (bytes: Buffer | undefined, after: AfterReply) => void;

interface HeldReply {
  bytes: Buffer | undefined;
  /** performance.now() at which it may leave. */
  due: number;
  after: AfterReply;
}

export class ReplyOutput {
  /** Replies that may leave at the next flush, in order; all of them precede `held`. */
  private readonly ready: Buffer[] = [];
  private readyAfter: AfterReply = 'none';
  private held: HeldReply[] = [];
  private timer: NodeJS.Timeout | undefined;
  private look: NodeJS.Immediate | undefined;
  private disposed = false;
  private onEmpty: (() => void) | undefined;

  constructor(private readonly writer: ReplyWriter) {}

  /** Queues a reply (and/or an action) that may leave `delayMs` from now. */
  push(bytes: Buffer | undefined, delayMs: number, after: AfterReply = 'none'): void {
    if (this.held.length === 0 && delayMs <= 0) {
      if (bytes) this.ready.push(bytes);
      if (after !== 'none') this.readyAfter = after;
      return;
    }
    this.held.push({ bytes, due: performance.now() + delayMs, after });
  }

  /** Writes what may leave now as one write, and sets a timer for the next held reply. */
  flush(): void {
    if (this.disposed) return;
    let after = this.readyAfter;
    this.readyAfter = 'none';
    if (this.held.length > 0 && after === 'none') after = this.release(performance.now());
    const count = this.ready.length;
    if (count > 0 || after !== 'none') {
      const bytes =
        count === 0 ? undefined : count === 1 ? this.ready[0] : Buffer.concat(this.ready);
      this.ready.length = 0;
      this.writer(bytes, after);
    }
    this.arm();
    if (this.held.length === 0 && this.onEmpty) {
      const callback = this.onEmpty;
      this.onEmpty = undefined;
      callback();
    }
  }

  /** Replies held for their delay (and those behind them), not yet written. */
  get heldCount(): number {
    return this.held.length;
  }

  /** Calls `callback` once, when no reply is held any more. */
  whenEmpty(callback: () => void): void {
    this.onEmpty = callback;
  }

  /** Stops the timer; nothing is written after this. */
  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.look) clearImmediate(this.look);
    this.timer = undefined;
    this.look = undefined;
    this.held = [];
    this.ready.length = 0;
    this.onEmpty = undefined;
  }

  /** Moves the held replies whose time has come, in order, to `ready`; stops after an action. */
  private release(now: number): AfterReply {
    let released = 0;
    let after: AfterReply = 'none';
    for (const reply of this.held) {
      if (reply.due > now) break;
      released++;
      if (reply.bytes) this.ready.push(reply.bytes);
      if (reply.after !== 'none') {
        after = reply.after;
        break;
      }
    }
    if (released > 0) this.held = this.held.slice(released);
    return after;
  }

  private arm(): void {
    const next = this.held[0];
    if (this.disposed || this.timer || this.look || !next) return;
    // Either wake-up may come early; flush() checks the time again and re-arms.
    const ahead = next.due - performance.now();
    if (ahead > SPIN_MS) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined;
          this.flush();
        },
        Math.floor(ahead - SPIN_MS),
      );
    } else {
      this.look = setImmediate(() => {
        this.look = undefined;
        this.flush();
      });
    }
  }
}
