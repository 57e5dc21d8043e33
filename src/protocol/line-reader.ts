/**
 * Line framing of the bytes a server sends, with an explicit length limit.
 *
 *   stream     = *( line ) [ unterminated ]
 *   line       = *( %x00-09 / %x0B-FF ) ( CR LF / LF )   ; CRLF -> 'crlf', bare LF -> 'lf'
 *
 * Lines are split on LF only. A CR that is not directly before the LF is content (it shows in
 * `bytes`), so a lone CR never ends a line. A line whose content is longer than
 * `maxLineLength` octets is cut to that length and marked `tooLong`; the rest of it, up to the
 * next LF, is discarded as it arrives, so no more than `maxLineLength + 1` octets are ever
 * buffered. The result does not depend on how the input is split into chunks.
 */
export interface FramedLine {
  /** The line's content, without its terminator (cut to the limit when `tooLong`). */
  bytes: Buffer;
  terminator: 'crlf' | 'lf';
  /** The content was longer than the limit and has been cut. */
  tooLong: boolean;
}

export const DEFAULT_MAX_LINE_LENGTH = 4096;

const LF = 0x0a;
const CR = 0x0d;

export class LineReader {
  readonly maxLineLength: number;
  /** Buffered bytes of the current line: at most `maxLineLength + 1` (room for a final CR). */
  private parts: Buffer[] = [];
  private buffered = 0;
  /** Octets of the current line were dropped because it outgrew the limit. */
  private overflowed = false;
  /** The last octet of the current line seen so far, or -1 at the start of a line. */
  private lastByte = -1;

  constructor(maxLineLength: number = DEFAULT_MAX_LINE_LENGTH) {
    if (!Number.isInteger(maxLineLength) || maxLineLength < 1) {
      throw new RangeError(`maxLineLength must be a positive integer, got ${maxLineLength}`);
    }
    this.maxLineLength = maxLineLength;
  }

  /** Feeds one chunk; returns the lines it completed, in order. */
  push(chunk: Buffer): FramedLine[] {
    const lines: FramedLine[] = [];
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      this.append(chunk.subarray(start, lf === -1 ? chunk.length : lf));
      if (lf === -1) break;
      lines.push(this.finishLine());
      start = lf + 1;
    }
    this.compact();
    return lines;
  }

  /** The buffered bytes of the unterminated current line (cut to `maxLineLength + 1`). */
  pending(): Buffer {
    return Buffer.concat(this.parts, this.buffered);
  }

  /** Drops the unterminated current line (used when a STARTTLS upgrade discards plaintext). */
  reset(): void {
    this.parts = [];
    this.buffered = 0;
    this.overflowed = false;
    this.lastByte = -1;
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    this.lastByte = part[part.length - 1]!;
    const room = this.maxLineLength + 1 - this.buffered;
    if (part.length > room) this.overflowed = true;
    const kept = part.subarray(0, Math.max(0, room));
    if (kept.length === 0) return;
    this.parts.push(kept);
    this.buffered += kept.length;
  }

  private finishLine(): FramedLine {
    const raw = this.pending();
    const crlf = this.lastByte === CR;
    const content = crlf && !this.overflowed ? raw.subarray(0, raw.length - 1) : raw;
    const tooLong = this.overflowed || content.length > this.maxLineLength;
    this.reset();
    return {
      bytes: content.subarray(0, this.maxLineLength),
      terminator: crlf ? 'crlf' : 'lf',
      tooLong,
    };
  }

  /** Copies the pending parts into one new buffer so they do not pin whole socket chunks. */
  private compact(): void {
    if (this.parts.length === 0) return;
    this.parts = [this.pending()];
  }
}
