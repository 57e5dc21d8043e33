import { encodeDataBody } from '../../src/protocol/dot-stuffing.js';
import type { BenchCase } from '../bench-case.js';

/**
 * `encodeDataBody` (dot-stuffing plus the `.` CRLF terminator) on messages of exactly 1 KiB,
 * 64 KiB and 1 MiB: a short header block, then 76-character body lines (the width of base64 and
 * quoted-printable), where every 100th line (line 7, 107, 207, …) starts with ".".
 */
export const MESSAGE_SIZES = [1024, 64 * 1024, 1024 * 1024] as const;

const HEADERS = [
  'From: Alice <alice@client.example>',
  'To: Bob <bob@mx.example.com>',
  'Subject: smtpgauge load message',
  'Date: Mon, 23 Nov 2026 09:00:00 +0000',
  'Message-ID: <0123456789abcdef@client.example>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=us-ascii',
  '',
];
const BODY_LINE = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempo';
const DOTTED_EVERY = 100;
const DOTTED_AT = 7;

export interface Message {
  bytes: Buffer;
  lines: number;
  dottedLines: number;
}

/** A CRLF-terminated message of exactly `size` octets (the last line is cut to fit). */
export function buildMessage(size: number): Message {
  const lines: string[] = [];
  let used = 0;
  for (let i = 0; used < size; i++) {
    let line = i < HEADERS.length ? HEADERS[i]! : BODY_LINE.slice(0, 76);
    if (i % DOTTED_EVERY === DOTTED_AT) line = `.${line.slice(1)}`;
    const room = size - used - 2;
    if (line.length + 2 > size - used) line = line.slice(0, Math.max(0, room));
    lines.push(line);
    used += line.length + 2;
  }
  const bytes = Buffer.from(lines.map((line) => `${line}\r\n`).join(''), 'latin1');
  if (bytes.length !== size) throw new Error(`built ${bytes.length} octets, wanted ${size}`);
  const dottedLines = lines.filter((line) => line.startsWith('.')).length;
  return { bytes, lines: lines.length, dottedLines };
}

export function dotStuffingCases(): BenchCase[] {
  return MESSAGE_SIZES.map((size) => {
    const message = buildMessage(size);
    const expected = size + message.dottedLines + 3;
    const encoded = encodeDataBody(message.bytes).length;
    if (encoded !== expected) throw new Error(`encoded ${encoded} octets, expected ${expected}`);
    return {
      name: `encodeDataBody ${label(size)} (${message.dottedLines}/${message.lines} lines dotted)`,
      fn: () => {
        if (encodeDataBody(message.bytes).length !== expected) throw new Error('length changed');
      },
      bytesPerOp: size,
    };
  });
}

function label(size: number): string {
  return size >= 1024 * 1024 ? `${size / (1024 * 1024)} MiB` : `${size / 1024} KiB`;
}
