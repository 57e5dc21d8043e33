import { SMTPServer } from 'smtp-server';
import { nowMicros } from '../core/clock.js';
import { receiveMessage } from './received-message.js';
import { closeServer, listenOn, once } from './smtp-server-lifecycle.js';

/**
 * The capture sink (`smtpgauge run --capture`): a receiving SMTP server (on smtp-server) that
 * the target under test relays to, so that cases can check what was actually delivered
 * (`expect-delivered` steps). It accepts any envelope, no TLS, no AUTH, and keeps every
 * message in memory, bounded: at most `maxMessages` messages and `maxTotalBytes` octets in all
 * (the oldest are dropped first), each at most `maxMessageBytes` (larger ones get 552 and are
 * not kept).
 */
export interface CaptureSinkOptions {
  port?: number;
  host?: string;
  maxMessages?: number;
  maxMessageBytes?: number;
  maxTotalBytes?: number;
}

export interface CapturedMail {
  mailFrom: string;
  recipients: string[];
  /** The message as received, dot-stuffing undone. */
  raw: Buffer;
  /** Arrival time, µs of the monotonic clock. */
  receivedMicros: number;
}

export interface RunningCaptureSink {
  host: string;
  port: number;
  /** `host:port`, for messages. */
  address: string;
  messages(): readonly CapturedMail[];
  messagesContaining(needle: Buffer): CapturedMail[];
  /** Resolves true when the next message arrives, false after `ms` or an abort. */
  nextArrival(ms: number, signal?: AbortSignal): Promise<boolean>;
  close(): Promise<void>;
}

const DEFAULTS = {
  maxMessages: 10_000,
  maxMessageBytes: 25 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
};

export async function startCaptureSink(
  options: CaptureSinkOptions = {},
): Promise<RunningCaptureSink> {
  const host = options.host ?? '127.0.0.1';
  const limits = { ...DEFAULTS, ...options };
  const store = new MessageStore(limits.maxMessages, limits.maxTotalBytes);
  const server = new SMTPServer({
    name: 'capture.example.test',
    banner: 'smtpgauge capture sink',
    size: limits.maxMessageBytes,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onData: (stream, session, callback) =>
      receiveMessage(stream, session, callback, (message) => {
        store.add({
          mailFrom: message.from,
          recipients: message.to,
          raw: message.raw,
          receivedMicros: nowMicros(),
        });
        return 'Message captured';
      }),
  });
  server.on('error', () => undefined);
  const port = await listenOn(server, options.port ?? 0, host);
  return {
    host,
    port,
    address: `${host}:${port}`,
    messages: () => store.all(),
    messagesContaining: (needle) => store.all().filter((m) => m.raw.includes(needle)),
    nextArrival: (ms, signal) => store.nextArrival(ms, signal),
    close: once(() => closeServer(server)),
  };
}

/** The kept messages, oldest dropped beyond the cap, and the waiters for the next one. */
class MessageStore {
  private readonly kept: CapturedMail[] = [];
  private waiters: (() => void)[] = [];
  private bytes = 0;

  constructor(
    private readonly cap: number,
    private readonly maxBytes: number,
  ) {}

  all(): readonly CapturedMail[] {
    return this.kept;
  }

  add(mail: CapturedMail): void {
    this.kept.push(mail);
    this.bytes += mail.raw.length;
    while (this.kept.length > 1 && (this.kept.length > this.cap || this.bytes > this.maxBytes))
      this.bytes -= this.kept.shift()!.raw.length;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  nextArrival(ms: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (arrived: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiters = this.waiters.filter((w) => w !== onArrival);
        resolve(arrived);
      };
      const onArrival = () => done(true);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), Math.max(0, ms));
      this.waiters.push(onArrival);
      if (signal?.aborted) done(false);
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
