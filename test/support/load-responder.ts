import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type SecureContextOptions, TLSSocket } from 'node:tls';

/**
 * A tiny, fast SMTP responder for the load engine's tests and benchmark, on 127.0.0.1 and a free
 * port. Unlike smtp-server it greets at once and answers every complete command of a read in
 * one write (PIPELINING), so one loopback connection can carry tens of thousands of messages/s.
 *
 * It speaks enough ESMTP to drive a load session: EHLO (PIPELINING, 8BITMIME, SIZE, and as
 * configured CHUNKING, STARTTLS, AUTH PLAIN), MAIL, RCPT, DATA (ends at CRLF "." CRLF across
 * reads), BDAT n [LAST] (exact octet counts), RSET, NOOP, QUIT. Replies to MAIL, RCPT, DATA and
 * the end of data can be overridden, and `fault` breaks one thing on purpose.
 */
export type Reply = string | ((n: number) => string);

export interface ResponderOptions {
  pipelining?: boolean;
  chunking?: boolean;
  /** Offer STARTTLS with this identity. */
  starttls?: SecureContextOptions;
  /** Listen with implicit TLS (RFC 8314) with this identity. */
  implicitTls?: SecureContextOptions;
  /**
   * Offer AUTH PLAIN and accept exactly these credentials; with `challenge`, ignore an initial
   * response and ask for the credentials with a 334 first.
   */
  auth?: { username: string; password: string; challenge?: boolean };
  /**
   * Overrides. A function gets n, counted from 1: the n-th MAIL, DATA or end of data of the
   * connection, the n-th RCPT of the transaction.
   */
  replies?: { MAIL?: Reply; RCPT?: Reply; DATA?: Reply; EOD?: Reply };
  /**
   * no-greeting     accept the connection and never say anything
   * no-eod-reply    swallow the end of data and never answer it
   * close-in-data   destroy the connection when the first body octets arrive
   */
  fault?: 'no-greeting' | 'no-eod-reply' | 'close-in-data';
  /** Keep every received message (unstuffed DATA or BDAT chunks) in `messages`. */
  keepMessages?: boolean;
  /** Keep every command line in `commands`, and the commands of each read in `reads`. */
  keepCommands?: boolean;
}

export interface Responder {
  port: number;
  /** Messages accepted (final 250 sent). */
  accepted: number;
  messages: Buffer[];
  commands: string[];
  /** Command verbs (BDAT with its arguments) per read, for reads that held a command. */
  reads: string[][];
  close(): Promise<void>;
}

export async function startResponder(opts: ResponderOptions = {}): Promise<Responder> {
  const sockets = new Set<Socket>();
  const server: Server = opts.implicitTls
    ? createTlsServer(opts.implicitTls)
    : createServer({ noDelay: true });
  const responder: Responder = {
    port: 0,
    accepted: 0,
    messages: [],
    commands: [],
    reads: [],
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
  server.on(opts.implicitTls ? 'secureConnection' : 'connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setNoDelay(true);
    if (opts.fault !== 'no-greeting') socket.write('220 responder.test ESMTP\r\n');
    new Conversation(socket, opts, responder, opts.implicitTls !== undefined).listen(socket);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  responder.port = typeof address === 'object' && address ? address.port : 0;
  return responder;
}

const TERMINATOR = Buffer.from('\r\n.\r\n', 'latin1');

class Conversation {
  private mode: 'command' | 'data' | 'bdat' = 'command';
  private pending = Buffer.alloc(0);
  /** Data mode: the last octets seen (starts as the CRLF that ended "DATA"). */
  private carry = Buffer.from('\r\n', 'latin1');
  private body: Buffer[] = [];
  private bdatLeft = 0;
  private bdatLast = false;
  private mailCount = 0;
  private dataCount = 0;
  private eodCount = 0;
  private mailOk = false;
  private rcpts = 0;
  private accepted = 0;
  private authWaiting = false;
  private out = '';
  private read: string[] = [];

  constructor(
    private socket: Socket,
    private readonly opts: ResponderOptions,
    private readonly responder: Responder,
    private tls: boolean,
  ) {}

  listen(socket: Socket): void {
    this.socket = socket;
    socket.on('data', this.onData);
  }

  private readonly onData = (chunk: Buffer): void => {
    const input = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    this.read = [];
    let at = 0;
    while (at < input.length && !this.socket.destroyed) {
      if (this.mode === 'bdat') at = this.takeBdat(input, at);
      else if (this.mode === 'data') at = this.takeData(input, at);
      else {
        const lf = input.indexOf(0x0a, at);
        if (lf === -1) {
          this.pending = Buffer.from(input.subarray(at));
          break;
        }
        const line = input.toString('latin1', at, lf).replace(/\r$/, '');
        at = lf + 1;
        if (this.command(line)) break; // STARTTLS: the rest was plaintext, discarded
      }
    }
    if (this.opts.keepCommands && this.read.length > 0) this.responder.reads.push(this.read);
    this.flush();
  };

  private flush(): void {
    if (this.out.length === 0 || this.socket.destroyed) return;
    this.socket.write(this.out);
    this.out = '';
  }

  private reply(text: string): void {
    this.out += `${text}\r\n`;
  }

  private pick(reply: Reply | undefined, n: number, fallback: string): string {
    return reply === undefined ? fallback : typeof reply === 'string' ? reply : reply(n);
  }

  /** Runs one command; true when the connection switched to TLS. */
  private command(line: string): boolean {
    if (this.opts.keepCommands) {
      this.responder.commands.push(line);
      this.read.push(line.startsWith('BDAT') ? line : line.slice(0, 4).toUpperCase());
    }
    if (this.authWaiting) {
      this.authWaiting = false;
      this.checkAuth(line);
      return false;
    }
    const verb = line.slice(0, 4).toUpperCase();
    switch (verb) {
      case 'EHLO':
        this.resetTransaction();
        this.reply(this.ehloReply());
        return false;
      case 'STAR':
        return this.startTls();
      case 'AUTH':
        return this.auth(line);
      case 'MAIL':
        return this.mail();
      case 'RCPT':
        return this.rcpt();
      case 'DATA':
        return this.data();
      case 'BDAT':
        return this.bdat(line);
      case 'RSET':
        this.resetTransaction();
        this.reply('250 2.0.0 Ok');
        return false;
      case 'NOOP':
        this.reply('250 2.0.0 Ok');
        return false;
      case 'QUIT':
        this.reply('221 2.0.0 Bye');
        this.flush();
        this.socket.end();
        return false;
      default:
        this.reply('500 5.5.2 Command not recognised');
        return false;
    }
  }

  private ehloReply(): string {
    const { opts } = this;
    const keywords = ['responder.test', '8BITMIME', 'SIZE 52428800', 'ENHANCEDSTATUSCODES'];
    if (opts.pipelining ?? true) keywords.push('PIPELINING');
    if (opts.chunking) keywords.push('CHUNKING');
    if (opts.starttls && !this.tls) keywords.push('STARTTLS');
    if (opts.auth) keywords.push('AUTH LOGIN PLAIN');
    return keywords.map((k, i) => `250${i === keywords.length - 1 ? ' ' : '-'}${k}`).join('\r\n');
  }

  private startTls(): boolean {
    if (!this.opts.starttls || this.tls) {
      this.reply('502 5.5.1 Not available');
      return false;
    }
    this.reply('220 2.0.0 Ready to start TLS');
    this.flush();
    this.socket.off('data', this.onData);
    const secure = new TLSSocket(this.socket, { isServer: true, ...this.opts.starttls });
    secure.on('error', () => undefined);
    this.tls = true;
    this.resetTransaction();
    this.listen(secure);
    return true;
  }

  private auth(line: string): boolean {
    const [, mechanism = '', initial] = line.split(' ');
    if (!this.opts.auth || mechanism.toUpperCase() !== 'PLAIN') {
      this.reply('504 5.5.4 Mechanism not supported');
    } else if (initial === undefined || this.opts.auth.challenge) {
      this.authWaiting = true;
      this.reply('334 ');
    } else {
      this.checkAuth(initial);
    }
    return false;
  }

  private checkAuth(encoded: string): void {
    const { username, password } = this.opts.auth!;
    const ok = Buffer.from(encoded, 'base64').toString('utf8') === `\0${username}\0${password}`;
    // A careless server that echoes what it got: the client must not show it.
    this.reply(ok ? '235 2.7.0 Authenticated' : `535 5.7.8 Bad credentials ${encoded}`);
  }

  private mail(): boolean {
    this.resetTransaction();
    const text = this.pick(this.opts.replies?.MAIL, ++this.mailCount, '250 2.1.0 Ok');
    this.mailOk = text.startsWith('2');
    this.reply(text);
    return false;
  }

  private rcpt(): boolean {
    if (!this.mailOk) {
      this.reply('503 5.5.1 MAIL first');
      return false;
    }
    this.rcpts++;
    const text = this.pick(this.opts.replies?.RCPT, this.rcpts, '250 2.1.5 Ok');
    if (text.startsWith('2')) this.accepted++;
    this.reply(text);
    return false;
  }

  private data(): boolean {
    if (!this.mailOk || this.accepted === 0) {
      this.reply('554 5.5.1 No valid recipients');
      return false;
    }
    const text = this.pick(
      this.opts.replies?.DATA,
      ++this.dataCount,
      '354 End data with <CR><LF>.<CR><LF>',
    );
    this.reply(text);
    if (text.startsWith('3')) {
      this.mode = 'data';
      this.carry = Buffer.from('\r\n', 'latin1');
      this.body = [];
    }
    return false;
  }

  private bdat(line: string): boolean {
    const [, size = '', last] = line.split(' ');
    this.bdatLeft = Number.parseInt(size, 10) || 0;
    this.bdatLast = (last ?? '').toUpperCase() === 'LAST';
    this.mode = 'bdat';
    if (this.bdatLeft === 0) this.endBdat();
    return false;
  }

  private takeBdat(input: Buffer, at: number): number {
    if (this.opts.fault === 'close-in-data') {
      this.socket.destroy();
      return input.length;
    }
    const take = Math.min(this.bdatLeft, input.length - at);
    if (this.opts.keepMessages) this.body.push(Buffer.from(input.subarray(at, at + take)));
    this.bdatLeft -= take;
    if (this.bdatLeft === 0) this.endBdat();
    return at + take;
  }

  private endBdat(): void {
    this.mode = 'command';
    if (!this.mailOk || this.accepted === 0) {
      this.reply('554 5.5.1 No valid recipients');
      this.body = [];
      return;
    }
    if (!this.bdatLast) {
      this.reply('250 2.0.0 Chunk accepted');
      return;
    }
    this.endMessage(Buffer.concat(this.body));
  }

  /**
   * Data mode: consumes up to and including CRLF "." CRLF and returns the next offset. The
   * terminator may straddle reads: `carry` holds the last octets before `at`.
   */
  private takeData(input: Buffer, at: number): number {
    if (this.opts.fault === 'close-in-data') {
      this.socket.destroy();
      return input.length;
    }
    const head = Buffer.concat([this.carry, input.subarray(at, at + 4)]);
    const inHead = head.indexOf(TERMINATOR);
    const start = inHead !== -1 ? at + inHead - this.carry.length : input.indexOf(TERMINATOR, at);
    if (start === -1) {
      if (this.opts.keepMessages) this.body.push(Buffer.from(input.subarray(at)));
      const tail = Buffer.concat([this.carry, input.subarray(at)]);
      this.carry = Buffer.from(tail.subarray(Math.max(0, tail.length - 4)));
      return input.length;
    }
    // The CRLF before the dot ends the message's last line; it may have come in the carry.
    if (this.opts.keepMessages)
      this.body.push(Buffer.from(input.subarray(at, Math.max(at, start + 2))));
    this.mode = 'command';
    this.endMessage(this.opts.keepMessages ? unstuff(Buffer.concat(this.body)) : null);
    return start + 5;
  }

  private endMessage(message: Buffer | null): void {
    if (this.opts.fault === 'no-eod-reply') return;
    const text = this.pick(this.opts.replies?.EOD, ++this.eodCount, '250 2.0.0 Ok: queued');
    if (text.startsWith('2')) {
      this.responder.accepted++;
      if (message && this.opts.keepMessages) this.responder.messages.push(message);
    }
    this.reply(text);
    this.resetTransaction();
  }

  private resetTransaction(): void {
    this.mailOk = false;
    this.rcpts = 0;
    this.accepted = 0;
    this.body = [];
  }
}

/** The message from the DATA octets before the terminator: one leading dot removed per line. */
function unstuff(collected: Buffer): Buffer {
  const lines = collected.toString('latin1').split('\r\n');
  return Buffer.from(
    lines.map((line) => (line.startsWith('.') ? line.slice(1) : line)).join('\r\n'),
    'latin1',
  );
}
