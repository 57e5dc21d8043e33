import { createSecureContext, TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { generateLoopbackCertificate } from '../../../src/targets/certificate.js';
import { say } from '../smtp-outcome.js';
import type { Outcome } from '../smtp-outcome.js';
import type { SmtpSession } from '../smtp-state.js';

/**
 * STARTTLS (RFC 3207). The session answers 220 and forgets what it knew (§4.2: EHLO, AUTH,
 * the envelope); the connection then discards any plaintext already buffered after the
 * STARTTLS line (the CVE-2011-0411 fix) and starts TLS as the server. Inside TLS, STARTTLS is
 * no longer listed and gets 503.
 */
export function startTls(session: SmtpSession, args: string): Outcome {
  if (args !== '' && !session.broken('starttls-param-accepted')) {
    return say(session.replies.badSyntax);
  }
  if (!session.greeted) return say(session.replies.badSequence);
  if (session.tls) {
    // starttls-twice answers 220 again, but stays in the one TLS layer it has.
    return say(
      session.broken('starttls-twice') ? session.replies.tlsReady : session.replies.badSequence,
    );
  }
  session.enterTls();
  return { ...say(session.replies.tlsReady), startTls: true };
}

let context: Promise<SecureContext> | undefined;

/**
 * The TLS server context of every scripted server in this process: a throw-away self-signed
 * EC certificate for `localhost` / 127.0.0.1, made once (about 30 ms) and kept in memory.
 */
export function scriptedTlsContext(): Promise<SecureContext> {
  context ??= generateLoopbackCertificate().then(({ key, cert }) =>
    createSecureContext({ key, cert }),
  );
  return context;
}

/** Starts TLS as the server on an accepted plaintext socket. */
export function upgradeToTls(socket: Socket, secureContext: SecureContext): TLSSocket {
  return new TLSSocket(socket, { isServer: true, secureContext });
}
