/**
 * One SMTP reply as read off the wire (RFC 5321 §4.2), plus what the syntax audit found in it.
 *
 *   Reply-line = *( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ] CRLF
 *
 * The parser never throws on a malformed reply: it keeps the bytes, does its best to extract a
 * code, and records every deviation as an AuditFinding.
 */
export interface Reply {
  /** The three-digit code of the last line, or 0 when no line had a parseable code. */
  code: number;
  /** The text of each line, after the code and its separator, without the line ending. */
  lines: string[];
  /** `lines` joined with '\n'. */
  text: string;
  /** RFC 3463 enhanced status code at the start of the first line's text (`2.1.0`), if any. */
  enhanced?: string;
  /** The exact bytes received for this reply, line endings included. */
  raw: Buffer;
  /** Syntax problems found in this reply; empty when it is well-formed. */
  findings: AuditFinding[];
}

export type AuditRule =
  /** A line does not start with three digits, or its first digit is not 2..5 (§4.2, §4.3.2). */
  | 'code-syntax'
  /** Lines of one multi-line reply carry different codes (§4.2.1). */
  | 'mixed-codes'
  /** The character after the code is neither SP, "-" nor the end of the line (§4.2). */
  | 'separator'
  /** A line ended in a bare LF instead of CRLF (§2.3.8). */
  | 'bare-lf'
  /** A line is longer than 512 octets including CRLF (§4.5.3.1.5). */
  | 'line-too-long'
  /** A multi-line reply had more lines than the reader keeps; the excess was dropped. */
  | 'too-many-lines'
  /** A command drew a second reply (§4.2: "Every command MUST generate exactly one reply"). */
  | 'extra-reply';

export interface AuditFinding {
  rule: AuditRule;
  /** 1-based line number within the reply. */
  line: number;
  message: string;
}

/**
 * Formats a reply on one line for reasons and console output: `250 2.1.0 OK`. Control
 * characters are escaped (`\x1b`), so a hostile server cannot write to the user's terminal.
 */
export function formatReply(reply: Reply): string {
  const first = showable(reply.lines[0] ?? '');
  const more = reply.lines.length > 1 ? ` (+${reply.lines.length - 1} lines)` : '';
  return `${reply.code || '???'} ${first}`.trimEnd() + more;
}

/** Text with C0 controls and DEL escaped as `\xHH`. */
export function showable(text: string): string {
  return text.replace(
    /[\x00-\x1f\x7f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
