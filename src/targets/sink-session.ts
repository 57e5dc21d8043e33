import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { DataScanner } from './sink-data-scanner.js';
import { createRandom, streamSeed } from './sink-random.js';
import type { Random } from './sink-random.js';
import { ReplyOutput } from './sink-reply-output.js';
import type { AfterReply } from './sink-reply-output.js';
import { REPLY } from './sink-replies.js';
import { SinkCommands } from './sink-commands.js';
import type { SinkShared } from './sink-commands.js';

/**
 * One connection to the sink: the byte framing and the mode it is in. The commands themselves
 * are answered by SinkCommands; this file feeds it lines, message data and chunks.
 *
 *   command  lines up to LF (a CR before it is dropped), at most MAX_LINE octets each
 *   data     after 354: octets up to CRLF "." CRLF, counted, not kept (DataScanner)
 *   chunk    after BDAT n: exactly n octets, counted, not kept
 *   discard  after QUIT, STARTTLS's 220 (RFC 3207 §4: no plaintext after it) or a drop
 *
 * Every read is processed to its end (all complete lines, in order), then the replies it
 * produced leave in one write (ReplyOutput). A client that sends faster than it reads its
 * replies is paused (flow control): the session stops reading while the socket's write buffer
 * is full, or while more than MAX_HELD_REPLIES replies wait for their delay.
 */
type Mode = 'command' | 'data' | 'chunk' | 'discard';

/** Longest command line kept, CRLF excluded; longer ones get 500 (RFC 5321 §4.5.3.1.4 says 512). */
const MAX_LINE = 4096;
/** Replies held for a delay before the session stops reading more commands. */
const MAX_HELD_REPLIES = 10_000;
const LF = 0x0a;
const CR = 0x0d;

export class SinkSession {
  private socket: Socket | TLSSocket;
  private mode: Mode = 'command';
  /** The unterminated command line from earlier reads (a copy), if any. */
  private partial: Buffer | undefined;
  /** The current command line outgrew MAX_LINE; the rest of it is skipped. */
  private overlong = false;
  private readonly scanner = new DataScanner();
  private chunkRemaining = 0;
  private readonly output: ReplyOutput;
  private readonly commands: SinkCommands;
  private readonly dropRandom: Random;
  private closed = false;

  constructor(
    private readonly raw: Socket,
    private readonly shared: SinkShared,
    index: number,
    private readonly onClosed: (session: SinkSession) => void,
  ) {
    this.socket = raw;
    this.output = new ReplyOutput((bytes, after) => this.write(bytes, after));
    this.commands = new SinkCommands(shared, this.output, {
      faultRandom: createRandom(streamSeed(shared.config.seed, index, 1)),
      dropped: () => this.dropped(),
      startData: () => this.startData(),
      startChunk: (size) => this.startChunk(size),
      stop: () => void (this.mode = 'discard'),
    });
    this.dropRandom = createRandom(streamSeed(shared.config.seed, index, 2));
    this.listen(raw);
    raw.on('close', () => this.finish());
    this.output.push(shared.replies.greeting, shared.config.delays.greeting);
    this.output.flush();
  }

  /** Destroys the connection now (server shutdown). */
  destroy(): void {
    this.socket.destroy();
    this.raw.destroy();
    this.finish();
  }

  private readonly onData = (chunk: Buffer): void => {
    this.shared.counters.bytesReceived += chunk.length;
    let buf = chunk;
    if (this.partial && this.mode === 'command') {
      buf = Buffer.concat([this.partial, chunk]);
      this.partial = undefined;
    }
    let at = 0;
    while (at < buf.length) {
      if (this.mode === 'command') at = this.readLine(buf, at);
      else if (this.mode === 'data') at = this.readData(buf, at);
      else if (this.mode === 'chunk') at = this.readChunk(buf, at);
      else break;
    }
    this.output.flush();
    if (this.output.heldCount > MAX_HELD_REPLIES && !this.socket.isPaused()) {
      // Replies waiting for a delay are not written, so the socket cannot push back: stop
      // reading until they have left.
      const socket = this.socket;
      socket.pause();
      this.output.whenEmpty(() => socket.resume());
    }
  };

  /** Handles the line starting at `at`, or keeps its start for the next read. */
  private readLine(buf: Buffer, at: number): number {
    const lf = buf.indexOf(LF, at);
    if (lf === -1) {
      if (buf.length - at > MAX_LINE + 1) this.overlong = true;
      else if (!this.overlong) this.partial = Buffer.from(buf.subarray(at));
      return buf.length;
    }
    const end = lf > at && buf[lf - 1] === CR ? lf - 1 : lf;
    if (this.overlong || end - at > MAX_LINE) {
      this.overlong = false;
      this.output.push(REPLY.tooLong, 0);
    } else {
      this.commands.line(buf, at, end);
    }
    return lf + 1;
  }

  private readData(buf: Buffer, at: number): number {
    const end = this.scanner.push(buf, at);
    if (end === -1) return buf.length;
    this.mode = 'command';
    if (!this.dropped()) this.commands.endOfMessage(this.scanner.octets, 0);
    return end;
  }

  private readChunk(buf: Buffer, at: number): number {
    const take = Math.min(this.chunkRemaining, buf.length - at);
    this.chunkRemaining -= take;
    if (this.chunkRemaining === 0) this.endChunk();
    return at + take;
  }

  private startData(): void {
    this.mode = 'data';
    this.scanner.reset();
  }

  private startChunk(size: number): void {
    this.chunkRemaining = size;
    this.mode = 'chunk';
    if (size === 0) this.endChunk();
  }

  private endChunk(): void {
    this.mode = 'command';
    if (!this.dropped()) this.commands.endOfChunk();
  }

  /**
   * Rolls the disconnect fault for the reply about to be made; when it hits, the connection is
   * dropped (after the replies before it) instead, and nothing more is read.
   */
  private dropped(): boolean {
    const rate = this.shared.config.disconnectRate;
    if (rate <= 0 || this.dropRandom() >= rate) return false;
    this.shared.counters.disconnects++;
    this.mode = 'discard';
    this.output.push(undefined, 0, 'drop');
    return true;
  }

  private write(bytes: Buffer | undefined, after: AfterReply): void {
    const socket = this.socket;
    if (socket.destroyed) return;
    if (after === 'close') {
      if (bytes) socket.end(bytes);
      else socket.end();
    } else if (after === 'drop') {
      if (bytes) socket.write(bytes, () => socket.destroy());
      else socket.destroy();
    } else if (after === 'starttls') {
      if (bytes) socket.write(bytes);
      this.upgrade();
    } else if (bytes && !socket.write(bytes) && !socket.isPaused()) {
      // A client that sends without reading its replies: stop reading until they have left.
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  }

  /** RFC 3207 §4.2: after the handshake the session starts afresh, as if just connected. */
  private upgrade(): void {
    const context = this.shared.secureContext;
    if (!context) return;
    this.raw.off('data', this.onData);
    this.raw.setTimeout(0);
    this.partial = undefined;
    this.overlong = false;
    this.mode = 'command';
    this.commands.restart(true);
    const secure = new TLSSocket(this.raw, { isServer: true, secureContext: context });
    this.socket = secure;
    this.listen(secure);
    secure.on('close', () => this.finish());
  }

  private listen(socket: Socket | TLSSocket): void {
    socket.on('data', this.onData);
    socket.on('error', () => socket.destroy());
    socket.setTimeout(this.shared.config.idleTimeoutMs, () => {
      this.mode = 'discard';
      socket.end(REPLY.idle, () => socket.destroy());
    });
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.output.dispose();
    this.onClosed(this);
  }
}
