import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { HOLD_MS, arrange, holdsReplies } from './extensions/pipelining.js';
import { scriptedTlsContext, upgradeToTls } from './extensions/starttls.js';
import { DEFAULT_SETTINGS, buildProfile } from './server-profile.js';
import type { ServerProfile } from './server-profile.js';
import type { ServerDefect } from './smtp-defects.js';
import { SmtpInput } from './smtp-input.js';
import { sayAndClose } from './smtp-outcome.js';
import type { DeliveredMessage } from './smtp-outcome.js';
import { SmtpSession } from './smtp-state.js';
import type { Outcome } from './smtp-state.js';

export type { DeliveredMessage } from './smtp-outcome.js';

/**
 * A small raw SMTP server for tests, on 127.0.0.1 and a free port. By default it follows the
 * RFC 5321 basics and the extensions it advertises (see smtp-state.ts and extensions/); each
 * entry of `defects` breaks exactly one rule (see smtp-defects.ts).
 *
 * Input is read as it comes: every complete command of a read is run in order and all their
 * replies are written at once, before waiting for more (PIPELINING). BDAT chunks are read as
 * exact octet counts; STARTTLS upgrades the socket in place.
 *
 * close() stops listening and destroys every open socket, so even a server that never
 * answers cannot keep the test process alive.
 */
export interface ScriptedServerOptions {
  defects?: ServerDefect[];
  /** Speak LMTP (RFC 2033): LHLO, and one reply per recipient after the data. Default false. */
  lmtp?: boolean;
  /**
   * Offer and accept AUTH only inside TLS (AUTH before STARTTLS gets 530). Default true, the
   * conforming choice; false lets a plaintext run authenticate.
   */
  authOnlyAfterTls?: boolean;
  /**
   * Called with every message the server accepts with 250 (DATA or BDAT LAST), before the 250
   * is sent: the envelope, and the data with dot-stuffing undone and without the final dot
   * line (extensions/delivery.ts). A smuggling defect delivers the smuggled message too.
   * Without it, accepted messages are thrown away.
   */
  deliver?: Deliver;
}

type Deliver = (message: DeliveredMessage) => void;

export interface ScriptedServer {
  port: number;
  close(): Promise<void>;
}

export async function startScriptedServer(
  options: ScriptedServerOptions = {},
): Promise<ScriptedServer> {
  const profile = buildProfile(options.defects ?? [], {
    lmtp: options.lmtp ?? DEFAULT_SETTINGS.lmtp,
    authOnlyAfterTls: options.authOnlyAfterTls ?? DEFAULT_SETTINGS.authOnlyAfterTls,
  });
  const secureContext = await scriptedTlsContext();
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const deliver: Deliver = options.deliver ?? (() => undefined);
  const server = createServer((socket) => {
    track(socket);
    serve(socket, { profile, secureContext, track, deliver });
  });
  const port = await listen(server);
  let closing: Promise<void> | undefined;
  return {
    port,
    close: () => (closing ??= closeServer(server, sockets)),
  };
}

/** What every connection of one server shares. */
interface ServerContext {
  profile: ServerProfile;
  secureContext: SecureContext;
  track: (socket: Socket) => void;
  deliver: Deliver;
}

function serve(socket: Socket, context: ServerContext): void {
  socket.on('error', () => undefined); // a client that resets is not a test failure
  if (context.profile.flags.has('never-answers')) {
    socket.resume(); // read and discard, say nothing
    return;
  }
  new Connection(socket, context).start();
}

class Connection {
  private readonly session: SmtpSession;
  private readonly input = new SmtpInput();
  private readonly eol: string;
  private open = true;
  /** Replies a `pipelining-waits` server has not sent yet. */
  private held = '';
  private holdTimer: NodeJS.Timeout | undefined;
  private readonly onData = (chunk: Buffer) => {
    this.input.push(chunk);
    this.pump();
  };

  constructor(
    private stream: Socket,
    private readonly context: ServerContext,
  ) {
    this.session = new SmtpSession(context.profile);
    this.eol = context.profile.flags.has('bare-lf-replies') ? '\n' : '\r\n';
  }

  start(): void {
    this.stream.on('data', this.onData);
    this.stream.on('close', () => {
      clearTimeout(this.holdTimer);
      this.handOn(this.session.connectionLost());
    });
    this.send([this.session.greet()]);
  }

  /** Runs every complete command (or chunk) buffered, then sends the replies at once. */
  private pump(): void {
    this.release();
    const outcomes: Outcome[] = [];
    let startTls = false;
    let draining = false;
    while (this.open && !startTls) {
      const outcome = this.next();
      if (!outcome) break;
      outcomes.push(outcome);
      this.handOn(outcome.delivered);
      if (outcome.unread) this.input.unshift(outcome.unread);
      if (outcome.dropInput) this.input.clear();
      if (outcome.close) this.open = false;
      draining ||= outcome.closeWhenDrained === true;
      startTls = outcome.startTls === true;
    }
    if (draining && this.open) {
      outcomes.push(sayAndClose());
      this.open = false;
    }
    this.send(outcomes);
    if (startTls) this.startTls();
  }

  private handOn(messages: readonly DeliveredMessage[] = []): void {
    for (const message of messages) this.context.deliver(message);
  }

  private next(): Outcome | undefined {
    const wanted = this.session.octetsWanted();
    if (wanted > 0) {
      const octets = this.input.octets(wanted);
      return octets === undefined ? undefined : this.session.receiveOctets(octets);
    }
    const line = this.input.line(this.session.lineEnds());
    return line && this.session.receive(line);
  }

  private send(outcomes: readonly Outcome[]): void {
    const flags = this.context.profile.flags;
    const text = arrange(outcomes, flags)
      .flatMap((outcome) => outcome.replies)
      .map((lines) => lines.map((line) => line + this.eol).join(''))
      .join('');
    const close = outcomes.some((outcome) => outcome.close);
    if (!close && holdsReplies(outcomes, flags)) {
      this.held += text;
      this.holdTimer ??= setTimeout(() => this.release(), HOLD_MS).unref();
      return;
    }
    this.write(text);
    if (close) this.stream.end();
  }

  /** Sends what a `pipelining-waits` server held back. */
  private release(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const held = this.held;
    this.held = '';
    this.write(held);
  }

  private write(text: string): void {
    if (text !== '' && this.stream.writable) this.stream.write(text, 'latin1');
  }

  /**
   * RFC 3207 §4.2: the plaintext read after STARTTLS is discarded (CVE-2011-0411), unless the
   * server has the `starttls-injection` defect, which runs it inside TLS once the handshake ends.
   */
  private startTls(): void {
    if (!this.session.broken('starttls-injection')) this.input.clear();
    this.stream.off('data', this.onData);
    const secure = upgradeToTls(this.stream, this.context.secureContext);
    this.context.track(secure);
    secure.on('error', () => undefined);
    secure.on('data', this.onData);
    secure.once('secure', () => {
      if (this.input.buffered > 0) this.pump();
    });
    this.stream = secure;
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('scripted server: no port'));
    });
  });
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  return closed;
}
