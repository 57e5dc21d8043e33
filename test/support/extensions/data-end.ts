import type { FramedLine } from '../crlf-lines.js';
import type { SmtpSession } from '../smtp-state.js';

/**
 * Where DATA ends. Only CRLF "." CRLF does (RFC 5321 §4.1.1.4, §2.3.8): a bare CR or LF next to
 * the dot is content. The smuggling defects (rfc-checklist §3.7) each add one more terminator
 * (profile.dataTerminators), found anywhere in a CRLF-framed line with its surrounding CRLFs;
 * what follows such a terminator is handed back to be read as commands.
 *
 * Returns undefined when `line` does not end the data, else the text to read again ('' when
 * the whole line was the terminator).
 */
export function dataEnd(session: SmtpSession, line: FramedLine): { unread: string } | undefined {
  if (line.truncated) return undefined;
  if (session.broken('dot-transparency-broken')) {
    return line.text.startsWith('.') ? { unread: '' } : undefined;
  }
  const text = session.broken('smuggle-nul') ? line.text.replaceAll('\0', '') : line.text;
  const framed = `\r\n${text}\r\n`;
  let end: number | undefined;
  for (const terminator of session.profile.dataTerminators) {
    const at = framed.indexOf(terminator);
    if (at !== -1 && (end === undefined || at + terminator.length < end)) {
      end = at + terminator.length;
    }
  }
  return end === undefined ? undefined : { unread: framed.slice(end) };
}
