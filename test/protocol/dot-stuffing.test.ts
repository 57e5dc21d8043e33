import { describe, expect, it } from 'vitest';
import { dotStuff, encodeDataBody } from '../../src/protocol/dot-stuffing.js';
import { seededBytes } from './helpers/chunkings.js';

const b = (text: string): Buffer => Buffer.from(text, 'latin1');
const stuffed = (text: string): string => dotStuff(b(text)).toString('latin1');

/** What a receiver does (RFC 5321 §4.5.2): lines up to CRLF "." CRLF, one leading dot removed. */
function receive(data: Buffer): Buffer | undefined {
  const wire = Buffer.concat([b('\r\n'), data]);
  const end = wire.indexOf('\r\n.\r\n');
  if (end === -1) return undefined;
  const lines = wire
    .subarray(2, end + 2)
    .toString('latin1')
    .split('\r\n')
    .slice(0, -1);
  return b(
    lines.map((line) => (line.startsWith('.') ? line.slice(1) : line)).join('\r\n') + '\r\n',
  );
}

describe('dotStuff', () => {
  it('doubles the dot that starts a line, only there', () => {
    expect(stuffed('.a\r\n..b\r\nc.d\r\n')).toBe('..a\r\n...b\r\nc.d\r\n');
  });

  it('stuffs a line that is only a dot', () => {
    expect(stuffed('.')).toBe('..\r\n');
    expect(stuffed('a\r\n.\r\nb\r\n')).toBe('a\r\n..\r\nb\r\n');
  });

  it('appends CRLF when the body does not end in one, and nothing else', () => {
    expect(stuffed('abc')).toBe('abc\r\n');
    expect(stuffed('abc\r\n')).toBe('abc\r\n');
    expect(stuffed('abc\n')).toBe('abc\n\r\n');
    expect(stuffed('abc\r')).toBe('abc\r\r\n');
  });

  it('leaves bare LF and bare CR lines untouched (smuggling probes stay intact)', () => {
    expect(stuffed('a\n.\nb\r\n')).toBe('a\n.\nb\r\n');
    expect(stuffed('a\r.\rb\r\n')).toBe('a\r.\rb\r\n');
    expect(stuffed('a\r\n.\n')).toBe('a\r\n..\n\r\n');
  });

  it('keeps an empty body empty', () => {
    expect(dotStuff(Buffer.alloc(0)).length).toBe(0);
  });
});

describe('encodeDataBody', () => {
  it('ends the stuffed body with the terminator', () => {
    expect(encodeDataBody(b('.hi\r\n')).toString('latin1')).toBe('..hi\r\n.\r\n');
    expect(encodeDataBody(Buffer.alloc(0)).toString('latin1')).toBe('.\r\n');
    expect(encodeDataBody(b('x')).toString('latin1')).toBe('x\r\n.\r\n');
  });

  it('is transparent: a receiver gets the body back, ended only by the terminator', () => {
    const alphabet = b('.\r\na');
    for (let seed = 1; seed <= 500; seed++) {
      const body = seededBytes(seed, 30, alphabet);
      const data = encodeDataBody(body);
      const expected =
        body.length === 0 || body.subarray(-2).equals(b('\r\n'))
          ? body
          : Buffer.concat([body, b('\r\n')]);
      const got = receive(data);
      expect(
        got?.toString('latin1'),
        `seed ${seed}: ${JSON.stringify(body.toString('latin1'))}`,
      ).toBe(body.length === 0 ? '\r\n' : expected.toString('latin1'));
    }
  });
});
