import { connect as netConnect, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { oneLine, tlsHandshake } from './tls-handshake.js';

/**
 * Opening the connection: TCP, then for implicit TLS the handshake, both within one deadline.
 *
 * Failures are data, one line each, classified once:
 *
 *   refused      connection refused by 127.0.0.1:2525
 *   timeout      no TCP connection to 127.0.0.1:2525 within 500 ms
 *   tls          TLS handshake with 127.0.0.1:465 failed: wrong version number (ERR_SSL_…)
 *   unreachable  mx.example:25 is unreachable: getaddrinfo ENOTFOUND mx.example
 *   other        anything else, with the system's message
 */
export type ConnectFailure = {
  kind: 'refused' | 'timeout' | 'tls' | 'unreachable' | 'other';
  message: string;
};

export interface ConnectTarget {
  host: string;
  port: number;
  tls: 'none' | 'implicit';
  connectTimeoutMs: number;
  servername?: string;
  /**
   * Plain TCP only (`tls: 'none'`): every read goes to `onread` in a buffer it shares with
   * other connections, valid only during the call, and never as 'data' events. That skips the
   * stream layer and a Buffer per read (Node's `onread` option of net.connect).
   */
  onread?: ReadCallback;
  /**
   * Aborting it ends the attempt at once, TCP or TLS, as a failure of kind `other`
   * ("connection attempt cancelled"): a load run that stops does not wait out the connect
   * timeout of a server that never answers the SYN.
   */
  signal?: AbortSignal;
}

/** Called with the read buffer and how many of its octets this read filled. */
export type ReadCallback = (buffer: Buffer, length: number) => void;

/** One read buffer for every `onread` connection of a thread: reads are handled one at a time. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

export type Connected =
  | { ok: true; socket: Socket | TLSSocket; raw: Socket; tls: TLSSocket | undefined }
  | { ok: false; failure: ConnectFailure };

const UNREACHABLE = new Set([
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);

/** `onTcp` is called when TCP is up, before any TLS handshake (for the transcript). */
export async function connectTarget(target: ConnectTarget, onTcp?: () => void): Promise<Connected> {
  const started = Date.now();
  const tcp = await connectTcp(target);
  if (!tcp.ok) return tcp;
  onTcp?.();
  if (target.tls === 'none') {
    return { ok: true, socket: tcp.socket, raw: tcp.socket, tls: undefined };
  }
  const { signal } = target;
  if (signal?.aborted) {
    tcp.socket.destroy();
    return { ok: false, failure: CANCELLED };
  }
  // Destroying the TCP socket closes the TLS socket, which ends the handshake at once.
  const cancel = (): void => void tcp.socket.destroy();
  signal?.addEventListener('abort', cancel, { once: true });
  const timeoutMs = Math.max(1, target.connectTimeoutMs - (Date.now() - started));
  const handshake = await tlsHandshake(tcp.socket, { ...target, timeoutMs });
  signal?.removeEventListener('abort', cancel);
  if (signal?.aborted) return { ok: false, failure: CANCELLED };
  if (handshake.ok) {
    return { ok: true, socket: handshake.socket, raw: tcp.socket, tls: handshake.socket };
  }
  const where = `${target.host}:${target.port}`;
  const message =
    handshake.reason === 'timeout'
      ? `TLS handshake with ${where} not completed within ${target.connectTimeoutMs} ms`
      : handshake.message.replace('TLS handshake', `TLS handshake with ${where}`);
  return { ok: false, failure: { kind: handshake.reason, message } };
}

type TcpResult = { ok: true; socket: Socket } | { ok: false; failure: ConnectFailure };

const CANCELLED: ConnectFailure = { kind: 'other', message: 'connection attempt cancelled' };

/** Resolves once; the timer is always cleared; a failed socket is destroyed. */
function connectTcp(target: ConnectTarget): Promise<TcpResult> {
  return new Promise((resolve) => {
    const { onread } = target;
    const socket = netConnect({
      host: target.host,
      port: target.port,
      ...(onread && target.tls === 'none'
        ? {
            onread: {
              buffer: READ_BUFFER,
              callback: (length: number, buffer: Uint8Array) => {
                onread(buffer as Buffer, length);
                return true;
              },
            },
          }
        : {}),
    });
    socket.on('error', () => undefined); // the session installs its own handling after connect
    const { signal } = target;
    const finish = (result: TcpResult): void => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
      if (!result.ok) socket.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish({ ok: false, failure: CANCELLED });
    const onConnect = (): void => finish({ ok: true, socket });
    const onError = (error: Error): void => finish({ ok: false, failure: classify(error, target) });
    const timer = setTimeout(() => {
      const message = `no TCP connection to ${target.host}:${target.port} within ${target.connectTimeoutMs} ms`;
      finish({ ok: false, failure: { kind: 'timeout', message } });
    }, target.connectTimeoutMs);
    socket.once('connect', onConnect);
    socket.on('error', onError);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function classify(error: Error, target: ConnectTarget): ConnectFailure {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const where = `${target.host}:${target.port}`;
  if (code === 'ECONNREFUSED') {
    return { kind: 'refused', message: `connection refused by ${where}` };
  }
  if (code === 'ETIMEDOUT') return { kind: 'timeout', message: `connection to ${where} timed out` };
  if (UNREACHABLE.has(code)) {
    return { kind: 'unreachable', message: `${where} is unreachable: ${oneLine(error)}` };
  }
  return { kind: 'other', message: `cannot connect to ${where}: ${oneLine(error)}` };
}
