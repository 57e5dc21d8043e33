import { describe, expect, it } from 'vitest';
import { ReplyScanner } from '../../src/load/reply-scanner.js';
import { Random } from '../../src/load/random.js';
import { LineReader } from '../../src/protocol/line-reader.js';
import { ReplyAssembler } from '../../src/protocol/reply-parser.js';

interface Seen {
  code: number;
  lines?: string[];
}

/** Feeds `chunks` to a fresh scanner; returns the replies and whether every push succeeded. */
function scan(chunks: Buffer[], captureText = false, maxLineLength?: number) {
  const replies: Seen[] = [];
  const scanner = new ReplyScanner(
    { onReply: (code, lines) => replies.push(lines ? { code, lines } : { code }) },
    maxLineLength,
  );
  scanner.captureText = captureText;
  const ok = chunks.every((chunk) => scanner.push(chunk));
  return { replies, ok, scanner };
}

const b = (text: string): Buffer => Buffer.from(text, 'latin1');

/** Whole, byte by byte, every single cut, and every pair of cuts when the input is short. */
function* splits(input: Buffer, pairLimit = 80): Generator<[string, Buffer[]]> {
  yield ['whole', [input]];
  yield ['byte by byte', [...input].map((octet) => Buffer.from([octet]))];
  for (let cut = 1; cut < input.length; cut++) {
    yield [`cut at ${cut}`, [input.subarray(0, cut), input.subarray(cut)]];
  }
  if (input.length > pairLimit) return;
  for (let x = 1; x < input.length; x++) {
    for (let y = x + 1; y < input.length; y++) {
      yield [`cuts at ${x}, ${y}`, [input.subarray(0, x), input.subarray(x, y), input.subarray(y)]];
    }
  }
}

const STREAM = b(
  [
    '220 mx.test ESMTP',
    '250-mx.test',
    '250-PIPELINING',
    '250 CHUNKING',
    '250 2.1.0 Ok',
    '550 5.1.1 <user2@example.test>: unknown',
    '250 2.1.5 Ok',
    '354 go ahead',
    '250',
    '451-4.3.0 try',
    '451 4.3.0 again later',
    '250 no CR before this LF\n221 bye',
    '',
  ].join('\r\n'),
);

const EXPECTED: Seen[] = [
  { code: 220 },
  { code: 250 },
  { code: 250 },
  { code: 550, lines: ['5.1.1 <user2@example.test>: unknown'] },
  { code: 250 },
  { code: 354 },
  { code: 250 },
  { code: 451, lines: ['4.3.0 try', '4.3.0 again later'] },
  { code: 250 },
  { code: 221 },
];

describe('ReplyScanner', () => {
  it('frames a multi-reply stream the same at every split (single cuts; pairs for a short one)', () => {
    let checked = 0;
    for (const [name, chunks] of splits(STREAM, 0)) {
      const { replies, ok } = scan(chunks);
      expect({ name, ok, replies }).toEqual({ name, ok: true, replies: EXPECTED });
      checked++;
    }
    expect(checked).toBe(STREAM.length + 1);
    const short = b('250-a\r\n250 b\r\n550 5.0.0 no\r\n250\n');
    for (const [name, chunks] of splits(short)) {
      const { replies } = scan(chunks);
      expect({ name, replies }).toEqual({
        name,
        replies: [{ code: 250 }, { code: 550, lines: ['5.0.0 no'] }, { code: 250 }],
      });
    }
  });

  it('reads only `end` octets of a reused read buffer, and keeps nothing of it (onread)', () => {
    // One buffer for every read, as net.connect's onread gives it: each read overwrites the
    // last, and the octets past this read's length are stale.
    const shared = Buffer.alloc(64, 'X');
    const replies: Seen[] = [];
    const scanner = new ReplyScanner({
      onReply: (code, lines) => replies.push(lines ? { code, lines } : { code }),
    });
    scanner.captureText = true;
    const read = (text: string) => {
      shared.fill('9');
      const length = shared.write(text, 'latin1');
      return scanner.push(shared, length);
    };
    for (const piece of ['250-mx.te', 'st\r\n250-SIZ', 'E 1000\r\n25', '0 8BITMIME\r', '\n'])
      expect(read(piece)).toBe(true);
    expect(replies).toEqual([{ code: 250, lines: ['mx.test', 'SIZE 1000', '8BITMIME'] }]);
  });

  it('keeps every line of every reply while captureText is set (EHLO)', () => {
    for (const [name, chunks] of splits(b('250-mx.test\r\n250-SIZE 1000\r\n250 8BITMIME\r\n'))) {
      const { replies } = scan(chunks, true);
      expect({ name, replies }).toEqual({
        name,
        replies: [{ code: 250, lines: ['mx.test', 'SIZE 1000', '8BITMIME'] }],
      });
    }
    expect(scan([b('250\r\n220 \r\n')], true).replies).toEqual([
      { code: 250, lines: [''] },
      { code: 220, lines: [''] },
    ]);
  });

  it('agrees with the conformance parser on codes for random well-formed streams', () => {
    const random = new Random(2026);
    for (let round = 0; round < 200; round++) {
      const parts: string[] = [];
      const count = random.nextInt(1, 6);
      for (let r = 0; r < count; r++) {
        const code = random.nextInt(2, 5) * 100 + random.nextInt(0, 5) * 10 + random.nextInt(0, 9);
        const lines = random.nextInt(1, 4);
        for (let l = 1; l <= lines; l++) {
          const end = random.nextInt(0, 3) === 0 ? '\n' : '\r\n';
          parts.push(`${code}${l < lines ? '-' : ' '}text ${r}.${l}${end}`);
        }
      }
      const stream = b(parts.join(''));
      const reader = new LineReader();
      const assembler = new ReplyAssembler();
      const reference = reader
        .push(stream)
        .map((line) => assembler.push(line)?.code)
        .filter((code) => code !== undefined);
      const cut = random.nextInt(1, stream.length - 1);
      const { replies, ok } = scan([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(ok).toBe(true);
      expect(replies.map((reply) => reply.code)).toEqual(reference);
    }
  });

  it('stops with an error on a line without a reply code', () => {
    for (const bad of [
      'hello\r\n',
      '\r\n',
      '25\r\n',
      '199 nope\r\n',
      '650 nope\r\n',
      '2x0 Ok\r\n',
    ]) {
      const { ok, scanner, replies } = scan([b(`250 fine\r\n${bad}250 later\r\n`)]);
      expect({ bad, ok, replies }).toEqual({ bad, ok: false, replies: [{ code: 250 }] });
      expect(scanner.error).toMatch(/reply code/);
      expect(scanner.push(b('250 more\r\n'))).toBe(false);
    }
  });

  it('bounds the line length, whether the line comes whole or in pieces', () => {
    const long = b(`250 ${'x'.repeat(5000)}\r\n`);
    expect(scan([long]).ok).toBe(false);
    const pieces = scan([...long].map((octet) => Buffer.from([octet])));
    expect(pieces.ok).toBe(false);
    expect(pieces.scanner.error).toBe('reply line longer than 4096 octets');
    expect(scan([b(`250 ${'x'.repeat(4092)}\r\n`)]).replies).toEqual([{ code: 250 }]);
    expect(scan([b(`250 ${'x'.repeat(60)}\r\n`)], false, 64).replies).toEqual([{ code: 250 }]);
    expect(scan([b(`250 ${'x'.repeat(61)}\r\n`)], false, 64).ok).toBe(false);
  });

  it('drops the rest of a chunk when reset from inside onReply (STARTTLS)', () => {
    const replies: number[] = [];
    const scanner: ReplyScanner = new ReplyScanner({
      onReply: (code) => {
        replies.push(code);
        if (code === 220) scanner.reset();
      },
    });
    expect(scanner.push(b('220 go ahead\r\n250 injected\r\n'))).toBe(true);
    expect(scanner.push(b('250 after TLS\r\n'))).toBe(true);
    expect(replies).toEqual([220, 250]);
  });

  it('reports whether a reply is in progress, and reset clears it and a previous error', () => {
    const { scanner } = scan([b('250-first\r\n25')]);
    expect(scanner.inReply).toBe(true);
    scanner.reset();
    expect(scanner.inReply).toBe(false);
    expect(scanner.push(b('oops\r\n'))).toBe(false);
    scanner.reset();
    expect(scanner.push(b('250 ok\r\n'))).toBe(true);
  });
});
