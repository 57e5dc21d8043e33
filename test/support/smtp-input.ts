import type { FramedLine } from './crlf-lines.js';

/**
 * The unread input of one scripted-server connection, as latin1 text (bytes kept 1:1). The
 * session decides how the next bytes are framed: as a line (commands and DATA text) or as an
 * exact number of octets (a BDAT chunk, RFC 3030).
 *
 * Lines end at CRLF only (RFC 5321 §2.3.8); `crlf-or-lf` and `crlf-or-cr` are the framing of
 * the bare-LF and bare-CR command defects. A line longer than `maxKept` octets is not buffered:
 * its text is reported empty and `truncated` set, while `octets` still counts every octet.
 */
export type LineEnds = 'crlf' | 'crlf-or-lf' | 'crlf-or-cr';

export class SmtpInput {
  private pending = '';
  private start = 0;
  private dropped = 0;

  constructor(private readonly maxKept = 64 * 1024) {}

  get buffered(): number {
    return this.pending.length - this.start;
  }

  push(chunk: Buffer): void {
    this.compact();
    this.pending += chunk.toString('latin1');
  }

  /** Puts `text` back in front of the unread input. */
  unshift(text: string): void {
    this.compact();
    this.pending = text + this.pending;
  }

  /** Discards everything unread (RFC 3207 §4.2: plaintext after STARTTLS). */
  clear(): void {
    this.pending = '';
    this.start = 0;
    this.dropped = 0;
  }

  /** The next complete line, or undefined when none is buffered yet. */
  line(ends: LineEnds): FramedLine | undefined {
    const found = this.findEnd(ends);
    if (!found) {
      this.dropOverlong();
      return undefined;
    }
    const text = this.pending.slice(this.start, found.at);
    const truncated = this.dropped > 0;
    const octets = this.dropped + found.at - this.start + found.length;
    this.dropped = 0;
    this.start = found.at + found.length;
    return { text: truncated ? '' : text, octets, truncated };
  }

  /** Up to `max` octets (at least one), or undefined when nothing is buffered. */
  octets(max: number): string | undefined {
    if (this.buffered === 0) return undefined;
    const end = Math.min(this.pending.length, this.start + max);
    const text = this.pending.slice(this.start, end);
    this.start = end;
    return text;
  }

  private findEnd(ends: LineEnds): { at: number; length: number } | undefined {
    const { pending, start } = this;
    if (ends === 'crlf-or-lf') {
      const lf = pending.indexOf('\n', start);
      if (lf === -1) return undefined;
      return lf > start && pending[lf - 1] === '\r'
        ? { at: lf - 1, length: 2 }
        : { at: lf, length: 1 };
    }
    if (ends === 'crlf-or-cr') {
      const cr = pending.indexOf('\r', start);
      if (cr === -1 || cr + 1 >= pending.length) return undefined; // a CR may be half a CRLF
      return { at: cr, length: pending[cr + 1] === '\n' ? 2 : 1 };
    }
    const crlf = pending.indexOf('\r\n', start);
    return crlf === -1 ? undefined : { at: crlf, length: 2 };
  }

  /** Keeps only the last octet of an overlong line (it may be the CR of a split CRLF). */
  private dropOverlong(): void {
    if (this.buffered <= this.maxKept) return;
    this.dropped += this.buffered - 1;
    this.pending = this.pending.slice(-1);
    this.start = 0;
  }

  private compact(): void {
    if (this.start === 0) return;
    this.pending = this.pending.slice(this.start);
    this.start = 0;
  }
}
