import { describe, expect, it } from 'vitest';
import { LineReader, type FramedLine } from '../../src/protocol/line-reader.js';
import type { AuditRule, Reply } from '../../src/protocol/reply.js';
import { ReplyAssembler, parseReplyLines } from '../../src/protocol/reply-parser.js';
import { chunkings, seededBytes } from './helpers/chunkings.js';

const b = (text: string): Buffer => Buffer.from(text, 'latin1');

/** The wire path of a session: chunks -> framed lines -> replies, plus what is left over. */
function replies(chunks: Buffer[], maxLines?: number): { replies: Reply[]; pending: Buffer } {
  const reader = new LineReader();
  const assembler = new ReplyAssembler(maxLines);
  const out: Reply[] = [];
  for (const chunk of chunks) {
    for (const line of reader.push(chunk)) {
      const reply = assembler.push(line);
      if (reply) out.push(reply);
    }
  }
  return { replies: out, pending: Buffer.concat([assembler.pendingRaw(), reader.pending()]) };
}

/** The replies as plain data (buffers as latin1 text), cheap to compare thousands of times. */
function snapshot(got: { replies: Reply[]; pending: Buffer }): string {
  return JSON.stringify(got, (_key, value: unknown) =>
    Buffer.isBuffer(value) ? value.toString('latin1') : value,
  );
}

/** Parses `text` whole and under every chunking; asserts they agree and returns the replies. */
function parseEveryWay(text: string): Reply[] {
  const input = b(text);
  const whole = replies([input]);
  const expected = snapshot(whole);
  for (const { name, chunks } of chunkings(input)) {
    expect(snapshot(replies(chunks)), name).toBe(expected);
  }
  return whole.replies;
}

const rules = (reply: Reply): AuditRule[] => reply.findings.map((f) => f.rule);

describe('reply parsing', () => {
  it('assembles a multi-line EHLO reply under every chunking', () => {
    const [ehlo, ...rest] = parseEveryWay('250-mx.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n');
    expect(rest).toEqual([]);
    expect(ehlo).toMatchObject({
      code: 250,
      lines: ['mx.test', 'PIPELINING', '8BITMIME'],
      text: 'mx.test\nPIPELINING\n8BITMIME',
      findings: [],
    });
    expect(ehlo!.raw.toString('latin1')).toBe('250-mx.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n');
  });

  it('separates pipelined replies and leaves an incomplete one pending', () => {
    const input = b('250 2.1.0 ok\r\n250 2.1.5 ok\r\n354 go\r\n250-more\r\n25');
    for (const { name, chunks } of chunkings(input)) {
      const got = replies(chunks);
      expect(
        got.replies.map((r) => r.code),
        name,
      ).toEqual([250, 250, 354]);
      expect(got.pending.toString('latin1'), name).toBe('250-more\r\n25');
    }
  });

  it('accepts a bare code as a complete, well-formed reply', () => {
    const [reply] = parseEveryWay('250\r\n');
    expect(reply).toMatchObject({ code: 250, lines: [''], text: '', findings: [] });
    expect(reply!.enhanced).toBeUndefined();
  });

  it('flags codes of one reply that differ, and reports the last line code', () => {
    const [reply] = parseEveryWay('250-a\r\n251-b\r\n250 c\r\n');
    expect(reply!.code).toBe(250);
    expect(reply!.findings).toEqual([
      {
        rule: 'mixed-codes',
        line: 2,
        message: 'code 251 differs from 250 earlier in the same reply',
      },
    ]);
  });

  it('flags a bare LF on the line it ends', () => {
    const [reply] = parseEveryWay('250-a\n250 b\r\n');
    expect(reply!.findings).toEqual([
      { rule: 'bare-lf', line: 1, message: 'line ends in a bare LF, not CRLF' },
    ]);
    expect(reply!.raw.toString('latin1')).toBe('250-a\n250 b\r\n');
  });

  it('flags lines over 512 octets including CRLF, and lines the reader cut', () => {
    const [ok, long] = parseEveryWay(`250 ${'x'.repeat(506)}\r\n250 ${'x'.repeat(507)}\r\n`);
    expect(ok!.findings).toEqual([]);
    expect(long!.findings).toEqual([
      { rule: 'line-too-long', line: 1, message: 'line is 513 octets (limit 512 including CRLF)' },
    ]);
    const [cut] = replies([b(`250 ${'y'.repeat(5000)}\r\n`)]).replies;
    expect(rules(cut!)).toEqual(['line-too-long']);
    expect(cut!.findings[0]!.message).toMatch(/cut by the reader/);
  });

  it.each([
    ['199 informational\r\n', 199, ['code-syntax']],
    ['600 out of range\r\n', 600, ['code-syntax']],
    ['2a0 letters\r\n', 0, ['code-syntax']],
    ['hello\r\n', 0, ['code-syntax', 'separator']],
    ['25\r\n', 0, ['code-syntax']],
    ['\r\n', 0, ['code-syntax']],
    ['250OK\r\n', 250, ['separator']],
    ['250\tOK\r\n', 250, ['separator']],
  ])('audits %j', (text, code, expected) => {
    const [reply] = parseEveryWay(text);
    expect(reply!.code).toBe(code);
    expect(rules(reply!)).toEqual(expected);
  });

  it('extracts the text after a code and a bad separator', () => {
    expect(parseEveryWay('250OK\r\n')[0]!.lines).toEqual(['OK']);
    expect(parseEveryWay('2a0 letters\r\n')[0]!.lines).toEqual(['letters']);
    expect(parseEveryWay('hello\r\n')[0]!.lines).toEqual(['hello']);
  });

  it('explains a malformed code in the finding', () => {
    const [reply] = parseEveryWay('2a0 x\r\n');
    expect(reply!.findings[0]!.message).toBe(
      "'2a0' is not a reply code (three digits, the first 2..5)",
    );
    const [sep] = parseEveryWay('250\x01x\r\n');
    expect(sep!.findings[0]!.message).toBe("expected SP or '-' after the code, found '\\x01'");
  });

  it('falls back to an earlier code when the last line has none', () => {
    const reply = parseReplyLines([
      { bytes: b('250-a'), terminator: 'crlf', tooLong: false },
      { bytes: b('oops'), terminator: 'crlf', tooLong: false },
    ]);
    expect(reply.code).toBe(250);
    expect(rules(reply)).toEqual(['code-syntax', 'separator']);
  });

  it.each([
    ['250 2.1.0 Sender ok', '2.1.0'],
    ['550 5.7.1 relaying denied', '5.7.1'],
    ['452 4.3.2', '4.3.2'],
    ['250 2.100.999 wide', '2.100.999'],
    ['250 6.1.0 bad class', undefined],
    ['250 2.1000.0 subject too long', undefined],
    ['250 2.1.0x glued', undefined],
    ['250 2.1 short', undefined],
    ['250 ok 2.1.0', undefined],
  ])('reads the enhanced code of %j', (text, enhanced) => {
    const [reply] = parseEveryWay(`${text}\r\n`);
    expect(reply!.enhanced).toBe(enhanced);
  });

  it('takes the enhanced code from the first line only', () => {
    expect(parseEveryWay('550-5.7.1 no\r\n550 5.7.2 no\r\n')[0]!.enhanced).toBe('5.7.1');
    expect(parseEveryWay('250-mx\r\n250 2.0.0 ok\r\n')[0]!.enhanced).toBeUndefined();
  });

  it('keeps a bounded number of lines per reply and says so', () => {
    const input = b('250-1\r\n250-2\r\n250-3\r\n250-4\r\n250 5\r\n');
    const [reply] = replies([input], 3).replies;
    expect(reply!.lines).toEqual(['1', '2', '5']);
    expect(reply!.findings).toEqual([
      {
        rule: 'too-many-lines',
        line: 3,
        message: '2 continuation lines dropped (limit 3 lines per reply)',
      },
    ]);
  });

  it('never throws on garbage and accounts for every octet', () => {
    const alphabet = b('2505-. \r\n\r\nx\x00');
    for (let seed = 1; seed <= 200; seed++) {
      const input = seededBytes(seed, 120, alphabet);
      const got = replies([input]);
      const rebuilt = Buffer.concat([...got.replies.map((r) => r.raw), got.pending]);
      expect(rebuilt.equals(input), `seed ${seed}`).toBe(true);
      for (const reply of got.replies) {
        expect(Number.isInteger(reply.code), `seed ${seed}`).toBe(true);
        expect(reply.lines.length).toBeGreaterThan(0);
      }
    }
  });

  it('agrees with itself under every chunking on random replies', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const input = seededBytes(seed, 40, b('25-0 \r\n'));
      const whole = replies([input]);
      for (const { name, chunks } of chunkings(input, 0)) {
        expect(snapshot(replies(chunks)), `seed ${seed}, ${name}`).toBe(snapshot(whole));
      }
    }
  });

  it('is a pure function of the lines', () => {
    const lines: FramedLine[] = [
      { bytes: b('220-mx'), terminator: 'crlf', tooLong: false },
      { bytes: b('220 ESMTP'), terminator: 'lf', tooLong: false },
    ];
    expect(parseReplyLines(lines)).toEqual(parseReplyLines(lines));
    expect(parseReplyLines(lines).raw.toString('latin1')).toBe('220-mx\r\n220 ESMTP\n');
  });
});
