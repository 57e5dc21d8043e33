import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';

/**
 * RFC 5321 §4.1.2 / §4.1.3 syntax of a Mailbox (the part of a path inside `<>`, the source
 * route already removed), extended by RFC 6531 §3.3 with UTF-8 in the local part:
 *
 *   Mailbox        = Local-part "@" ( Domain / address-literal )
 *   Local-part     = Dot-string / Quoted-string
 *   Dot-string     = Atom *("." Atom)
 *   Domain         = sub-domain *("." sub-domain)
 *   sub-domain     = Let-dig [Ldh-str]          ; at most 63 octets (RFC 1035)
 *   address-literal = "[" ( IPv4 / "IPv6:" IPv6 / Standardized-tag ":" 1*dcontent ) "]"
 *
 * Length (§4.5.3.1.3): a path is at most 256 octets including `<` and `>`, so a mailbox is at
 * most 254 octets. Longer local parts than 64 octets are accepted (the 64 is a minimum).
 */
export type MailboxVerdict = 'ok' | 'syntax' | 'needs-smtputf8';

const MAX_MAILBOX_OCTETS = 254;
const ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\u{10ffff}-]+$/u;
const QUOTED = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e\u0080-\u{10ffff}]|\\[\x20-\x7e])*"$/u;
const SUB_DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const GENERAL_LITERAL = /^[A-Za-z0-9-]*[A-Za-z0-9]:[\x21-\x5a\x5e-\x7e]+$/;
const NON_ASCII = /[^\x00-\x7f]/;

/** Classifies `mailbox`; `utf8` is whether the transaction was opened with `SMTPUTF8`. */
export function checkMailbox(mailbox: string, utf8: boolean): MailboxVerdict {
  if (Buffer.byteLength(mailbox) > MAX_MAILBOX_OCTETS) return 'syntax';
  const at = mailbox.lastIndexOf('@');
  if (at <= 0) return 'syntax';
  const local = mailbox.slice(0, at);
  const domain = mailbox.slice(at + 1);
  if (!isLocalPart(local) || !isDomainOrLiteral(domain)) return 'syntax';
  if (!utf8 && NON_ASCII.test(local)) return 'needs-smtputf8';
  return 'ok';
}

function isLocalPart(local: string): boolean {
  if (local.startsWith('"')) return QUOTED.test(local);
  return local.split('.').every((atom) => ATOM.test(atom));
}

function isDomainOrLiteral(domain: string): boolean {
  if (domain.startsWith('[')) return domain.endsWith(']') && isAddressLiteral(domain.slice(1, -1));
  return isDomain(domain);
}

/** A domain, or its U-label form (smtp-server hands over `xn--` labels decoded). */
export function isDomain(domain: string): boolean {
  const ascii = NON_ASCII.test(domain) ? domainToASCII(domain) : domain;
  if (ascii === '' || ascii.length > 255) return false;
  return ascii.split('.').every((label) => SUB_DOMAIN.test(label));
}

function isAddressLiteral(body: string): boolean {
  if (/^ipv6:/i.test(body)) return isIPv6(body.slice(5));
  if (isIPv4(body)) return true;
  return GENERAL_LITERAL.test(body) && !/^ipv6:/i.test(body);
}
