import { SMTPServer } from 'smtp-server';
import type {
  SMTPServerAddress,
  SMTPServerAuthentication,
  SMTPServerAuthenticationResponse,
  SMTPServerDataStream,
  SMTPServerError,
  SMTPServerOptions,
  SMTPServerSession,
} from 'smtp-server';
import { generateLoopbackCertificate } from './certificate.js';
import type { TlsIdentity } from './certificate.js';
import { checkMailFrom, checkRcptTo } from './envelope-policy.js';
import type { Refusal } from './envelope-policy.js';
import { enforceStrictAuth } from './strict-auth.js';
import { toSmtpServerLogger } from './smtp-server-logger.js';
import { closeServer, listenOn, once } from './smtp-server-lifecycle.js';
import { createRelay } from './relay.js';
import { receiveMessage } from './received-message.js';
import type { ReceivedMessage } from './received-message.js';
import type { Relay, RelayHop } from './relay.js';

/**
 * The embedded reference target: an smtp-server instance configured to conform to the
 * RFC 5321 core. It advertises PIPELINING, 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES,
 * AUTH PLAIN LOGIN, STARTTLS and SIZE; accepts any recipient at `domain` and the bare
 * `postmaster`; discards every message body it receives.
 *
 * Where smtp-server's defaults fall short of the RFC, this file fixes them through options
 * and hooks (each marked "RFC fix" below). Deviations of smtp-server 3.21 that no option or
 * hook reaches (a suite run against this target will report them):
 * - a bare LF ends a command line (`NOOP\n` is answered): §2.3.8 MUST NOT, checklist CRL-01;
 * - `RSET x`, `QUIT x` and `DATA x` are accepted instead of 501 (§4.3.2 SHOULD);
 * - EXPN is answered 500 (unrecognised) rather than 502 (not implemented);
 * - the 10th unrecognised command gets 421 and the connection is closed;
 * - a command line over 16 KiB gets 421 and a close instead of 500 (LIM-03);
 * - the greeting is sent 100 ms after accept (a fixed early-talker delay).
 */
export interface ReferenceTargetOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Server name in the greeting and the only domain accepted for recipients; default 'example.test'. */
  domain?: string;
  /** SIZE limit in octets, advertised and enforced; default 10 MiB. */
  size?: number;
  /** Receives smtp-server's protocol log, one line per event; silent when absent. */
  logger?: (line: string) => void;
  /**
   * Relay every accepted message to this next hop (the capture sink of `run --capture`)
   * instead of discarding it. The 250 is sent once the message is kept, before it is relayed.
   */
  relay?: RelayHop;
  /** Told about every message the relay could not forward. */
  onRelayError?: (message: string) => void;
}

export interface RunningTarget {
  host: string;
  port: number;
  /** The test account, valid for AUTH PLAIN and AUTH LOGIN. */
  credentials: { user: string; pass: string };
  /** The greeting text after `220 `, e.g. `example.test ESMTP smtpgauge reference target`. */
  banner: string;
  /** Stops listening, sends 421 to open sessions and resolves once every socket is gone. */
  close(): Promise<void>;
}

export const REFERENCE_CREDENTIALS = Object.freeze({
  user: 'smtpgauge',
  pass: 'gauge-test-password',
});

const DEFAULT_SIZE = 10 * 1024 * 1024;
const BANNER_TEXT = 'smtpgauge reference target';
/** RFC fix: §4.5.3.2.7 asks for a server timeout of at least 5 minutes (smtp-server: 60 s). */
const SERVER_TIMEOUT_MS = 5 * 60_000;

export async function startReferenceTarget(
  options: ReferenceTargetOptions = {},
): Promise<RunningTarget> {
  const host = options.host ?? '127.0.0.1';
  const domain = options.domain ?? 'example.test';
  const identity = await generateLoopbackCertificate();
  const relay = options.relay && createRelay(options.relay);
  const server: SMTPServer = new SMTPServer({
    ...serverOptions(domain, options, identity),
    ...(relay
      ? {
          onData: (stream, session, callback) =>
            receiveMessage(stream, session, callback, (message) =>
              forward(message, relay, options),
            ),
        }
      : {}),
    onConnect: (session, callback) => {
      enforceStrictAuth(server, session);
      callback();
    },
  });
  server.on('error', (error: Error) => options.logger?.(`error ${error.message}`));
  const port = await listenOn(server, options.port ?? 0, host);
  return {
    host,
    port,
    credentials: { ...REFERENCE_CREDENTIALS },
    banner: `${domain} ESMTP ${BANNER_TEXT}`,
    close: once(() => closeServer(server).finally(() => relay?.close())),
  };
}

function serverOptions(
  domain: string,
  options: ReferenceTargetOptions,
  identity: TlsIdentity,
): SMTPServerOptions {
  return {
    name: domain,
    banner: BANNER_TEXT,
    key: identity.key,
    cert: identity.cert,
    size: options.size ?? DEFAULT_SIZE,
    // RFC 1870 §6: a message over the advertised SIZE gets 552, not a silent 250.
    rejectOversized: true,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: true,
    allowInsecureAuth: true,
    // Only the listed extensions: DSN and REQUIRETLS would promise behaviour a discarding
    // sink cannot deliver.
    hideDSN: true,
    // smtp-server hides ENHANCEDSTATUSCODES unless told otherwise.
    hideENHANCEDSTATUSCODES: false,
    hideREQUIRETLS: true,
    disableReverseLookup: true,
    // RFC fix: smtp-server's strict parser refuses a 254-octet mailbox (a 256-octet path,
    // which §4.5.3.1.3 allows). The lenient parser plus our own syntax check (mailbox-syntax.ts)
    // keeps the 501 for bad syntax (§4.1.2) and accepts the full path length.
    lenientAddressParsing: true,
    socketTimeout: SERVER_TIMEOUT_MS,
    logger: options.logger ? toSmtpServerLogger(options.logger) : false,
    onAuth: (auth, _session, callback) => callback(...authenticate(auth)),
    onMailFrom: (address, _session, callback) => callback(refusalError(mailRefusal(address))),
    onRcptTo: (address, session, callback) =>
      callback(refusalError(rcptRefusal(address, session, domain))),
    onData: (stream, _session, callback) => discard(stream, callback),
  };
}

type AuthResult = [SMTPServerError | null, SMTPServerAuthenticationResponse?];

function authenticate(auth: SMTPServerAuthentication): AuthResult {
  const valid =
    auth.username === REFERENCE_CREDENTIALS.user && auth.password === REFERENCE_CREDENTIALS.pass;
  if (!valid)
    return [Object.assign(new Error('Invalid username or password'), { responseCode: 535 })];
  return [null, { user: auth.username }];
}

/** RFC fix: unknown MAIL parameters get 555 (§4.1.1.11); smtp-server would accept them. */
function mailRefusal(address: SMTPServerAddress): Refusal | null {
  return checkMailFrom(address.address, address.args);
}

/** RFC fix: unknown RCPT parameters get 555 (§4.1.1.11); recipients outside `domain` get 550. */
function rcptRefusal(
  address: SMTPServerAddress,
  session: SMTPServerSession,
  domain: string,
): Refusal | null {
  return checkRcptTo(address.address, address.args, domain, session.envelope.smtpUtf8 === true);
}

function refusalError(refusal: Refusal | null): SMTPServerError | null {
  return refusal ? Object.assign(new Error(refusal.message), { responseCode: refusal.code }) : null;
}

/** Relays a received message in the background; relay errors go to the log. */
function forward(message: ReceivedMessage, relay: Relay, options: ReferenceTargetOptions): string {
  relay.forward({ from: message.from, to: message.to }, message.raw).catch((error: Error) => {
    options.logger?.(`relay error ${error.message}`);
    options.onRelayError?.(error.message);
  });
  return 'Message accepted for relaying';
}

/** Reads the message to its end and throws it away; smtp-server answers 552 if it was too big. */
function discard(
  stream: SMTPServerDataStream,
  callback: (error?: Error | null, message?: string) => void,
): void {
  stream.on('error', (error: Error) => callback(error));
  stream.on('end', () => callback(null, 'Message accepted and discarded'));
  stream.resume();
}
