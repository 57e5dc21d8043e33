import type { AddressCommand } from '../smtp-address.js';
import type { ReplyLines } from '../server-profile.js';
import type { SmtpSession } from '../smtp-state.js';

/**
 * The ESMTP parameters of MAIL and RCPT: SIZE (RFC 1870), BODY (RFC 6152, RFC 3030 §3),
 * SMTPUTF8 (RFC 6531), RET/ENVID/NOTIFY/ORCPT (DSN, RFC 3461) and AUTH (RFC 4954 §5).
 * An unknown keyword gets 555, a malformed value or a keyword given twice 501.
 */
type Check = (session: SmtpSession, value: string | undefined) => ReplyLines | undefined;

/** xtext (RFC 3461 §4): "!".."~" except "+" and "=", or "+" and two upper-case hex digits. */
const XTEXT = /^(?:[!-*,-<>-~]|\+[0-9A-F]{2})+$/;
const BODIES = new Set(['7BIT', '8BITMIME', 'BINARYMIME']);
const NOTIFICATIONS = new Set(['NEVER', 'SUCCESS', 'FAILURE', 'DELAY']);

export function mailParameterRefusal(
  session: SmtpSession,
  command: AddressCommand,
): ReplyLines | undefined {
  return refusal(session, command, MAIL_CHECKS);
}

export function rcptParameterRefusal(
  session: SmtpSession,
  command: AddressCommand,
): ReplyLines | undefined {
  return refusal(session, command, RCPT_CHECKS);
}

function refusal(
  session: SmtpSession,
  { parameters, duplicate }: AddressCommand,
  checks: Readonly<Record<string, Check>>,
): ReplyLines | undefined {
  for (const [key, value] of parameters) {
    const check = Object.hasOwn(checks, key) ? checks[key] : undefined;
    if (!check) return session.replies.unknownParameter;
    const verdict = check(session, value);
    if (verdict) return verdict;
  }
  return duplicate ? session.replies.badSyntax : undefined;
}

const valid = (ok: boolean, session: SmtpSession) => (ok ? undefined : session.replies.badSyntax);

/** A DSN parameter: 555 when the server breaks DSN, else 501 unless `ok(value)`. */
const dsn =
  (ok: (value: string, session: SmtpSession) => boolean): Check =>
  (session, value) =>
    session.broken('dsn-params-refused')
      ? session.replies.unknownParameter
      : valid(value !== undefined && ok(value, session), session);

const MAIL_CHECKS: Readonly<Record<string, Check>> = {
  SIZE: (session, value) => {
    if (value === undefined || !/^\d{1,20}$/.test(value)) return session.replies.badSyntax;
    if (Number(value) > session.profile.limits.messageSize) return session.replies.messageTooBig;
    return undefined;
  },
  BODY: (session, value) => {
    const body = value?.toUpperCase() ?? '';
    if (body === '8BITMIME' && session.broken('8bitmime-body-refused')) {
      return session.replies.unknownParameter;
    }
    return valid(BODIES.has(body) || session.broken('body-any-accepted'), session);
  },
  SMTPUTF8: (session, value) =>
    session.broken('smtputf8-refused')
      ? session.replies.unknownParameter
      : valid(value === undefined, session),
  RET: dsn((value) => /^(?:FULL|HDRS)$/i.test(value)),
  ENVID: dsn((value) => value.length <= 100 && XTEXT.test(value)),
  AUTH: (session, value) =>
    session.broken('auth-mail-param-refused')
      ? session.replies.unknownParameter
      : valid(value === '<>' || (value !== undefined && XTEXT.test(value)), session),
};

const RCPT_CHECKS: Readonly<Record<string, Check>> = {
  NOTIFY: dsn((value, session) => validNotify(value, session.broken('dsn-bad-accepted'))),
  // ORCPT=addr-type;xtext, addr-type an atom such as rfc822 (RFC 3461 §4.2).
  ORCPT: dsn(
    (value) =>
      /^[A-Za-z0-9!#-'*+\-/=?^-~]+;/.test(value) && XTEXT.test(value.slice(value.indexOf(';') + 1)),
  ),
};

/** NEVER alone, or a list of SUCCESS, FAILURE, DELAY without repeats (RFC 3461 §4.1). */
function validNotify(value: string, neverCombines: boolean): boolean {
  const items = value.toUpperCase().split(',');
  if (!items.every((item) => NOTIFICATIONS.has(item))) return false;
  if (new Set(items).size !== items.length) return false;
  return neverCombines || !items.includes('NEVER') || items.length === 1;
}
