import { PHASES } from './metric-names.js';
import { ReplyTally } from './reply-tally.js';

/**
 * The plain counters of a load run, as they appear in the snapshot:
 *
 * ```json
 * {
 *   "messages": { "attempted": 1200, "ok": 1190, "failed": 10 },
 *   "sessions": { "started": 40, "ok": 39, "failed": 1 },
 *   "bytes": { "sent": 5123400, "received": 48213 },
 *   "dropped": 0,
 *   "errors": { "conn-reset": 1, "timeout": 2 },
 *   "codes": { "rcpt": { "250": 1190, "452": 10 }, "eod": { "250": 1190 } }
 * }
 * ```
 *
 * - `messages.attempted` counts messages started (MAIL FROM about to be sent, or the open
 *   model's start of a one-message unit); `ok` those whose end-of-data reply was positive;
 *   `failed` those that ended any other way. attempted - ok - failed are still in flight.
 * - `sessions` likewise for connections; started - ok - failed are the active sessions.
 * - `dropped`: open-model starts that could not be served (no free session) and were skipped.
 * - `errors`: failures that are not a server's reply, by kind (`timeout`, `conn-refused`,
 *   `tls`, `protocol`, …; the load engine names them). A 5xx reply is not an error; it is
 *   counted in `codes` and, if it ends a message, in `messages.failed`.
 * - `codes`: replies by command, then by code. Commands are the lower-case phase names
 *   (`greeting`, `ehlo`, `tls` for STARTTLS, `auth`, `mail`, `rcpt`, `data`, `eod`, `quit`) or
 *   another verb in lower case (`rset`, `bdat`).
 */
export interface CountersSnapshot {
  messages: { attempted: number; ok: number; failed: number };
  sessions: { started: number; ok: number; failed: number };
  bytes: { sent: number; received: number };
  dropped: number;
  errors: Record<string, number>;
  codes: Record<string, Record<string, number>>;
}

export function emptyCounters(): CountersSnapshot {
  return {
    messages: { attempted: 0, ok: 0, failed: 0 },
    sessions: { started: 0, ok: 0, failed: 0 },
    bytes: { sent: 0, received: 0 },
    dropped: 0,
    errors: {},
    codes: {},
  };
}

/** The live counters; cheap increments, converted to a `CountersSnapshot` on demand. */
export class LoadCounters {
  readonly messages = { attempted: 0, ok: 0, failed: 0 };
  readonly sessions = { started: 0, ok: 0, failed: 0 };
  readonly bytes = { sent: 0, received: 0 };
  dropped = 0;
  private readonly errors = new Map<string, number>();
  private readonly codes = new Map<string, ReplyTally>();

  countError(kind: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
  }

  countReply(command: string, code: number): void {
    this.tally(command).add(code);
  }

  /** The tally of `command`'s replies, made on first use; the hot path keeps it (recorder-sink.ts). */
  tally(command: string): ReplyTally {
    let tally = this.codes.get(command);
    if (tally === undefined) {
      tally = new ReplyTally();
      this.codes.set(command, tally);
    }
    return tally;
  }

  /** All errors so far, of every kind. */
  errorTotal(): number {
    let total = 0;
    for (const n of this.errors.values()) total += n;
    return total;
  }

  get activeSessions(): number {
    return this.sessions.started - this.sessions.ok - this.sessions.failed;
  }

  toSnapshot(): CountersSnapshot {
    const codes: Record<string, Record<string, number>> = {};
    for (const [command, tally] of this.codes) {
      if (tally.count > 0) codes[command] = tally.toRecord();
    }
    return {
      messages: { ...this.messages },
      sessions: { ...this.sessions },
      bytes: { ...this.bytes },
      dropped: this.dropped,
      errors: sortedRecord(Object.fromEntries(this.errors)),
      codes: sortCommands(codes),
    };
  }
}

/** Sums counters field by field; keys present in either side are kept. */
export function mergeCounters(a: CountersSnapshot, b: CountersSnapshot): CountersSnapshot {
  const codes: Record<string, Record<string, number>> = {};
  for (const command of new Set([...Object.keys(a.codes), ...Object.keys(b.codes)])) {
    codes[command] = sumRecords(a.codes[command] ?? {}, b.codes[command] ?? {});
  }
  return {
    messages: sumFields(a.messages, b.messages),
    sessions: sumFields(a.sessions, b.sessions),
    bytes: sumFields(a.bytes, b.bytes),
    dropped: a.dropped + b.dropped,
    errors: sortedRecord(sumRecords(a.errors, b.errors)),
    codes: sortCommands(codes),
  };
}

/** Sum of all values of a record, e.g. all errors. */
export function total(record: Record<string, number>): number {
  let sum = 0;
  for (const n of Object.values(record)) sum += n;
  return sum;
}

function sumFields<K extends string>(
  a: Record<K, number>,
  b: Record<K, number>,
): Record<K, number> {
  const out = { ...a };
  for (const key of Object.keys(b) as K[]) out[key] = a[key] + b[key];
  return out;
}

function sumRecords(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [key, n] of Object.entries(b)) out[key] = (out[key] ?? 0) + n;
  return out;
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Commands in phase order, then any other verb alphabetically. */
function sortCommands<T>(record: Record<string, T>): Record<string, T> {
  const rank = (command: string): number => {
    const i = (PHASES as readonly string[]).indexOf(command);
    return i === -1 ? PHASES.length : i;
  };
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)),
  );
}
