import { describe, expect, it } from 'vitest';
import { LineReader, type FramedLine } from '../../src/protocol/line-reader.js';
import { chunkings, seededBytes } from './helpers/chunkings.js';

const b = (text: string): Buffer => Buffer.from(text, 'latin1');
const line = (text: string, terminator: 'crlf' | 'lf' = 'crlf', tooLong = false): FramedLine => ({
  bytes: b(text),
  terminator,
  tooLong,
});

function frame(chunks: Buffer[], max?: number): { lines: FramedLine[]; pending: Buffer } {
  const reader = new LineReader(max);
  const lines = chunks.flatMap((chunk) => reader.push(chunk));
  return { lines, pending: reader.pending() };
}

/** Frames `input` under every chunking and checks each gives `expected`. */
function expectEveryChunking(input: Buffer, expected: FramedLine[], pending = '', max?: number) {
  for (const { name, chunks } of chunkings(input)) {
    const got = frame(chunks, max);
    expect(got.lines, name).toEqual(expected);
    expect(got.pending.toString('latin1'), name).toBe(pending);
  }
}

describe('LineReader', () => {
  it('splits on CRLF and bare LF under every chunking', () => {
    expectEveryChunking(
      b('250-a\r\n250 b\nx\r\n\r\n\ntail'),
      [line('250-a'), line('250 b', 'lf'), line('x'), line(''), line('', 'lf')],
      'tail',
    );
  });

  it('keeps a CRLF split between two chunks as one crlf terminator', () => {
    const reader = new LineReader();
    expect(reader.push(b('220 ready\r'))).toEqual([]);
    expect(reader.pending().toString('latin1')).toBe('220 ready\r');
    expect(reader.push(b('\n'))).toEqual([line('220 ready')]);
    expect(reader.pending().length).toBe(0);
  });

  it('treats a lone CR as content, only the CR before LF as the terminator', () => {
    expectEveryChunking(b('a\rb\r\n\r\r\n\r'), [line('a\rb'), line('\r')], '\r');
  });

  it('cuts a line longer than the limit, marks it and resyncs on the next LF', () => {
    expectEveryChunking(
      b('12345678\r\n123456789\r\n12345678\r\r\n123456789abc\nok\r\n'),
      [
        line('12345678'),
        line('12345678', 'crlf', true),
        line('12345678', 'crlf', true),
        line('12345678', 'lf', true),
        line('ok'),
      ],
      '',
      8,
    );
  });

  it('never buffers more than the limit plus one octet of an unterminated line', () => {
    const reader = new LineReader(100);
    for (let i = 0; i < 1000; i++) reader.push(Buffer.alloc(1024, 0x61));
    expect(reader.pending().length).toBe(101);
    const [cut] = reader.push(b('\r\n250 next\r\n'));
    expect(cut).toEqual({ bytes: Buffer.alloc(100, 0x61), terminator: 'crlf', tooLong: true });
  });

  it('copies its output so later changes to a pushed chunk do not leak in', () => {
    const reader = new LineReader();
    const chunk = b('250 ok\r\n25');
    const [first] = reader.push(chunk);
    chunk.fill(0x78);
    expect(first!.bytes.toString('latin1')).toBe('250 ok');
    expect(reader.pending().toString('latin1')).toBe('25');
  });

  it('frames random bytes identically under every chunking and loses no octet', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const input = seededBytes(seed, 48, b('ab\r\n\r\n.\x00'));
      const whole = frame([input], 6);
      for (const { name, chunks } of chunkings(input, 0)) {
        expect(frame(chunks, 6), `seed ${seed}, ${name}`).toEqual(whole);
      }
    }
  });

  it('rebuilds the input exactly when no line is too long', () => {
    const input = seededBytes(7, 4000, b('abc\r\n\n\r'));
    const { lines, pending } = frame([input]);
    const rebuilt = Buffer.concat([
      ...lines.map((l) => Buffer.concat([l.bytes, b(l.terminator === 'crlf' ? '\r\n' : '\n')])),
      pending,
    ]);
    expect(rebuilt.equals(input)).toBe(true);
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => new LineReader(0)).toThrow(RangeError);
    expect(() => new LineReader(1.5)).toThrow(RangeError);
  });
});
