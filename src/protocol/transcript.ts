import { nowMicros } from '../core/clock.js';
import { escapeBytes } from '../core/escapes.js';
import { makeRedactor } from './redaction.js';
import type { FramedLine } from './line-reader.js';
import type { TranscriptEntry } from './transcript-types.js';

/**
 * The record of one session, as it appears in reports:
 *
 *   C       0.412  EHLO client.example
 *   S       0.918  250-mx.example
 *   S       0.921  250 PIPELINING
 *   C       1.203  MAIL FROM:<a@example>\n          <- a bare LF the client sent on purpose
 *   C      10.511  Subject: big… [+65012 octets]    <- one write cut at 1024 display characters
 *   S      11.950  250 O [no line end]              <- bytes of a line cut short by a close
 *   *      12.000  connection closed by server
 *
 * Text rules: a CRLF that ends a line is not shown; every other control octet is escaped
 * (`escapeBytes`: `\r`, `\n`, `\t`, `\0`, `\xHH`), so a server line ending in a bare LF shows a
 * trailing `\n`. A client write is split into one entry per CRLF-terminated line. `display`
 * replaces a write's text wholesale (redaction at the source, e.g. `AUTH PLAIN <redacted>`);
 * `secrets` (and their base64 forms) are replaced by `<redacted>` in every entry as a backstop.
 */
export interface TranscriptOptions {
  secrets?: readonly string[];
  /** Display characters kept of one client write or one server line; default 1024. */
  maxDisplayChars?: number;
  /** Entries kept; later ones are only counted (default 2000). */
  maxEntries?: number;
}

const DEFAULT_MAX_DISPLAY_CHARS = 1024;
/** A flooding server must not grow a report without bound: entries past this are counted only. */
const DEFAULT_MAX_ENTRIES = 2000;
const CR = 0x0d;
const LF = 0x0a;

export class Transcript {
  private readonly list: TranscriptEntry[] = [];
  private readonly redact: (text: string) => string;
  private readonly maxDisplayChars: number;
  private readonly maxEntries: number;
  private omitted = 0;

  constructor(
    readonly startMicros: number = nowMicros(),
    options: TranscriptOptions = {},
  ) {
    this.redact = makeRedactor(options.secrets ?? []);
    this.maxDisplayChars = options.maxDisplayChars ?? DEFAULT_MAX_DISPLAY_CHARS;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /** Records one write by the client. */
  client(bytes: Buffer, display?: string): void {
    if (display !== undefined) {
      this.add('C', display);
      return;
    }
    for (const text of clientLines(bytes, this.maxDisplayChars)) this.add('C', text);
  }

  /** Records one line received from the server. */
  server(line: FramedLine): void {
    let text = truncate(line.bytes, this.maxDisplayChars);
    if (line.terminator === 'lf') text += '\\n';
    if (line.tooLong) text += ' [line too long: cut]';
    this.add('S', text);
  }

  /** Records bytes the server sent without a line end (seen at a close or a timeout). */
  serverFragment(bytes: Buffer): void {
    this.add('S', `${truncate(bytes, this.maxDisplayChars)} [no line end]`);
  }

  event(text: string): void {
    this.add('*', text);
  }

  /** The entries, and one closing event that counts those past the limit, if any. */
  entries(): TranscriptEntry[] {
    const list = this.list.map((entry) => ({ ...entry }));
    if (this.omitted === 0) return list;
    const atMicros = list.at(-1)?.atMicros ?? 0;
    return [...list, { dir: '*', atMicros, text: `… ${this.omitted} more entries not recorded` }];
  }

  private add(dir: TranscriptEntry['dir'], text: string): void {
    if (this.list.length >= this.maxEntries) {
      this.omitted++;
      return;
    }
    const atMicros = nowMicros() - this.startMicros;
    this.list.push({ dir, atMicros, text: this.redact(text) });
  }
}

/**
 * One display text per CRLF-terminated line of a write (and one for an unterminated tail),
 * stopping once `budget` display characters are used: the entry where the budget runs out ends
 * in `… [+N octets]`, N counting every octet of the write not shown.
 */
function clientLines(bytes: Buffer, budget: number): string[] {
  const texts: string[] = [];
  let start = 0;
  let left = budget;
  while (start < bytes.length) {
    const crlf = indexOfCrlf(bytes, start);
    const end = crlf === -1 ? bytes.length : crlf;
    const shown = fittingOctets(bytes.subarray(start, end), left);
    const next = crlf === -1 ? end : crlf + 2;
    if (start + shown < end) {
      const rest = bytes.length - (start + shown);
      texts.push(`${escapeBytes(bytes.subarray(start, start + shown))}… [+${rest} octets]`);
      return texts;
    }
    texts.push(escapeBytes(bytes.subarray(start, end)));
    left -= displayWidth(bytes.subarray(start, end));
    start = next;
  }
  return texts;
}

function truncate(bytes: Buffer, budget: number): string {
  const shown = fittingOctets(bytes, budget);
  const text = escapeBytes(bytes.subarray(0, shown));
  return shown < bytes.length ? `${text}… [+${bytes.length - shown} octets]` : text;
}

function indexOfCrlf(bytes: Buffer, from: number): number {
  for (let at = bytes.indexOf(LF, from); at !== -1; at = bytes.indexOf(LF, at + 1)) {
    if (at > from && bytes[at - 1] === CR) return at - 1;
  }
  return -1;
}

/** How many leading octets of `bytes` fit in `budget` display characters once escaped. */
function fittingOctets(bytes: Buffer, budget: number): number {
  let used = 0;
  for (let i = 0; i < bytes.length; i++) {
    used += escapedWidth(bytes[i]!);
    if (used > budget) return i;
  }
  return bytes.length;
}

function displayWidth(bytes: Buffer): number {
  let width = 0;
  for (const b of bytes) width += escapedWidth(b);
  return width;
}

/** The length of `escapeBytes` for one octet. */
function escapedWidth(b: number): number {
  if (b === CR || b === LF || b === 9 || b === 0 || b === 92) return 2;
  return b >= 32 && b < 127 ? 1 : 4;
}
