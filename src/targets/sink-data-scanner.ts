/**
 * Finds the end of a DATA body (RFC 5321 §4.1.1.4) without keeping the body, and counts the
 * message's octets with the transparency dots removed (§4.5.2).
 *
 *   body       = the octets after the 354, up to the terminator
 *   terminator = CRLF "." CRLF      ; the body starts at the beginning of a line, so an empty
 *                                   ; message is just "." CRLF
 *   octets     = body octets + the CRLF before the "." - one per line that starts with "."
 *
 * The state between two `push` calls is how much of the terminator the previous chunk ended
 * with, so the terminator may be split across reads at any offset. Only CRLF starts a line:
 * `\n.\n` and `\r.\r` are content. Chunks are searched with `Buffer.indexOf`, not byte by byte.
 */
const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const TERMINATOR = [CR, LF, DOT, CR, LF] as const;
const LINE_START_DOT = Buffer.from('\r\n.', 'latin1');
/** A new body starts as if "\r\n" had just been read. */
const AT_LINE_START = 2;

export class DataScanner {
  /** Octets of TERMINATOR matched at the end of the input so far (0 to 4). */
  private matched = AT_LINE_START;
  private consumed = 0;
  private removedDots = 0;

  /** The message's octets once `push` has found the terminator (dots removed, CRLF kept). */
  get octets(): number {
    return this.consumed - this.removedDots - 3;
  }

  /** Starts a new body. */
  reset(): void {
    this.matched = AT_LINE_START;
    this.consumed = 0;
    this.removedDots = 0;
  }

  /**
   * Reads `chunk` from `start`; returns the index just past the terminator, or -1 when the
   * whole rest of the chunk belongs to the body.
   */
  push(chunk: Buffer, start = 0): number {
    const length = chunk.length;
    let at = start;
    for (;;) {
      while (this.matched !== 0 && at < length) {
        if (this.step(chunk[at++]!)) {
          this.consumed += at - start;
          return at;
        }
      }
      if (at >= length) break;
      const found = chunk.indexOf(LINE_START_DOT, at);
      if (found === -1) {
        this.matched = tailMatch(chunk, at);
        break;
      }
      at = found + 3;
      this.matched = 3;
    }
    this.consumed += length - start;
    return -1;
  }

  /** Advances the match by one octet; true when the terminator is complete. */
  private step(octet: number): boolean {
    const matched = this.matched;
    if (octet === TERMINATOR[matched]) {
      this.matched = matched + 1;
      return this.matched === TERMINATOR.length;
    }
    // "\r\n." then anything but CRLF: the line starts with a dot, which is not content.
    if (matched >= 3) this.removedDots++;
    // The only proper prefix of the terminator that is also a suffix of a mismatch is "\r".
    this.matched = octet === CR ? 1 : 0;
    return false;
  }
}

/** How much of "\r\n" ends chunk[from..] (a "\r\n." would have been found by indexOf). */
function tailMatch(chunk: Buffer, from: number): number {
  const last = chunk.length - 1;
  if (last >= from && chunk[last] === CR) return 1;
  if (last - 1 >= from && chunk[last] === LF && chunk[last - 1] === CR) return 2;
  return 0;
}
