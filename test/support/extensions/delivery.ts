import type { FramedLine } from '../crlf-lines.js';
import type { DeliveredMessage, Transaction } from '../smtp-outcome.js';
import type { SmtpSession } from '../smtp-state.js';

/**
 * What a scripted server hands on (ScriptedServerOptions.deliver) when a transaction ends with
 * 250: the envelope and the message, dot-stuffing undone (RFC 5321 §4.5.2), up to and including
 * the line break before the final dot. A conforming server hands on each accepted message once,
 * octet for octet (RFC 6152 §3), and nothing it did not accept (§4.1.1.10: a dropped
 * connection, commands after QUIT). Each delivery defect breaks one of these (smtp-defects.ts).
 */

/** A DATA text line as the message keeps it: with its CRLF, the stuffed period removed. */
export function keptLine(session: SmtpSession, line: FramedLine): string {
  const stuffed = line.text.startsWith('.') && !session.broken('keeps-dot-stuffing');
  return `${stuffed ? line.text.slice(1) : line.text}\r\n`;
}

/** The messages a transaction that ended with 250 hands on. */
export function handOn(session: SmtpSession, transaction: Transaction): DeliveredMessage[] {
  if (session.broken('loses-message')) return [];
  const octets = Buffer.from(transaction.content.join(''), 'latin1');
  const raw = session.broken('strips-8th-bit') ? Buffer.from(octets.map((o) => o & 0x7f)) : octets;
  const message = { from: transaction.sender ?? '', to: [...transaction.rcptTo], raw };
  return session.broken('delivers-twice') ? [message, { ...message }] : [message];
}
