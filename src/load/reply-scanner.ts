/**
 * The load engine's reply framer: bytes in, `(code, lines?)` out, with no allocation for an
 * ordinary reply. It does not audit (that is protocol/reply-parser.ts, for conformance runs).
 *
 *   reply  = *( code "-" text LF ) code [ sep text ] LF     ; LF optionally preceded by CR
 *   code   = %x32-35 DIGIT DIGIT                             ; 2xx..5xx
 *   sep    = any octet but "-"
 *
 * A reply ends at the first line whose fourth octet is not "-" (so `250` CRLF alone ends one);
 * its code is that line's code. Text is kept only when asked for: for every reply while
 * `captureText` is set (EHLO), and for any reply whose first line is 4xx or 5xx. Kept text is
 * latin1, one string per line, without code, separator and line ending.
 *
 * Limits: a line longer than `maxLineLength` octets (CR excluded), a line that does not start
 * with a code, or more than `maxLines` kept lines in one reply is a protocol error: `push`
 * returns false, `error` says why, and the scanner accepts nothing more until `reset()`.
 * The result does not depend on how the input is split into chunks.
 */
export interface ReplyReceiver {
  /** One complete reply. `lines` is undefined unless text was kept (see above). */
  onReply(code: number, lines: string[] | undefined): void;
}

export const DEFAULT_MAX_REPLY_LINE = 4096;
export const DEFAULT_MAX_KEPT_LINES = 1000;

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
const ZERO = 0x30;

export class ReplyScanner {
  /** Keep the text of every reply (set it around an EHLO). */
  captureText = false;
  /** Why scanning stopped, once `push` has returned false. */
  error: string | undefined;

  /** Octets of the current line seen so far (CR included). */
  private lineLength = 0;
  private code = 0;
  private separator = 0;
  /** The current reply's text is being kept. */
  private keeping = false;
  private lines: string[] | undefined;
  private piece = '';
  /** Bumped by `reset()`, so a reset from inside `onReply` drops the rest of the chunk. */
  private generation = 0;

  constructor(
    private readonly receiver: ReplyReceiver,
    readonly maxLineLength: number = DEFAULT_MAX_REPLY_LINE,
    readonly maxLines: number = DEFAULT_MAX_KEPT_LINES,
  ) {}

  /**
   * Feeds the first `end` octets of `chunk`; calls `onReply` for each reply it completes. False
   * on a protocol error. Nothing of `chunk` is kept after the call (text is copied out), so a
   * read buffer may be reused for the next read.
   */
  push(chunk: Buffer, end: number = chunk.length): boolean {
    if (this.error !== undefined) return false;
    const generation = this.generation;
    let i = 0;
    while (i < end) {
      if (this.lineLength < 4) {
        // The code and the separator, one octet at a time (they may be split across chunks).
        const octet = chunk[i++]!;
        if (octet === LF) {
          if (!this.endLine(generation)) return this.error === undefined;
        } else if (!this.headOctet(octet)) {
          return false;
        }
        continue;
      }
      let j = i;
      while (j < end && chunk[j] !== LF) j++;
      this.lineLength += j - i;
      if (this.lineLength > this.maxLineLength + 1) {
        return this.fail(`reply line longer than ${this.maxLineLength} octets`);
      }
      if (this.keeping) this.piece += chunk.toString('latin1', i, j);
      if (j === end) break;
      i = j + 1;
      if (!this.endLine(generation)) return this.error === undefined;
    }
    return true;
  }

  /** Drops any partial reply and a previous error (STARTTLS discards the plaintext buffers). */
  reset(): void {
    this.generation++;
    this.error = undefined;
    this.lineLength = 0;
    this.code = 0;
    this.separator = 0;
    this.keeping = false;
    this.lines = undefined;
    this.piece = '';
  }

  /** A reply has started and not yet ended (for "closed mid-reply" diagnostics). */
  get inReply(): boolean {
    return this.lineLength > 0 || this.lines !== undefined;
  }

  private headOctet(octet: number): boolean {
    const at = this.lineLength++;
    if (at === 3) {
      this.separator = octet;
      return true;
    }
    const digit = octet - ZERO;
    if (digit < 0 || digit > 9 || (at === 0 && (digit < 2 || digit > 5))) {
      return this.fail(`reply line does not start with a reply code (octet 0x${hex(octet)})`);
    }
    this.code = this.code * 10 + digit;
    if (at === 2 && (this.captureText || this.code >= 400)) this.keeping = true;
    return true;
  }

  /**
   * Ends the current line; emits the reply when the line ends one. False when scanning must stop:
   * an error, or a reset from inside `onReply` (the rest of the chunk belongs to the old stream).
   */
  private endLine(generation: number): boolean {
    if (this.lineLength < 3) {
      return this.fail('reply line shorter than a reply code');
    }
    const last = this.lineLength === 3 || this.separator !== DASH;
    if (this.keeping && !this.keepLine()) return false;
    const code = this.code;
    this.lineLength = 0;
    this.code = 0;
    this.separator = 0;
    if (!last) return true;
    const lines = this.lines;
    this.lines = undefined;
    this.keeping = false;
    this.receiver.onReply(code, lines);
    return this.generation === generation;
  }

  private keepLine(): boolean {
    let text = this.piece;
    this.piece = '';
    if (text.length > 0 && text.charCodeAt(text.length - 1) === CR) text = text.slice(0, -1);
    if (this.lines === undefined) this.lines = [];
    if (this.lines.length >= this.maxLines) {
      return this.fail(`reply longer than ${this.maxLines} lines`);
    }
    this.lines.push(text);
    return true;
  }

  private fail(message: string): false {
    this.error = message;
    return false;
  }
}

function hex(octet: number): string {
  return octet.toString(16).padStart(2, '0');
}
