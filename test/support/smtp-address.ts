/**
 * The address syntax of MAIL and RCPT for the scripted server: paths (RFC 5321 §4.1.2),
 * ESMTP parameters, and which recipients it refuses.
 */

/** `<>`, `<mailbox>` or `<@relay,@relay:mailbox>` (RFC 5321 §4.1.2). */
const PATH = /^<(?:(@[^<>:,]+(?:,@[^<>:,]+)*):)?([^<>]*)>$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
/** A label with UTF-8 octets (a U-label, RFC 6531 §3.3), checked loosely. */
const UTF8_LABEL = /^[A-Za-z0-9\x80-\xff](?:[A-Za-z0-9\x80-\xff-]*[A-Za-z0-9\x80-\xff])?$/;
/** Printable ASCII only: a non-ASCII address without SMTPUTF8 is refused (§2.4 SHOULD). */
const LOCAL_PART = /^[!#-'*+\-/-9=?A-Z^-~.]+$/;
const UTF8_LOCAL_PART = /^[!#-'*+\-/-9=?A-Z^-~.\x80-\xff]+$/;
/** Local parts the server has no mailbox for: `nobody`, `unknown`, `bad`, also `nobody-x`. */
const REFUSED_LOCAL_PART = /^(?:nobody|unknown|bad)(?:[-+.].*)?$/i;

export interface AddressCommand {
  mailbox: string;
  routed: boolean;
  /** ESMTP parameters by upper-case keyword; undefined for a keyword without `=value`. */
  parameters: Map<string, string | undefined>;
  /** A keyword was given twice. */
  duplicate: boolean;
}

/** Parses `FROM:<path> [KEY[=VALUE] ...]` (or `TO:`); undefined when malformed. */
export function parseAddressCommand(
  keyword: 'FROM' | 'TO',
  args: string,
): AddressCommand | undefined {
  if (args.slice(0, keyword.length + 1).toUpperCase() !== `${keyword}:`) return undefined;
  const [path = '', ...words] = args
    .slice(keyword.length + 1)
    .split(' ')
    .filter(Boolean);
  const match = PATH.exec(path);
  if (!match) return undefined;
  const parameters = new Map<string, string | undefined>();
  let duplicate = false;
  for (const word of words) {
    const eq = word.indexOf('=');
    const key = (eq === -1 ? word : word.slice(0, eq)).toUpperCase();
    duplicate ||= parameters.has(key);
    parameters.set(key, eq === -1 ? undefined : word.slice(eq + 1));
  }
  return { mailbox: match[2] ?? '', routed: match[1] !== undefined, parameters, duplicate };
}

/** `local@domain` with an LDH domain (so `foo_bar.example` is refused, §4.1.2). */
export function isMailbox(mailbox: string, utf8 = false): boolean {
  const at = mailbox.lastIndexOf('@');
  if (at <= 0 || !(utf8 ? UTF8_LOCAL_PART : LOCAL_PART).test(mailbox.slice(0, at))) return false;
  return mailbox
    .slice(at + 1)
    .split('.')
    .every((label) => (utf8 ? UTF8_LABEL : LABEL).test(label));
}

export const hasNonAscii = (text: string): boolean => /[\x80-\xff]/.test(text);

/** A syntactically valid recipient the server has no mailbox for (gets 550 5.1.1). */
export function isRefusedRecipient(mailbox: string): boolean {
  return REFUSED_LOCAL_PART.test(mailbox.slice(0, mailbox.lastIndexOf('@')));
}
