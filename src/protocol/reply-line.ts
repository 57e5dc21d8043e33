import type { FramedLine } from './line-reader.js';

/**
 * One line of a reply, split into its parts (RFC 5321 §4.2):
 *
 *   reply-line = code [ separator [ text ] ]
 *   code       = 3OCTET            ; a reply code when all three are digits
 *   separator  = SP / "-"          ; "-" means another line of the same reply follows
 *
 * Anything else is tolerated and described: `separator: 'other'` when the fourth octet is
 * neither SP nor "-", `code: undefined` when the first three octets are not all digits.
 */
export interface ReplyLine {
  /** The first three octets as a number, when they are all ASCII digits. */
  code: number | undefined;
  /** The first (up to) three octets as text, for messages. */
  codeText: string;
  separator: 'space' | 'hyphen' | 'end' | 'other';
  /** The text after the code and its separator (UTF-8 decoded; SMTPUTF8 allows it). */
  text: string;
}

const SP = 0x20;
const HYPHEN = 0x2d;

export function splitReplyLine(bytes: Buffer): ReplyLine {
  const codeText = bytes.subarray(0, 3).toString('latin1');
  const code = /^\d{3}$/.test(codeText) ? Number(codeText) : undefined;
  const fourth = bytes[3];
  const separator =
    bytes.length <= 3 ? 'end' : fourth === SP ? 'space' : fourth === HYPHEN ? 'hyphen' : 'other';
  return { code, codeText, separator, text: lineText(bytes, code, separator) };
}

/**
 * `250 OK` -> `OK`; `250OK` -> `OK`; `2a0 OK` -> `OK`; `250` -> ``; a line without the shape of
 * a code (`hello`, `25`) -> all of it.
 */
function lineText(bytes: Buffer, code: number | undefined, separator: ReplyLine['separator']) {
  if (separator === 'end') return bytes.length < 3 ? bytes.toString('utf8') : '';
  if (separator === 'space' || separator === 'hyphen') return bytes.subarray(4).toString('utf8');
  return code === undefined ? bytes.toString('utf8') : bytes.subarray(3).toString('utf8');
}

/** The line as received: content plus its terminator. */
export function rawLine(line: FramedLine): Buffer {
  const end = line.terminator === 'crlf' ? '\r\n' : '\n';
  return Buffer.concat([line.bytes, Buffer.from(end, 'latin1')]);
}

/** Whether another line of the same reply follows this one (its fourth octet is "-"). */
export function continuesReply(line: FramedLine): boolean {
  return line.bytes[3] === HYPHEN;
}
