import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { connectTarget, type ConnectFailure, type ReadCallback } from '../protocol/connect.js';
import type { LoadTarget } from './load-session.js';
import { fastNowMicros } from './fast-clock.js';
import type { LoadErrorKind, LoadSink, PhaseOutcome } from './load-sink.js';

/**
 * Opening a load session's connection: TCP, then for implicit TLS the handshake, within
 * `connectTimeoutMs` (protocol/connect.ts). Records the `connect` phase and, for implicit TLS,
 * the `tls` phase, both from `startedAt`; a failure also gets its error kind and message:
 *
 *   refused → refused   unreachable → unreachable   other → connect-failed
 *   timeout → connect-timeout (before TCP is up) or tls (during the handshake)
 *   tls → tls
 */
export type SessionConnection =
  { ok: true; socket: Socket | TLSSocket; raw: Socket } | { ok: false; outcome: PhaseOutcome };

/** With `onread`, a plain session's reads bypass the stream (protocol/connect.ts). */
export async function connectSession(
  target: LoadTarget,
  sink: LoadSink,
  startedAt: number,
  cancelled: () => boolean,
  onread?: ReadCallback,
  signal?: AbortSignal,
): Promise<SessionConnection> {
  let tcpAt = 0;
  const connected = await connectTarget(
    {
      host: target.host,
      port: target.port,
      tls: target.tls === 'implicit' ? 'implicit' : 'none',
      connectTimeoutMs: target.connectTimeoutMs,
      ...(target.servername ? { servername: target.servername } : {}),
      ...(onread && target.tls === 'none' ? { onread } : {}),
      ...(signal ? { signal } : {}),
    },
    () => (tcpAt = fastNowMicros()),
  );
  if (cancelled()) {
    if (connected.ok) connected.raw.destroy();
    return { ok: false, outcome: 'conn-error' };
  }
  const now = fastNowMicros();
  if (tcpAt > 0) sink.onPhase('connect', '2xx', Math.round(tcpAt - startedAt));
  if (!connected.ok)
    return failed(connected.failure, sink, tcpAt > 0 ? tcpAt : startedAt, tcpAt > 0);
  if (connected.tls) sink.onPhase('tls', '2xx', Math.round(now - tcpAt));
  return { ok: true, socket: connected.socket, raw: connected.raw };
}

function failed(
  failure: ConnectFailure,
  sink: LoadSink,
  since: number,
  inTls: boolean,
): SessionConnection {
  const outcome = failure.kind === 'timeout' ? 'timeout' : 'conn-error';
  sink.onPhase(inTls ? 'tls' : 'connect', outcome, Math.round(fastNowMicros() - since));
  const kinds: Record<ConnectFailure['kind'], LoadErrorKind> = {
    refused: 'refused',
    unreachable: 'unreachable',
    timeout: inTls ? 'tls' : 'connect-timeout',
    tls: 'tls',
    other: 'connect-failed',
  };
  sink.onError(kinds[failure.kind], failure.message);
  return { ok: false, outcome };
}
