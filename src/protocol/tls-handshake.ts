import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/**
 * A TLS client handshake over an already connected TCP socket, with a deadline. Used for
 * implicit TLS (RFC 8314) right after connect and for STARTTLS (RFC 3207) after the 220.
 * Any certificate is accepted: smtpgauge tests servers, not PKI.
 *
 * Contract: resolves exactly once, never rejects; the timer is always cleared; on failure the
 * socket is destroyed. The caller must keep an 'error' listener on `socket` (errors after the
 * handshake surface on the returned TLS socket).
 */
export type HandshakeResult =
  { ok: true; socket: TLSSocket } | { ok: false; reason: 'timeout' | 'tls'; message: string };

export interface HandshakeOptions {
  /** SNI; defaults to the host when it is a name (SNI must not carry an IP address). */
  servername?: string;
  host: string;
  timeoutMs: number;
}

export function tlsHandshake(socket: Socket, opts: HandshakeOptions): Promise<HandshakeResult> {
  const servername = opts.servername ?? (isIP(opts.host) === 0 ? opts.host : undefined);
  return new Promise((resolve) => {
    const secure = tlsConnect({
      socket,
      rejectUnauthorized: false,
      ...(servername ? { servername } : {}),
    });
    const finish = (result: HandshakeResult): void => {
      clearTimeout(timer);
      secure.off('secureConnect', onSecure);
      secure.off('error', onError);
      secure.off('close', onClose);
      if (!result.ok) {
        secure.on('error', () => undefined);
        secure.destroy();
        socket.destroy();
      }
      resolve(result);
    };
    const onSecure = (): void => finish({ ok: true, socket: secure });
    const onError = (error: Error): void =>
      finish({ ok: false, reason: 'tls', message: `TLS handshake failed: ${oneLine(error)}` });
    const onClose = (): void =>
      finish({ ok: false, reason: 'tls', message: 'TLS handshake failed: connection closed' });
    const timer = setTimeout(() => {
      const message = `TLS handshake not completed within ${opts.timeoutMs} ms`;
      finish({ ok: false, reason: 'timeout', message });
    }, opts.timeoutMs);
    secure.once('secureConnect', onSecure);
    secure.on('error', onError);
    secure.once('close', onClose);
  });
}

/** `TLSv1.3, TLS_AES_256_GCM_SHA384` */
export function describeTls(socket: TLSSocket): string {
  const cipher = socket.getCipher();
  return `${socket.getProtocol() ?? 'TLS'}, ${cipher.standardName || cipher.name}`;
}

/** An error as one line of text, with its code when it has one. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const line = text.replace(/\s+/g, ' ').trim();
  return typeof code === 'string' && !line.includes(code) ? `${line} (${code})` : line;
}
