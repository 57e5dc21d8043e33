import type { FramedLine } from '../crlf-lines.js';
import type { SmtpSession } from '../smtp-state.js';

/**
 * Where DATA ends. Only CRLF "." CRLF does (RFC 5321 §4.1.1.4, §2.3.8): a bare CR or LF next to
 * the dot is content. The smuggling defects (rfc-checklist §3.7) each add one more terminator
 * (profile.dataTerminators), found anywhere in a CRLF-framed line with its surrounding CRLFs;
 * what follows such a terminator is handed back to be read as commands.
 *
 * Returns undefined when `line` does not end the data, else `content`, what of the line still
 * belongs to the message (the text before the terminator's dot, with the line break that
 * precedes it; '' for a line that is just "."), and `unread`, the text to read again ('' when
 * the whole line was the terminator).
 */
export function dataEnd(
  session: SmtpSession,
  line: FramedLine,
): { content: string; unread: string } | undefined {
  if (line.truncated) return undefined;
  if (session.broken('dot-transparency-broken')) {
    return line.text.startsWith('.') ? { content: '', unread: '' } : undefined;
  }
  const text = session.broken('smuggle-nul') ? line.text.replaceAll('\0', '') : line.text;
  const framed = `\r\n${text}\r\n`;
  let found: { dot: number; end: number } | undefined;
  for (const terminator of session.profile.dataTerminators) {
    const at = framed.indexOf(terminator);
    if (at !== -1 && (found === undefined || at + terminator.length < found.end)) {
      found = { dot: at + terminator.indexOf('.'), end: at + terminator.length };
    }
  }
  if (!found) return undefined;
  return { content: framed.slice(2, Math.max(2, found.dot)), unread: framed.slice(found.end) };
}
