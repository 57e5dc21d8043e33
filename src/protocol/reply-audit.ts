import { escapeBytes } from '../core/escapes.js';
import type { FramedLine } from './line-reader.js';
import type { AuditFinding } from './reply.js';
import type { ReplyLine } from './reply-line.js';

/**
 * The syntax audit of one reply (RFC 5321 §4.2, §4.5.3.1.5, §2.3.8). It checks each line for
 *
 *   code-syntax    the line does not start with three digits, or the first is not 2..5
 *   separator      the fourth octet is neither SP, "-" nor the end of the line
 *   mixed-codes    the code differs from the first line's code
 *   bare-lf        the line ended in LF without CR
 *   line-too-long  more than 512 octets including CRLF (or cut by the line reader)
 *
 * and returns the findings in line order. It never throws.
 */
export const MAX_REPLY_LINE_OCTETS = 512;

export function auditReply(
  framed: readonly FramedLine[],
  split: readonly ReplyLine[],
): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const firstCode = split.find((line) => line.code !== undefined)?.code;
  framed.forEach((line, index) => {
    const parts = split[index]!;
    const at = index + 1;
    const code = codeFinding(parts);
    if (code) findings.push({ rule: 'code-syntax', line: at, message: code });
    if (parts.separator === 'other') {
      const found = escapeBytes(line.bytes.subarray(3, 4));
      const message = `expected SP or '-' after the code, found '${found}'`;
      findings.push({ rule: 'separator', line: at, message });
    }
    if (parts.code !== undefined && firstCode !== undefined && parts.code !== firstCode) {
      const message = `code ${parts.code} differs from ${firstCode} earlier in the same reply`;
      findings.push({ rule: 'mixed-codes', line: at, message });
    }
    if (line.terminator === 'lf') {
      findings.push({ rule: 'bare-lf', line: at, message: 'line ends in a bare LF, not CRLF' });
    }
    const tooLong = lengthFinding(line);
    if (tooLong) findings.push({ rule: 'line-too-long', line: at, message: tooLong });
  });
  return findings;
}

function codeFinding(parts: ReplyLine): string | undefined {
  const shown = `'${escapeBytes(Buffer.from(parts.codeText, 'latin1'))}'`;
  if (parts.code === undefined) {
    return `${shown} is not a reply code (three digits, the first 2..5)`;
  }
  const first = Math.floor(parts.code / 100);
  if (first < 2 || first > 5) return `reply code ${parts.code} is out of range (first digit 2..5)`;
  return undefined;
}

function lengthFinding(line: FramedLine): string | undefined {
  const limit = `limit ${MAX_REPLY_LINE_OCTETS} including CRLF`;
  if (line.tooLong) {
    return `line longer than ${line.bytes.length} octets, cut by the reader (${limit})`;
  }
  const octets = line.bytes.length + 2;
  if (octets > MAX_REPLY_LINE_OCTETS) return `line is ${octets} octets (${limit})`;
  return undefined;
}
