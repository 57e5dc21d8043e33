import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { makeRedactor } from '../protocol/redaction.js';
import { showable } from '../protocol/reply.js';
import { tlsHandshake } from '../protocol/tls-handshake.js';
import type { TlsMode } from '../suite/profile-model.js';
import type { EhloCapabilities } from './ehlo-capabilities.js';
import { fastNowMicros } from './fast-clock.js';
import type { LoadErrorKind, LoadSink, PhaseOutcome } from './load-sink.js';
import { Cmd, COMMAND_NAMES, COMMAND_PHASES, outcomeOfCode } from './load-sink.js';
import type { OutgoingMessage } from './message-mix.js';
import { PendingReplies } from './pending-replies.js';
import { type ReplyReceiver, ReplyScanner } from './reply-scanner.js';
import type { SessionScript } from './session-script.js';
import { connectSession } from './session-connect.js';
import { runSetup, type SetupHost, type SetupReply } from './session-setup.js';
import { type MessageCallback, Transaction, type TransactionHost } from './transaction.js';

/**
 * One SMTP connection of a load run, driven by a precomputed `SessionScript`:
 *
 *   const session = new LoadSession(target, script, sink);
 *   if ((await session.open()) === '2xx') {
 *     for (let i = 0; i < n && session.usable; i++) {
 *       await session.sendMessage(messages.next(random), intendedStartMicros);
 *     }
 *     if (session.usable) await session.quit();
 *   }
 *   session.destroy();
 *
 * `open()` connects (plain or implicit TLS, any certificate accepted: this is a load tool for
 * test servers), reads the greeting, EHLOs, does STARTTLS + EHLO and AUTH PLAIN when asked, and
 * resolves `2xx` when messages can be sent, else the outcome that ended the session.
 * `send()` / `sendMessage()` run one transaction (transaction.ts); `quit()` ends the session.
 *
 * Failure contract: every wait has the reply timeout, so nothing hangs. No reply within
 * `replyTimeoutMs` of the last progress (a reply, a write, or queued body octets draining) ends
 * the session with `timeout`; a close or reset with `conn-error`; garbage from the server with
 * `conn-error` (kind `protocol`). The phase being waited for, the message in progress and the
 * session then end with that outcome, the callback or promise settles, and the socket is
 * destroyed. Nothing rejects, nothing throws on server behaviour, no 'error' event is unhandled
 * (only misuse throws: `open` twice, `send` while a message is in progress or before `open`).
 *
 * Phases (LoadSink): connect, tls (implicit or STARTTLS handshake), greeting, ehlo (each EHLO),
 * auth, mail, rcpt, data (354), eod (final reply, also for BDAT), quit, message (from the
 * intended start, if given, else the first write, to the final reply), session (from open()
 * to the QUIT reply or the failure).
 */
export interface LoadTarget {
  host: string;
  port: number;
  tls: TlsMode;
  /** SNI name; default: the host, when it is a name. */
  servername?: string;
  /** TCP connect plus TLS handshake (each handshake separately for STARTTLS). */
  connectTimeoutMs: number;
  replyTimeoutMs: number;
  /** Pipeline MAIL/RCPT/DATA when the server offers PIPELINING. */
  pipelining: boolean;
  /** Use BDAT when the server offers CHUNKING. */
  chunking: boolean;
  /** AUTH PLAIN with the script's credentials. */
  auth: boolean;
}

type State = 'new' | 'opening' | 'ready' | 'quitting' | 'closed';
type Waiter = (reply: SetupReply | undefined) => void;

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const noop = (): void => undefined;

export class LoadSession implements ReplyReceiver, TransactionHost {
  /** When the reply being handled arrived (µs, fast-clock.ts). */
  arrivedAt = 0;
  /** The server's EHLO keywords (after STARTTLS: the second EHLO's). */
  capabilities: EhloCapabilities | undefined;
  private state: State = 'new';
  private socket: Socket | TLSSocket | undefined;
  private raw: Socket | undefined;
  private readonly scanner = new ReplyScanner(this);
  private readonly pending = new PendingReplies();
  private readonly txn: Transaction;
  private readonly redact: (text: string) => string;
  private waiter: Waiter | undefined;
  private startedAt = 0;
  private sessionRecorded = false;
  private endOutcome: PhaseOutcome | undefined;
  private lastProgress = 0;
  private lastQueued = 0;
  private timerArmed = false;
  private timer: NodeJS.Timeout | undefined;
  private errorCode: string | undefined;
  /** Aborts the connect in progress (`destroy()` during `open()`). */
  private connecting: AbortController | undefined;
  private closedWaiter: Promise<PhaseOutcome> | undefined;
  private resolveClosed: ((outcome: PhaseOutcome) => void) | undefined;

  constructor(
    readonly target: LoadTarget,
    readonly script: SessionScript,
    readonly sink: LoadSink,
  ) {
    if (target.auth && !script.authPlain) {
      throw new TypeError('LoadSession: target.auth is set but the script has no credentials');
    }
    this.txn = new Transaction(this, script, sink);
    this.redact = makeRedactor(script.secrets);
  }

  /** True between a successful `open()` and the end of the session. */
  get usable(): boolean {
    return this.state === 'ready';
  }

  /** Read through a method, so TypeScript does not narrow `state` across an await. */
  private ended(): boolean {
    return this.state === 'closed';
  }

  /** How the session ended, once it has. */
  get outcome(): PhaseOutcome | undefined {
    return this.endOutcome;
  }

  /** Settles with the session's outcome once it has ended, however it ended (idle closes too). */
  whenClosed(): Promise<PhaseOutcome> {
    if (this.endOutcome !== undefined) return Promise.resolve(this.endOutcome);
    this.closedWaiter ??= new Promise((resolve) => (this.resolveClosed = resolve));
    return this.closedWaiter;
  }

  async open(): Promise<PhaseOutcome> {
    if (this.state !== 'new') throw new Error('LoadSession.open: already opened');
    this.state = 'opening';
    this.startedAt = fastNowMicros();
    // A plain session reads through `onread` (no 'data' events, no Buffer per read); one that
    // may turn TLS keeps the stream, which the TLS socket takes over. With `onread` a read is
    // handled as it comes, attached or not: from the 'connect' event to runSetup's greeting
    // `command` below, only microtasks may run (no timer, no I/O wait), or the greeting
    // would arrive before it is expected.
    const plain = this.target.tls === 'none';
    this.connecting = new AbortController();
    const connected = await connectSession(
      this.target,
      this.sink,
      this.startedAt,
      () => this.ended(),
      plain ? this.onRead : undefined,
      this.connecting.signal,
    );
    this.connecting = undefined;
    if (!connected.ok) {
      if (!this.ended()) this.close(connected.outcome, true);
      return this.endOutcome ?? connected.outcome;
    }
    this.raw = connected.raw;
    this.raw.setNoDelay(true);
    this.attach(connected.socket);
    const caps = await runSetup(this.setupHost());
    if (!caps || this.state !== 'opening') return this.endOutcome ?? 'conn-error';
    this.capabilities = caps;
    const mode = this.txn.mode;
    mode.pipelined = this.target.pipelining && caps.pipelining;
    mode.chunked = this.target.chunking && caps.chunking;
    mode.bodyParam = this.script.eightBit && caps.eightBitMime;
    this.state = 'ready';
    return '2xx';
  }

  /**
   * Sends one message; `done` gets its outcome (synchronously from inside the reply handler;
   * sending the next message from `done` is fine). One message at a time. On a session that has
   * ended, `done('conn-error')` at once, with the message phase recorded.
   */
  send(message: OutgoingMessage, intendedStartMicros: number | undefined, done: MessageCallback) {
    if (this.state !== 'ready' || this.txn.busy) {
      if (this.state !== 'closed' || this.txn.busy) {
        throw new Error(`LoadSession.send: the session is not ready (${this.state})`);
      }
      const micros = intendedStartMicros === undefined ? 0 : fastNowMicros() - intendedStartMicros;
      this.sink.onMessage('conn-error', micros > 0 ? Math.round(micros) : 0, 0);
      done('conn-error');
      return;
    }
    const now = fastNowMicros();
    this.txn.start(message, now, intendedStartMicros ?? now, done);
  }

  /** `send` as a promise. */
  sendMessage(message: OutgoingMessage, intendedStartMicros?: number): Promise<PhaseOutcome> {
    return new Promise((resolve) => this.send(message, intendedStartMicros, resolve));
  }

  /** QUIT and close; resolves the session's outcome (`2xx` after a 221). */
  async quit(): Promise<PhaseOutcome> {
    if (this.state === 'closed') return this.endOutcome ?? 'conn-error';
    if (this.state !== 'ready' || this.txn.busy) {
      throw new Error(`LoadSession.quit: the session is not ready (${this.state})`);
    }
    this.state = 'quitting';
    const reply = await this.command(Cmd.quit, this.script.quit);
    if (!reply) return this.endOutcome ?? 'conn-error';
    const outcome = outcomeOfCode(reply.code);
    this.sink.onReply(Cmd.quit, reply.code, reply.micros);
    this.close(outcome, true);
    return outcome;
  }

  /**
   * Closes at once, recording nothing; a message in progress settles with `conn-error`, and a
   * connect in progress is abandoned (`open()` then resolves `conn-error`).
   */
  destroy(): void {
    if (this.state === 'closed') return;
    this.close('conn-error', false);
    this.connecting?.abort();
  }

  // --- TransactionHost ---------------------------------------------------------------------

  write(bytes: Buffer, second?: Buffer): void {
    const socket = this.socket;
    if (socket === undefined || this.state === 'closed') return;
    if (second === undefined) {
      socket.write(bytes);
      return;
    }
    socket.cork();
    socket.write(bytes);
    socket.write(second);
    socket.uncork();
  }

  expect(kind: Cmd, sentAt: number): void {
    this.pending.push(kind, sentAt);
    if (sentAt > this.lastProgress) this.lastProgress = sentAt;
    if (!this.timerArmed) this.armTimer(this.target.replyTimeoutMs);
  }

  // --- replies -----------------------------------------------------------------------------

  onReply(code: number, lines: string[] | undefined): void {
    if (this.state === 'closed') return;
    const pending = this.pending;
    if (pending.count === 0) {
      const text = this.redact(showable(lines?.[0] ?? ''));
      this.fail('conn-error', 'protocol', `unexpected reply ${code} ${text}`.trimEnd());
      return;
    }
    const kind = pending.headKind;
    const elapsed = this.arrivedAt - pending.headSentAt;
    const micros = elapsed > 0 ? Math.round(elapsed) : 0;
    pending.shift();
    if (kind >= Cmd.mail && kind <= Cmd.rset) {
      this.txn.onReply(kind, code, micros);
      return;
    }
    // Plaintext after the 220 must not be read (RFC 3207 §4.2): detach before the next octet.
    if (kind === Cmd.starttls && code >= 200 && code < 300) this.detachForTls();
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.({ code, lines, micros });
  }

  private readonly onData = (chunk: Buffer): void => this.onRead(chunk, chunk.length);

  /** Reads of a plain session (`onread`: `chunk` is a shared buffer, valid during the call). */
  private readonly onRead = (chunk: Buffer, length: number): void => {
    if (this.state === 'closed') return;
    this.arrivedAt = fastNowMicros();
    this.lastProgress = this.arrivedAt;
    if (!this.scanner.push(chunk, length) && this.scanner.error !== undefined) {
      this.fail('conn-error', 'protocol', `malformed reply: ${this.scanner.error}`);
    }
  };

  // --- setup -------------------------------------------------------------------------------

  private command(kind: Cmd, bytes: Buffer | undefined, keepText = false) {
    return new Promise<SetupReply | undefined>((resolve) => {
      if (this.state === 'closed') return resolve(undefined);
      this.waiter = (reply) => {
        if (keepText) this.scanner.captureText = false;
        resolve(reply);
      };
      this.scanner.captureText = keepText;
      const now = fastNowMicros();
      if (bytes) this.write(bytes);
      this.expect(kind, now);
    });
  }

  private setupHost(): SetupHost {
    return {
      sink: this.sink,
      script: this.script,
      tlsMode: this.target.tls,
      authenticate: this.target.auth,
      command: (kind, bytes, keepText) => this.command(kind, bytes, keepText),
      upgradeTls: () => this.upgradeTls(),
      failSetup: (outcome, kind, message) => this.fail(outcome, kind, message),
      redact: this.redact,
    };
  }

  private detachForTls(): void {
    const socket = this.socket;
    if (socket) this.detach(socket);
    this.socket = undefined;
    this.scanner.reset();
  }

  private async upgradeTls(): Promise<boolean> {
    const started = fastNowMicros();
    const { host, servername, connectTimeoutMs } = this.target;
    const result = await tlsHandshake(this.raw!, {
      host,
      timeoutMs: connectTimeoutMs,
      ...(servername ? { servername } : {}),
    });
    if (this.state === 'closed') {
      if (result.ok) result.socket.destroy();
      return false;
    }
    const micros = Math.round(fastNowMicros() - started);
    if (!result.ok) {
      const outcome = result.reason === 'timeout' ? 'timeout' : 'conn-error';
      this.sink.onPhase('tls', outcome, micros);
      this.fail(outcome, 'tls', result.message);
      return false;
    }
    this.sink.onPhase('tls', '2xx', micros);
    this.attach(result.socket);
    return true;
  }

  // --- sockets, timer, failure ---------------------------------------------------------------

  private attach(socket: Socket | TLSSocket): void {
    this.socket = socket;
    socket.on('data', this.onData);
    socket.on('end', this.onRemoteClose);
    socket.on('close', this.onRemoteClose);
    socket.on('error', this.onSocketError);
  }

  private detach(socket: Socket | TLSSocket): void {
    socket.off('data', this.onData);
    socket.off('end', this.onRemoteClose);
    socket.off('close', this.onRemoteClose);
    socket.off('error', this.onSocketError);
    socket.on('error', noop);
  }

  private readonly onSocketError = (error: Error): void => {
    this.errorCode = (error as NodeJS.ErrnoException).code;
  };

  private readonly onRemoteClose = (): void => {
    if (this.state === 'closed') return;
    const reset = this.errorCode !== undefined && RESET_CODES.has(this.errorCode);
    const how = reset ? `reset (${this.errorCode})` : 'closed';
    const waitingFor = this.pending.count > 0 ? COMMAND_NAMES[this.pending.headKind] : undefined;
    const message = waitingFor
      ? `connection ${how} by the server while waiting for the reply to ${waitingFor}`
      : `connection ${how} by the server while idle`;
    this.fail('conn-error', reset ? 'reset' : 'closed', message);
  };

  private armTimer(ms: number): void {
    this.timerArmed = true;
    this.timer = setTimeout(this.onTimer, ms);
  }

  /** Lazy deadline: fires at most once per timeout period and re-arms for what is left. */
  private readonly onTimer = (): void => {
    this.timerArmed = false;
    if (this.state === 'closed' || this.pending.count === 0) return;
    const now = fastNowMicros();
    const queued = this.socket?.writableLength ?? 0;
    if (queued !== this.lastQueued) {
      this.lastQueued = queued; // the body is still draining: that is progress
      this.lastProgress = now;
    }
    const timeoutMs = this.target.replyTimeoutMs;
    const left = timeoutMs - (now - this.lastProgress) / 1000;
    if (left > 0) {
      this.armTimer(Math.ceil(left));
      return;
    }
    const waitingFor = COMMAND_NAMES[this.pending.headKind];
    this.fail('timeout', 'timeout', `no reply to ${waitingFor} within ${timeoutMs} ms`);
  };

  /** Ends the session on a failure: records the awaited phase, the message and the session. */
  private fail(outcome: PhaseOutcome, kind: LoadErrorKind, message: string): void {
    if (this.state === 'closed') return;
    const now = fastNowMicros();
    if (this.pending.count > 0) {
      const phase = COMMAND_PHASES[this.pending.headKind];
      const micros = Math.max(0, Math.round(now - this.pending.headSentAt));
      if (phase) this.sink.onPhase(phase, outcome, micros);
    }
    this.sink.onError(kind, message);
    this.close(outcome, true);
  }

  private close(outcome: PhaseOutcome, record: boolean): void {
    const now = fastNowMicros();
    this.state = 'closed';
    this.endOutcome = outcome;
    this.pending.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timerArmed = false;
    if (this.raw) this.sink.onBytes?.(this.raw.bytesWritten, this.raw.bytesRead);
    this.socket?.destroy();
    this.raw?.destroy();
    this.txn.abort(outcome, now, record);
    if (record && !this.sessionRecorded) {
      this.sessionRecorded = true;
      this.sink.onPhase('session', outcome, Math.max(0, Math.round(now - this.startedAt)));
    }
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.(undefined);
    this.resolveClosed?.(outcome);
  }
}
