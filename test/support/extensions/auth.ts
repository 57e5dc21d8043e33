import { createHmac } from 'node:crypto';
import type { FramedLine } from '../crlf-lines.js';
import { AUTH_ACCOUNT, SERVER_NAME } from '../server-profile.js';
import type { ReplyLines } from '../server-profile.js';
import { say } from '../smtp-outcome.js';
import type { Outcome } from '../smtp-outcome.js';
import type { SmtpSession } from '../smtp-state.js';

/**
 * AUTH (RFC 4954) with PLAIN (RFC 4616), LOGIN and CRAM-MD5, for the one account
 * AUTH_ACCOUNT. By default AUTH is offered and accepted only inside TLS (530 before).
 *
 *   unknown mechanism 504;  in a transaction, after success, before EHLO: 503
 *   `*` cancels: 501;  not base64: 501;  `=` is an empty initial response
 *   success 235 2.7.0;  wrong credentials 535 5.7.8;  AUTH line > authLine octets: 500 5.5.6
 */
const MECHANISMS = ['PLAIN', 'LOGIN', 'CRAM-MD5'] as const;
type Mechanism = (typeof MECHANISMS)[number];

export interface SaslState {
  mechanism: Mechanism;
  /** LOGIN: the user name, once given. */
  user?: string;
  /** CRAM-MD5: the challenge sent. */
  challenge?: string;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
let challenges = 0;

export function auth(session: SmtpSession, args: string): Outcome {
  const { replies } = session;
  if (!session.greeted) return say(replies.badSequence);
  if (session.profile.settings.authOnlyAfterTls && !session.tls) return say(replies.tlsRequired);
  if (session.authenticated && !session.broken('auth-twice-allowed')) {
    return say(replies.badSequence);
  }
  if (session.transaction.sender !== null && !session.broken('auth-in-transaction')) {
    return say(replies.badSequence);
  }
  const [name = '', initial, ...extra] = args.split(' ');
  if (name === '' || initial === '' || extra.length > 0) return say(replies.badSyntax);
  const mechanism = MECHANISMS.find((known) => known === name.toUpperCase());
  if (!mechanism) return say(replies.authUnknownMechanism);
  if (initial === undefined) return challenge(session, { mechanism });
  // §4: an initial response to a mechanism where the server speaks first gets 501.
  if (mechanism === 'CRAM-MD5') return say(replies.authInitialRefused);
  const decoded = initial === '=' ? '' : decode(initial);
  if (decoded === undefined) return say(replies.authBadBase64);
  return respond(session, { mechanism }, decoded);
}

/** A line during the exchange: the client's base64 response, or `*` to cancel. */
export function continueAuth(session: SmtpSession, line: FramedLine): Outcome {
  const sasl = session.sasl;
  session.sasl = null;
  if (!sasl) return say(session.replies.badSequence);
  if (line.octets > session.profile.limits.authLine) return say(session.replies.lineTooLong);
  if (line.text === '*') return say(session.replies.authCancelled);
  const decoded = decode(line.text);
  if (decoded === undefined) return say(session.replies.authBadBase64);
  return respond(session, sasl, decoded);
}

function challenge(session: SmtpSession, sasl: SaslState): Outcome {
  const { replies } = session;
  session.sasl = sasl;
  if (sasl.mechanism === 'PLAIN') return say(replies.authEmptyChallenge);
  if (sasl.mechanism === 'LOGIN') {
    return say(sasl.user === undefined ? replies.authUserChallenge : replies.authPassChallenge);
  }
  challenges += 1;
  sasl.challenge = `<${challenges}.${Date.now()}@${SERVER_NAME}>`;
  return say([`334 ${Buffer.from(sasl.challenge, 'latin1').toString('base64')}`]);
}

function respond(session: SmtpSession, sasl: SaslState, response: string): Outcome {
  const { user, pass } = AUTH_ACCOUNT;
  switch (sasl.mechanism) {
    case 'PLAIN': {
      const [authzid, authcid, password, ...rest] = response.split('\0');
      const ok = rest.length === 0 && (authzid === '' || authzid === user);
      return finish(session, ok && authcid === user && password === pass);
    }
    case 'LOGIN':
      if (sasl.user === undefined) return challenge(session, { ...sasl, user: response });
      return finish(session, sasl.user === user && response === pass);
    case 'CRAM-MD5': {
      const digest = createHmac('md5', pass)
        .update(sasl.challenge ?? '')
        .digest('hex');
      return finish(session, response === `${user} ${digest}`);
    }
  }
}

function finish(session: SmtpSession, ok: boolean): Outcome {
  if (ok) session.authenticated = true;
  const reply: ReplyLines = ok ? session.replies.authSucceeded : session.replies.authFailed;
  return say(reply);
}

/** The decoded response (latin1), or undefined when `text` is not valid base64. */
function decode(text: string): string | undefined {
  return BASE64.test(text) ? Buffer.from(text, 'base64').toString('latin1') : undefined;
}
