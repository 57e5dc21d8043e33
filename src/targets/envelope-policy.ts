import { checkMailbox } from './mailbox-syntax.js';

/**
 * What the reference target accepts in MAIL and RCPT, beyond what smtp-server itself checks.
 * Each function returns the refusal to send, or `null` to accept. smtp-server adds the
 * enhanced status code that belongs to the reply code.
 */
export interface Refusal {
  code: number;
  message: string;
}

/** Parameters as smtp-server parses them: upper-case keys, `true` for a bare keyword. */
export type EnvelopeArgs = Record<string, string | true> | false | undefined;

/**
 * MAIL parameters of the advertised extensions: SIZE (RFC 1870), BODY (RFC 6152), SMTPUTF8
 * (RFC 6531), AUTH (RFC 4954 §5). Anything else gets 555 (RFC 5321 §4.1.1.11).
 */
const MAIL_PARAMETERS: ReadonlySet<string> = new Set(['SIZE', 'BODY', 'SMTPUTF8', 'AUTH']);
/** No advertised extension defines a RCPT parameter (DSN is not offered). */
const RCPT_PARAMETERS: ReadonlySet<string> = new Set();

export function checkMailFrom(address: string, args: EnvelopeArgs): Refusal | null {
  const unknown = unknownParameter(args, MAIL_PARAMETERS);
  if (unknown) return { code: 555, message: `Unsupported MAIL parameter ${unknown}` };
  if (address === '') return null; // the null reverse-path <> (§4.5.5)
  return mailboxRefusal(address, hasSmtpUtf8(args), 'sender');
}

/**
 * Accepts `postmaster` without a domain (§4.5.1) and any syntactically valid mailbox at
 * `domain` (case-insensitive); refuses other domains with 550 (no relaying).
 */
export function checkRcptTo(
  address: string,
  args: EnvelopeArgs,
  domain: string,
  utf8: boolean,
): Refusal | null {
  const unknown = unknownParameter(args, RCPT_PARAMETERS);
  if (unknown) return { code: 555, message: `Unsupported RCPT parameter ${unknown}` };
  if (address.toLowerCase() === 'postmaster') return null;
  const syntax = mailboxRefusal(address, utf8, 'recipient');
  if (syntax) return syntax;
  const recipientDomain = address.slice(address.lastIndexOf('@') + 1);
  if (recipientDomain.toLowerCase() !== domain.toLowerCase()) {
    return { code: 550, message: `Relaying denied: only recipients at ${domain} are accepted` };
  }
  return null;
}

export function hasSmtpUtf8(args: EnvelopeArgs): boolean {
  return !!args && args.SMTPUTF8 === true;
}

function unknownParameter(args: EnvelopeArgs, known: ReadonlySet<string>): string | undefined {
  return args ? Object.keys(args).find((key) => !known.has(key)) : undefined;
}

function mailboxRefusal(address: string, utf8: boolean, role: string): Refusal | null {
  switch (checkMailbox(address, utf8)) {
    case 'ok':
      return null;
    case 'syntax':
      return { code: 501, message: `Bad ${role} address syntax` };
    case 'needs-smtputf8':
      return { code: 553, message: `Non-ASCII ${role} address needs the SMTPUTF8 parameter` };
  }
}
