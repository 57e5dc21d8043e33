import { connect as connectTcp } from 'node:net';
import type { Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { ConnectionOptions, TLSSocket } from 'node:tls';

/**
 * A deliberately dumb SMTP client for tests: it writes exactly the bytes it is given and
 * reads raw text (latin1), so tests can see bare LFs, malformed replies and silence.
 *
 * A reply is complete at a line (ended by LF) whose fourth character is not '-'.
 */
export class RawSmtpClient {
  private buffer = '';
  private ended = false;
  private readonly waiters = new Set<() => void>();

  private constructor(private socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawSmtpClient> {
    return new Promise((resolve, reject) => {
      const socket = connectTcp(port, host);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawSmtpClient(socket));
      });
    });
  }

  get closed(): boolean {
    return this.ended;
  }

  send(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** The next complete reply, raw (line endings included); rejects after `timeoutMs`. */
  async reply(timeoutMs = 1000): Promise<string> {
    const ok = await this.waitFor(() => completeReplyLength(this.buffer) > 0, timeoutMs);
    const length = completeReplyLength(this.buffer);
    if (!ok || length === 0) {
      throw new Error(
        `no complete reply within ${timeoutMs} ms; got ${JSON.stringify(this.buffer)}`,
      );
    }
    const reply = this.buffer.slice(0, length);
    this.buffer = this.buffer.slice(length);
    return reply;
  }

  /** Sends `command` and returns the next reply. */
  async exchange(command: string, timeoutMs = 1000): Promise<string> {
    this.send(command);
    return this.reply(timeoutMs);
  }

  /** Everything received during the next `ms` milliseconds (or until the peer closes). */
  async collect(ms: number): Promise<string> {
    await this.waitFor(() => this.ended, ms);
    const text = this.buffer;
    this.buffer = '';
    return text;
  }

  /** Resolves true if the peer closes within `timeoutMs`. */
  waitClosed(timeoutMs = 1000): Promise<boolean> {
    return this.waitFor(() => this.ended, timeoutMs);
  }

  /** Starts TLS on the connection (after the server's 220 to STARTTLS). */
  startTls(options: ConnectionOptions = {}): Promise<TLSSocket> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    return new Promise((resolve, reject) => {
      const secure = connectTls({ ...options, socket: plain }, () => {
        secure.off('error', reject);
        this.socket = secure;
        this.attach(secure);
        resolve(secure);
      });
      secure.once('error', reject);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('latin1');
      this.notify();
    });
    socket.on('close', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('error', () => undefined);
  }

  private notify(): void {
    for (const waiter of this.waiters) waiter();
  }

  private waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (result: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(result);
      };
      const check = () => {
        if (condition()) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.waiters.add(check);
    });
  }
}

/** Length of the first complete reply in `text`, or 0 if there is none yet. */
function completeReplyLength(text: string): number {
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    const line = text.slice(start, end);
    start = end + 1;
    if (line[3] !== '-') return start;
  }
  return 0;
}
