import type { FramedLine } from './line-reader.js';
import type { Reply } from './reply.js';
import { auditReply } from './reply-audit.js';
import { continuesReply, rawLine, splitReplyLine } from './reply-line.js';

/**
 * Replies from framed lines (RFC 5321 §4.2, enhanced codes RFC 3463):
 *
 *   Reply-line  = *( Reply-code "-" [ textstring ] CRLF )
 *                 Reply-code [ SP textstring ] CRLF
 *   Reply-code  = %x32-35 %x30-35 %x30-39
 *   textstring  = 1*( %d09 / %d32-126 )
 *   enhanced    = class "." subject "." detail      ; at the start of the first line's text
 *   class       = "2" / "4" / "5"
 *   subject     = 1*3DIGIT
 *   detail      = 1*3DIGIT
 *
 * Framing is lenient: a reply ends at the first line whose fourth octet is not "-" (so `250`
 * alone ends a reply, and so does a line of garbage). Everything the grammar does not allow is
 * reported by the audit (reply-audit.ts) instead of rejected; nothing here throws.
 */
const ENHANCED = /^([245]\.\d{1,3}\.\d{1,3})(?=[ \t]|$)/;

/** Lines kept per reply by default; a server streaming continuation lines cannot exhaust memory. */
export const DEFAULT_MAX_REPLY_LINES = 1000;

/** Builds a reply from its lines, in order (the last one being the line that ends it). */
export function parseReplyLines(lines: readonly FramedLine[]): Reply {
  const split = lines.map((line) => splitReplyLine(line.bytes));
  const texts = split.map((line) => line.text);
  const codes = split.map((line) => line.code).filter((code) => code !== undefined);
  const enhanced = ENHANCED.exec(texts[0] ?? '')?.[1];
  const reply: Reply = {
    code: split[split.length - 1]?.code ?? codes[codes.length - 1] ?? 0,
    lines: texts,
    text: texts.join('\n'),
    raw: Buffer.concat(lines.map(rawLine)),
    findings: auditReply(lines, split),
  };
  if (enhanced !== undefined) reply.enhanced = enhanced;
  return reply;
}

/**
 * Collects framed lines into replies. `push` returns a reply when the line ends one. At most
 * `maxLines` lines of one reply are kept (the first `maxLines - 1` and the last); the rest are
 * dropped and reported as a `too-many-lines` finding.
 */
export class ReplyAssembler {
  private lines: FramedLine[] = [];
  private dropped = 0;

  constructor(readonly maxLines: number = DEFAULT_MAX_REPLY_LINES) {
    if (!Number.isInteger(maxLines) || maxLines < 2) {
      throw new RangeError(`maxLines must be an integer of at least 2, got ${maxLines}`);
    }
  }

  push(line: FramedLine): Reply | undefined {
    if (continuesReply(line)) {
      if (this.lines.length < this.maxLines - 1) this.lines.push(line);
      else this.dropped++;
      return undefined;
    }
    const reply = parseReplyLines([...this.lines, line]);
    if (this.dropped > 0) {
      const message = `${this.dropped} continuation lines dropped (limit ${this.maxLines} lines per reply)`;
      reply.findings.push({ rule: 'too-many-lines', line: this.maxLines, message });
    }
    this.reset();
    return reply;
  }

  /** The raw bytes of the lines of an incomplete reply received so far. */
  pendingRaw(): Buffer {
    return Buffer.concat(this.lines.map(rawLine));
  }

  reset(): void {
    this.lines = [];
    this.dropped = 0;
  }
}
