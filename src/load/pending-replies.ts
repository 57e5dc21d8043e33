import type { Cmd } from './load-sink.js';

/**
 * The commands a load session has written and not yet seen a reply to, oldest first, each with
 * the µs time it was written. Replies arrive in command order (RFC 5321 §4.2, RFC 2920 §3.1),
 * so a reply belongs to the oldest entry. A ring of typed arrays: no allocation per command.
 */
export class PendingReplies {
  count = 0;
  private head = 0;
  private kinds: Uint8Array;
  private times: Float64Array;

  constructor(capacity = 64) {
    this.kinds = new Uint8Array(capacity);
    this.times = new Float64Array(capacity);
  }

  push(kind: Cmd, sentAt: number): void {
    if (this.count === this.kinds.length) this.grow();
    const at = (this.head + this.count) % this.kinds.length;
    this.kinds[at] = kind;
    this.times[at] = sentAt;
    this.count++;
  }

  /** The oldest command (call only when `count > 0`). */
  get headKind(): Cmd {
    return this.kinds[this.head] as Cmd;
  }

  get headSentAt(): number {
    return this.times[this.head]!;
  }

  /** Drops the oldest entry (read it first with `headKind` / `headSentAt`). */
  shift(): void {
    this.head = (this.head + 1) % this.kinds.length;
    this.count--;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    const size = this.kinds.length;
    const kinds = new Uint8Array(size * 2);
    const times = new Float64Array(size * 2);
    for (let i = 0; i < this.count; i++) {
      kinds[i] = this.kinds[(this.head + i) % size]!;
      times[i] = this.times[(this.head + i) % size]!;
    }
    this.kinds = kinds;
    this.times = times;
    this.head = 0;
  }
}
