import { Random } from './random.js';

/**
 * Filler content for generated messages, made to an exact octet count by tiling blocks built
 * once (a 10 MiB body takes a few milliseconds).
 *
 * Text bodies: lines of 76 octets + CRLF. Line 3 of every 64-line block starts with "." (so
 * dot-stuffing has work to do). The 8-bit variant carries UTF-8 text (octets >= 0x80) in the
 * same 78-octet lines. The last line is shorter; no line is longer than 76 octets + CRLF (so
 * nodemailer would send the same text as 7bit, not quoted-printable).
 *
 * Attachments: pseudo-random octets (seeded), base64-encoded exactly as nodemailer encodes a
 * part (RFC 2045 §6.8): 76-character lines joined by CRLF, no CRLF after the last line.
 */
export const TEXT_LINE_OCTETS = 78;
const BLOCK_LINES = 64;
const DOTTED_LINE = 2;

const ASCII_LINES = [
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod',
  'tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam,',
  '. quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo',
  'consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse',
];
const EIGHT_BIT_LINES = [
  'Grüße aus Köln: Bäckerei, Straße, Übermut, Öl, naïve café, smörg',
  'Ça va très bien, merci. Año nuevo en Málaga; Søren og Åse på Ærø',
  '. Ἀρχὴ ἥμισυ παντός; Лорем ипсум долор',
  'Zürich → Genève: 42 € pro Person, ½ Preis für Kinder ✓',
];

/** `length` octets of CRLF-terminated text lines; a length of 1 gives a bare CRLF (2 octets). */
export function textBody(length: number, eightBit: boolean): Buffer {
  if (length <= 0) return Buffer.alloc(0);
  if (length < 4) return shortLine(Math.max(length, 2));
  // A remainder of one octet cannot be a line of its own: the last two lines share 79 octets.
  const rest = length % TEXT_LINE_OCTETS;
  const tiled = length - (rest === 1 ? TEXT_LINE_OCTETS + 1 : rest);
  const out = Buffer.allocUnsafe(length);
  if (tiled > 0) out.fill(eightBit ? EIGHT_BIT_BLOCK : ASCII_BLOCK, 0, tiled);
  if (rest === 1) {
    shortLine(40).copy(out, tiled);
    shortLine(39).copy(out, tiled + 40);
  } else {
    shortLine(rest).copy(out, tiled);
  }
  return out;
}

/** One line of `octets` octets: 'x' * (octets - 2) CRLF (nothing when octets is 0). */
function shortLine(octets: number): Buffer {
  if (octets === 0) return Buffer.alloc(0);
  return Buffer.from(`${'x'.repeat(octets - 2)}\r\n`, 'latin1');
}

function textBlock(lines: readonly string[]): Buffer {
  const out = Buffer.alloc(BLOCK_LINES * TEXT_LINE_OCTETS, 0x20);
  for (let i = 0; i < BLOCK_LINES; i++) {
    let text = lines[i % lines.length]!;
    if (i % lines.length === DOTTED_LINE && i !== DOTTED_LINE) text = text.replace(/^\. /, '  ');
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > TEXT_LINE_OCTETS - 2) throw new Error(`corpus line too long: ${text}`);
    const at = i * TEXT_LINE_OCTETS;
    bytes.copy(out, at);
    out.write('\r\n', at + TEXT_LINE_OCTETS - 2, 'latin1');
  }
  return out;
}

const ASCII_BLOCK = textBlock(ASCII_LINES);
const EIGHT_BIT_BLOCK = textBlock(EIGHT_BIT_LINES);

/** Base64 characters per line and the raw octets they carry. */
const B64_LINE = 76;
const B64_LINE_RAW = 57;
/** Raw octets per tiled attachment block: 64 whole base64 lines. */
const RAW_BLOCK = B64_LINE_RAW * 64;

/** Octets of the base64 form of `raw` octets, line breaks included. */
export function base64Length(raw: number): number {
  if (raw <= 0) return 0;
  const chars = 4 * Math.ceil(raw / 3);
  return chars + 2 * (Math.ceil(chars / B64_LINE) - 1);
}

/** The most raw octets whose base64 form fits in `encoded` octets. */
export function rawForBase64(encoded: number): number {
  let raw = Math.max(0, Math.floor((encoded * B64_LINE_RAW) / (B64_LINE + 2)));
  while (base64Length(raw + 1) <= encoded) raw++;
  while (raw > 0 && base64Length(raw) > encoded) raw--;
  return raw;
}

/**
 * Attachment bytes: the raw block (seeded pseudo-random octets) tiled to `raw` octets, and its
 * base64 form as nodemailer would write it.
 */
export class AttachmentFiller {
  readonly rawBlock: Buffer;
  private readonly encodedBlock: Buffer;

  constructor(seed: number) {
    const random = new Random(seed, 0x41747463); // a stream of its own: 'Attc'
    this.rawBlock = Buffer.allocUnsafe(RAW_BLOCK);
    for (let i = 0; i < RAW_BLOCK; i += 4) this.rawBlock.writeUInt32LE(random.nextUint32(), i);
    this.encodedBlock = Buffer.from(`${wrapBase64(this.rawBlock)}\r\n`, 'latin1');
  }

  /** The raw content (for checks): the block tiled to `raw` octets. */
  raw(raw: number): Buffer {
    return raw === 0 ? Buffer.alloc(0) : Buffer.allocUnsafe(raw).fill(this.rawBlock);
  }

  /** The base64 form of `raw(raw)`: exactly `base64Length(raw)` octets. */
  encoded(raw: number): Buffer {
    const whole = Math.floor(raw / RAW_BLOCK);
    const rest = raw - whole * RAW_BLOCK;
    const tail = Buffer.from(wrapBase64(this.rawBlock.subarray(0, rest)), 'latin1');
    const out = Buffer.allocUnsafe(base64Length(raw));
    let at = 0;
    if (whole > 0) {
      at = whole * this.encodedBlock.length;
      // The last whole block's CRLF is dropped when nothing follows it.
      out.fill(this.encodedBlock, 0, rest === 0 ? at - 2 : at);
    }
    tail.copy(out, at);
    return out;
  }
}

function wrapBase64(bytes: Buffer): string {
  const text = bytes.toString('base64');
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += B64_LINE) lines.push(text.slice(at, at + B64_LINE));
  return lines.join('\r\n');
}
