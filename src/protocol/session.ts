import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { nowMicros } from '../core/clock.js';
import { connectTarget, type ConnectFailure } from './connect.js';
import { LineReader } from './line-reader.js';
import type { Reply } from './reply.js';
import { ReplyAssembler } from './reply-parser.js';
import { describeTls, oneLine, tlsHandshake } from './tls-handshake.js';
import { Transcript } from './transcript.js';
import { Waiters } from './waiters.js';

/**
 * The raw SMTP client: bytes out exactly as given, replies in as parsed, every step recorded
 * in a µs-stamped transcript. It runs no dialogue of its own (no EHLO, no QUIT).
 *
 * Reading is a FIFO: every reply that arrives is queued and `readReply` hands them out in order,
 * so pipelining is: write N commands in one write, then call `readReply` N times.
 * Server misbehaviour (silence, a close mid-reply, a reset) comes back as data, never as a
 * thrown error or an unhandled 'error' event. Every timer is cleared when its wait ends.
 */
export type { ConnectFailure } from './connect.js';

export interface SessionOptions {
  host: string;
  port: number;
  tls: 'none' | 'implicit';
  /** TCP, and the handshake for implicit TLS. */
  connectTimeoutMs: number;
  /** SNI; any certificate is accepted (rejectUnauthorized: false): we test servers, not PKI. */
  servername?: string;
  /** Longest reply line kept, in octets; default 4096. */
  maxLineLength?: number;
  /** Transcript backstop redaction. */
  secrets?: string[];
}

export type OpenResult =
  { ok: true; session: SmtpSession } | { ok: false; failure: ConnectFailure };

export type ReadOutcome =
  | { kind: 'reply'; reply: Reply }
  /** No complete reply within the time; `partial` = the bytes of an incomplete reply. */
  | { kind: 'timeout'; partial: Buffer }
  /** The connection closed before a complete reply. */
  | { kind: 'closed'; partial: Buffer };

export type CloseOutcome =
  { kind: 'closed' } | { kind: 'timeout' } | { kind: 'data'; bytes: Buffer };

export type SilenceOutcome =
  { kind: 'silent' } | { kind: 'data'; bytes: Buffer } | { kind: 'closed' };

export type UpgradeResult =
  { ok: true; plaintextLeftover: Buffer } | { ok: false; message: string };

export async function openSession(opts: SessionOptions): Promise<OpenResult> {
  const transcript = new Transcript(nowMicros(), { secrets: opts.secrets ?? [] });
  const where = `${opts.host}:${opts.port}`;
  const connected = await connectTarget(opts, () => transcript.event(`connected to ${where}`));
  if (!connected.ok) return connected;
  if (connected.tls) transcript.event(`TLS established (${describeTls(connected.tls)})`);
  return { ok: true, session: new SmtpSession(connected.raw, connected.tls, opts, transcript) };
}

/** Unread replies kept at most; a server that floods the client cannot exhaust its memory. */
const MAX_QUEUED_REPLIES = 1000;

export class SmtpSession {
  readonly transcript: Transcript;
  private socket: Socket | TLSSocket;
  private tls: TLSSocket | undefined;
  private reader: LineReader;
  private readonly assembler = new ReplyAssembler();
  private queue: Reply[] = [];
  /** Replies past MAX_QUEUED_REPLIES that nobody read: a flooding server, counted only. */
  private dropped = 0;
  private readonly waiters = new Waiters();
  /** Octets received so far (plaintext and TLS), to notice arrivals. */
  private received = 0;
  private fragmentRecordedAt = -1;
  private remoteClosed = false;
  private localClose: Promise<void> | undefined;
  private detach: () => void = () => undefined;

  /** Use `openSession`; this takes an already connected socket. */
  constructor(
    private readonly raw: Socket,
    tls: TLSSocket | undefined,
    private readonly opts: SessionOptions,
    transcript: Transcript,
  ) {
    this.transcript = transcript;
    this.tls = tls;
    this.socket = tls ?? raw;
    this.reader = new LineReader(opts.maxLineLength);
    raw.setNoDelay(true);
    raw.on('error', () => undefined); // reported through the active socket's listeners
    this.listen(this.socket);
  }

  get isTls(): boolean {
    return this.tls !== undefined;
  }

  get isClosed(): boolean {
    return this.remoteClosed || this.localClose !== undefined || this.socket.destroyed;
  }

  /** Sends the bytes unchanged (a string as UTF-8) and records them as `C:` entries. */
  write(data: Buffer | string, opts: { display?: string } = {}): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (this.isClosed || !this.socket.writable) {
      this.transcript.event(`not sent, the connection is closed: ${bytes.length} octets`);
      return;
    }
    this.transcript.client(bytes, opts.display);
    this.socket.write(bytes);
  }

  /** `line` + CRLF in one write. */
  sendLine(line: string, opts: { display?: string } = {}): void {
    this.write(Buffer.from(`${line}\r\n`, 'utf8'), opts);
  }

  /** Replies received in full and not read yet, oldest first; looking does not consume them. */
  get unreadReplies(): readonly Reply[] {
    return this.queue;
  }

  /** The next reply in arrival order: queued replies first, else the next one to complete. */
  readReply(timeoutMs: number): Promise<ReadOutcome> {
    return this.waiters.until<ReadOutcome>(
      timeoutMs,
      () => {
        const reply = this.queue.shift();
        if (reply) return { kind: 'reply', reply };
        return this.isClosed ? { kind: 'closed', partial: this.partial() } : undefined;
      },
      () => {
        const partial = this.partial();
        const got = partial.length > 0 ? ` (${partial.length} octets of an incomplete reply)` : '';
        this.transcript.event(`timeout: no complete reply within ${timeoutMs} ms${got}`);
        this.recordFragment();
        return { kind: 'timeout', partial };
      },
    );
  }

  /** Waits for the server to close. Unread bytes (queued replies too) count as `data`; nothing is consumed. */
  waitForClose(timeoutMs: number): Promise<CloseOutcome> {
    return this.waiters.until<CloseOutcome>(
      timeoutMs,
      () => {
        const unread = this.unreadBytes();
        if (unread.length > 0) return { kind: 'data', bytes: unread };
        return this.isClosed ? { kind: 'closed' } : undefined;
      },
      () => {
        this.transcript.event(`timeout: the server did not close within ${timeoutMs} ms`);
        return { kind: 'timeout' };
      },
    );
  }

  /** `silent` when nothing is unread and nothing arrives for `ms`. Nothing is consumed. */
  waitForSilence(ms: number): Promise<SilenceOutcome> {
    const receivedBefore = this.received;
    return this.waiters.until<SilenceOutcome>(
      ms,
      () => {
        const unread = this.unreadBytes();
        if (unread.length > 0 || this.received > receivedBefore) {
          return { kind: 'data', bytes: unread };
        }
        return this.isClosed ? { kind: 'closed' } : undefined;
      },
      () => ({ kind: 'silent' }),
    );
  }

  /**
   * STARTTLS (RFC 3207), to be called once the server's 220 has been read. Anything the server
   * sent in clear after that 220 is returned as `plaintextLeftover` (evidence of command
   * injection) and discarded with the plaintext buffers. A failed handshake closes the session.
   */
  async upgradeTls(opts: { servername?: string; timeoutMs: number }): Promise<UpgradeResult> {
    if (this.tls) return { ok: false, message: 'TLS is already active' };
    if (this.isClosed) return { ok: false, message: 'the connection is closed' };
    const plaintextLeftover = this.unreadBytes();
    this.discardBuffers();
    this.detach();
    const servername = opts.servername ?? this.opts.servername;
    const handshake = await tlsHandshake(this.raw, {
      host: this.opts.host,
      timeoutMs: opts.timeoutMs,
      ...(servername ? { servername } : {}),
    });
    if (!handshake.ok) {
      this.remoteClosed = true;
      this.transcript.event(handshake.message);
      this.waiters.notify();
      return { ok: false, message: handshake.message };
    }
    this.tls = handshake.socket;
    this.socket = handshake.socket;
    this.listen(handshake.socket);
    this.transcript.event(`TLS established (${describeTls(handshake.socket)})`);
    if (plaintextLeftover.length > 0) {
      this.transcript.event(
        `${plaintextLeftover.length} octets received in clear after the 220, discarded`,
      );
    }
    return { ok: true, plaintextLeftover };
  }

  /** Destroys the connection; idempotent; resolves once the sockets are closed; never throws. */
  close(): Promise<void> {
    if (this.localClose) return this.localClose;
    if (!this.remoteClosed) this.transcript.event('connection closed by client');
    this.localClose = Promise.all([destroyed(this.socket), destroyed(this.raw)]).then(
      () => undefined,
    );
    this.waiters.notify();
    return this.localClose;
  }

  private listen(socket: Socket | TLSSocket): void {
    const onData = (chunk: Buffer): void => this.onData(chunk);
    const onEnd = (): void => this.onRemoteClose();
    const onError = (error: Error): void => {
      if (!this.localClose) this.transcript.event(`connection error: ${oneLine(error)}`);
    };
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
    this.detach = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
      socket.on('error', () => undefined);
    };
  }

  private onData(chunk: Buffer): void {
    this.received += chunk.length;
    for (const line of this.reader.push(chunk)) {
      this.transcript.server(line);
      const reply = this.assembler.push(line);
      if (reply && this.queue.length < MAX_QUEUED_REPLIES) this.queue.push(reply);
      else if (reply && this.dropped++ === 0)
        this.transcript.event(
          `more than ${MAX_QUEUED_REPLIES} unread replies: the rest are dropped`,
        );
    }
    this.waiters.notify();
  }

  private onRemoteClose(): void {
    if (this.remoteClosed || this.localClose) return;
    this.remoteClosed = true;
    this.recordFragment();
    this.transcript.event('connection closed by server');
    this.waiters.notify();
  }

  /** The bytes of the reply being received: its complete lines and the unterminated one. */
  private partial(): Buffer {
    return Buffer.concat([this.assembler.pendingRaw(), this.reader.pending()]);
  }

  /** Everything received and not yet returned by `readReply`. */
  private unreadBytes(): Buffer {
    return Buffer.concat([...this.queue.map((reply) => reply.raw), this.partial()]);
  }

  /** Records the unterminated line once per arrival (a timeout and a later close share it). */
  private recordFragment(): void {
    const fragment = this.reader.pending();
    if (fragment.length === 0 || this.fragmentRecordedAt === this.received) return;
    this.fragmentRecordedAt = this.received;
    this.transcript.serverFragment(fragment);
  }

  private discardBuffers(): void {
    this.queue = [];
    this.assembler.reset();
    this.reader.reset();
  }
}

function destroyed(socket: Socket): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise((resolve) => {
    socket.once('close', () => resolve());
    socket.destroy();
  });
}
