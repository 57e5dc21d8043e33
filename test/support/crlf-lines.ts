/**
 * Splits a byte stream into lines ended by CRLF, and by CRLF only (RFC 5321 §2.3.8): a bare
 * CR or LF stays inside the line. Bytes are kept 1:1 as latin1 text.
 *
 * A line longer than `maxKept` octets is not buffered: its text is reported empty and
 * `truncated` set, while `octets` still counts every octet received, so a caller can answer
 * "line too long" without holding the whole line in memory.
 */
export interface FramedLine {
  /** The line without its CRLF (empty when truncated). */
  text: string;
  /** Length on the wire including the CRLF. */
  octets: number;
  truncated: boolean;
}

export class CrlfLineSplitter {
  private pending = '';
  private dropped = 0;

  constructor(private readonly maxKept = 64 * 1024) {}

  push(chunk: Buffer): FramedLine[] {
    this.pending += chunk.toString('latin1');
    const lines: FramedLine[] = [];
    let start = 0;
    for (
      let end = this.pending.indexOf('\r\n');
      end !== -1;
      end = this.pending.indexOf('\r\n', start)
    ) {
      lines.push(this.line(this.pending.slice(start, end)));
      start = end + 2;
    }
    this.pending = this.pending.slice(start);
    this.dropOverlong();
    return lines;
  }

  private line(text: string): FramedLine {
    const truncated = this.dropped > 0;
    const octets = this.dropped + text.length + 2;
    this.dropped = 0;
    return { text: truncated ? '' : text, octets, truncated };
  }

  /** Keeps only the last octet (it may be the CR of a CRLF split across reads). */
  private dropOverlong(): void {
    if (this.pending.length <= this.maxKept) return;
    this.dropped += this.pending.length - 1;
    this.pending = this.pending.slice(-1);
  }
}
