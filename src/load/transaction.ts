import type { LoadSink, PhaseOutcome } from './load-sink.js';
import { Cmd, outcomeOfCode } from './load-sink.js';
import type { MessageShape, OutgoingMessage } from './message-mix.js';
import type { SessionScript } from './session-script.js';

/**
 * One mail transaction at a time over a load session: a state machine driven by replies, with
 * no closure or promise per message.
 *
 *   pipelined, DATA   write MAIL+RCPT…+DATA ─ 354 ─ write body ─ final reply
 *   pipelined, BDAT   write MAIL+RCPT…+BDAT n LAST+body (one corked write) ─ final reply
 *   lock-step         MAIL ─ reply ─ RCPT ─ reply … ─ DATA ─ 354 ─ body ─ final reply
 *                     (with CHUNKING, BDAT n LAST+body instead of DATA and body)
 *
 * Under pipelining every reply's latency runs from the one write to its arrival; in lock-step
 * from the write of its own command (taken as the arrival time of the reply before it).
 *
 * Outcome of a message: the final reply's class, unless the transaction failed earlier: then the
 * class of MAIL's refusal, or, when no RCPT was accepted, of the last RCPT refusal. A refused
 * transaction is followed by RSET before the callback runs (its reply is counted, no phase).
 * In lock-step a refused MAIL, or RCPTs all refused, end the transaction without DATA; under
 * pipelining the DATA (or BDAT) reply is awaited, and a 354 despite that gets a lone ".".
 */
export type MessageCallback = (outcome: PhaseOutcome) => void;

/** What a transaction needs from its session. */
export interface TransactionHost {
  /** Writes the bytes; with `second`, both in one corked write. */
  write(bytes: Buffer, second?: Buffer): void;
  /** Records that a reply to `kind` is now due, written at `sentAt` (µs). */
  expect(kind: Cmd, sentAt: number): void;
  /** When the reply being handled arrived (µs). */
  readonly arrivedAt: number;
}

export interface TransactionMode {
  pipelined: boolean;
  chunked: boolean;
  /** Send BODY=8BITMIME. */
  bodyParam: boolean;
}

export class Transaction {
  busy = false;
  mode: TransactionMode = { pipelined: false, chunked: false, bodyParam: false };
  private shape: MessageShape | undefined;
  private recipients = 0;
  private origin = 0;
  private startedAt = 0;
  private accepted = 0;
  private rcptSent = 0;
  private failure: PhaseOutcome | undefined;
  private lastRefusal: PhaseOutcome = '5xx';
  private outcome: PhaseOutcome = '2xx';
  private recorded = false;
  private done: MessageCallback | undefined;

  constructor(
    private readonly host: TransactionHost,
    private readonly script: SessionScript,
    private readonly sink: LoadSink,
  ) {}

  /** Starts a transaction at `now`; the message latency runs from `origin` (intended start). */
  start(message: OutgoingMessage, now: number, origin: number, done: MessageCallback): void {
    const shape = message.shape;
    const n = message.recipients;
    this.busy = true;
    this.shape = shape;
    this.recipients = n;
    this.origin = origin;
    this.startedAt = now;
    this.accepted = 0;
    this.rcptSent = 0;
    this.failure = undefined;
    this.lastRefusal = '5xx';
    this.recorded = false;
    this.done = done;
    const { host, mode } = this;
    if (!mode.pipelined) {
      host.write(this.script.mailFrom(mode.bodyParam));
      host.expect(Cmd.mail, now);
      return;
    }
    if (mode.chunked) host.write(this.script.envelope(n, mode.bodyParam, false), shape.bdat);
    else host.write(this.script.envelope(n, mode.bodyParam, true));
    host.expect(Cmd.mail, now);
    for (let i = 0; i < n; i++) host.expect(Cmd.rcpt, now);
    host.expect(mode.chunked ? Cmd.bdat : Cmd.data, now);
  }

  /** A reply to one of this transaction's commands (MAIL, RCPT, DATA, EOD, BDAT, RSET). */
  onReply(kind: Cmd, code: number, micros: number): void {
    const sink = this.sink;
    const outcome = outcomeOfCode(code);
    switch (kind) {
      case Cmd.mail:
        sink.onReply(Cmd.mail, code, micros);
        if (code >= 400) this.failure = outcome;
        if (this.mode.pipelined) return;
        if (this.failure !== undefined) this.finish(this.failure);
        else this.sendRcpt();
        return;
      case Cmd.rcpt:
        sink.onReply(Cmd.rcpt, code, micros);
        if (code < 400) this.accepted++;
        else this.lastRefusal = outcome;
        if (this.mode.pipelined) return;
        if (this.rcptSent < this.recipients) this.sendRcpt();
        else if (this.accepted === 0) this.finish(this.lastRefusal);
        else this.sendBody();
        return;
      case Cmd.data:
        sink.onReply(Cmd.data, code, micros);
        this.onDataReply(code, outcome);
        return;
      case Cmd.eod:
      case Cmd.bdat:
        sink.onReply(kind, code, micros);
        this.finish(this.failure ?? (this.accepted === 0 ? this.lastRefusal : outcome));
        return;
      case Cmd.rset:
        sink.onReply(Cmd.rset, code);
        this.complete();
        return;
    }
  }

  /**
   * The session died (timeout, connection error) or was destroyed: ends the transaction with
   * `outcome`, recording the message phase when `record` and it is not recorded yet.
   */
  abort(outcome: PhaseOutcome, now: number, record: boolean): void {
    if (!this.busy) return;
    if (!this.recorded) {
      if (record) this.recordMessage(outcome, now);
      else this.outcome = outcome;
    }
    this.complete();
  }

  private onDataReply(code: number, outcome: PhaseOutcome): void {
    const host = this.host;
    if (code < 300 || code >= 400) {
      const refused = code >= 400 ? outcome : '5xx';
      this.finish(this.failure ?? (this.accepted === 0 ? this.lastRefusal : refused));
      return;
    }
    if (this.failure !== undefined || this.accepted === 0) {
      this.failure ??= this.lastRefusal;
      host.write(this.script.emptyData);
    } else {
      host.write(this.shape!.data);
    }
    host.expect(Cmd.eod, host.arrivedAt);
  }

  private sendRcpt(): void {
    this.rcptSent++;
    this.host.write(this.script.rcpt(this.rcptSent));
    this.host.expect(Cmd.rcpt, this.host.arrivedAt);
  }

  private sendBody(): void {
    const host = this.host;
    if (this.mode.chunked) {
      host.write(this.shape!.bdat);
      host.expect(Cmd.bdat, host.arrivedAt);
    } else {
      host.write(this.script.data);
      host.expect(Cmd.data, host.arrivedAt);
    }
  }

  private finish(outcome: PhaseOutcome): void {
    const now = this.host.arrivedAt;
    this.recordMessage(outcome, now);
    if (outcome === '2xx') {
      this.complete();
      return;
    }
    this.host.write(this.script.rset);
    this.host.expect(Cmd.rset, now);
  }

  private recordMessage(outcome: PhaseOutcome, now: number): void {
    const micros = now - this.origin;
    const service = now - this.startedAt;
    this.sink.onMessage(
      outcome,
      micros > 0 ? Math.round(micros) : 0,
      service > 0 ? Math.round(service) : 0,
    );
    this.outcome = outcome;
    this.recorded = true;
  }

  private complete(): void {
    const done = this.done!;
    this.busy = false;
    this.done = undefined;
    this.shape = undefined;
    done(this.outcome);
  }
}
