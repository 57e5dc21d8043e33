/**
 * Reading one command line of the sink in place, without copying it to a string.
 *
 *   line = verb [ SP arguments ]      ; the caller has removed CRLF (or a bare LF)
 *   verb = 4 letters, or "STARTTLS"   ; case-insensitive
 *
 * A line is given as `buf[start..end)`. Helpers return indexes into `buf`.
 */
export const SINK_VERBS = [
  'EHLO',
  'HELO',
  'MAIL',
  'RCPT',
  'DATA',
  'BDAT',
  'RSET',
  'NOOP',
  'QUIT',
  'STARTTLS',
  'AUTH',
  'VRFY',
  'EXPN',
  'HELP',
] as const;
export type SinkVerb = (typeof SINK_VERBS)[number];
/** The id of a line whose verb is none of SINK_VERBS. */
export const UNKNOWN_VERB = SINK_VERBS.length;
export const VERB_COUNT = SINK_VERBS.length + 1;

const SP = 0x20;
const LT = 0x3c;
const GT = 0x3e;

/** The four-letter verbs by their upper-cased octets read as one 32-bit integer. */
const FOUR_LETTER = new Map<number, number>(
  SINK_VERBS.flatMap((verb, id) =>
    verb.length === 4 ? [[foldedWord(Buffer.from(verb, 'latin1'), 0), id] as const] : [],
  ),
);
const STAR = foldedWord(Buffer.from('STAR', 'latin1'), 0);
const TTLS = foldedWord(Buffer.from('TTLS', 'latin1'), 0);

/** The verb's id (an index into SINK_VERBS, or UNKNOWN_VERB). */
export function verbOf(buf: Buffer, start: number, end: number): number {
  const length = verbLength(buf, start, end);
  if (length === 4) return FOUR_LETTER.get(foldedWord(buf, start)) ?? UNKNOWN_VERB;
  if (length === 8 && foldedWord(buf, start) === STAR && foldedWord(buf, start + 4) === TTLS) {
    return SINK_VERBS.indexOf('STARTTLS');
  }
  return UNKNOWN_VERB;
}

/** Where the arguments start: after the verb and one SP (`end` when there are none). */
export function argumentsStart(buf: Buffer, start: number, end: number): number {
  return Math.min(end, start + verbLength(buf, start, end) + 1);
}

/**
 * Checks `KEYWORD:<path>` (e.g. `FROM:<a@b>`, keyword case-insensitive, spaces allowed before
 * the `<`). Returns the index after `>`, or -1. Any content of the path is accepted; an empty
 * path only when `allowEmpty` (the null reverse-path `<>`).
 */
export function pathEnd(
  buf: Buffer,
  start: number,
  end: number,
  keyword: Buffer,
  allowEmpty: boolean,
): number {
  if (!foldedEquals(buf, start, end, keyword)) return -1;
  let at = start + keyword.length;
  while (at < end && buf[at] === SP) at++;
  if (at >= end || buf[at] !== LT) return -1;
  const close = buf.indexOf(GT, at + 1);
  if (close === -1 || close >= end || (close === at + 1 && !allowEmpty)) return -1;
  return close + 1;
}

/** Whether `buf[at..]` starts with `upper`, ignoring ASCII case. */
export function foldedEquals(buf: Buffer, at: number, end: number, upper: Buffer): boolean {
  if (end - at < upper.length) return false;
  for (let k = 0; k < upper.length; k++) {
    if (upperCase(buf[at + k]!) !== upper[k]) return false;
  }
  return true;
}

/** A decimal number of up to 15 digits at `buf[start..end)`, or -1. */
export function decimalAt(buf: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let value = 0;
  for (let at = start; at < end; at++) {
    const digit = buf[at]! - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function verbLength(buf: Buffer, start: number, end: number): number {
  const limit = Math.min(end, start + 9);
  let at = start;
  while (at < limit && buf[at] !== SP) at++;
  return at === limit && limit < end ? -1 : at - start;
}

function foldedWord(buf: Buffer, at: number): number {
  return (
    ((upperCase(buf[at]!) << 24) |
      (upperCase(buf[at + 1]!) << 16) |
      (upperCase(buf[at + 2]!) << 8) |
      upperCase(buf[at + 3]!)) >>>
    0
  );
}

function upperCase(octet: number): number {
  return octet >= 0x61 && octet <= 0x7a ? octet - 0x20 : octet;
}
