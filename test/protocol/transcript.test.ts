import { describe, expect, it } from 'vitest';
import type { FramedLine } from '../../src/protocol/line-reader.js';
import { Transcript } from '../../src/protocol/transcript.js';

const b = (text: string): Buffer => Buffer.from(text, 'latin1');
const texts = (t: Transcript): string[] => t.entries().map((e) => `${e.dir}: ${e.text}`);
const server = (text: string, terminator: 'crlf' | 'lf' = 'crlf', tooLong = false): FramedLine => ({
  bytes: b(text),
  terminator,
  tooLong,
});

describe('Transcript', () => {
  it('records one entry per CRLF-terminated line of a write, CRLF not shown', () => {
    const t = new Transcript();
    t.client(b('MAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\n'));
    expect(texts(t)).toEqual(['C: MAIL FROM:<a@x>', 'C: RCPT TO:<b@y>', 'C: DATA']);
  });

  it('escapes bare LF, lone CR, NUL and other control octets in client writes', () => {
    const t = new Transcript();
    t.client(b('a\nb\r\n.\rc\x00\x7f\\\r\nno end'));
    expect(texts(t)).toEqual(['C: a\\nb', 'C: .\\rc\\0\\x7f\\\\', 'C: no end']);
  });

  it('cuts a long write at 1024 display characters and counts the octets not shown', () => {
    const line = `${'a'.repeat(98)}\r\n`;
    const body = b(line.repeat(655) + 'end');
    const t = new Transcript();
    t.client(body);
    const entries = t.entries();
    const shown = entries.reduce(
      (sum, e) => sum + e.text.replace(/… \[\+\d+ octets\]$/, '').length,
      0,
    );
    expect(shown).toBe(1024);
    const last = entries[entries.length - 1]!.text;
    const rest = Number(/… \[\+(\d+) octets\]$/.exec(last)![1]);
    expect(entries.length).toBe(11);
    expect(10 * line.length + 44 + rest).toBe(body.length);
  });

  it('measures the cut in escaped characters, never splitting an escape', () => {
    const t = new Transcript(undefined, { maxDisplayChars: 5 });
    t.client(b('ab\x01cd'));
    expect(texts(t)).toEqual(['C: ab… [+3 octets]']);
  });

  it('shows a display text instead of the bytes', () => {
    const t = new Transcript();
    t.client(b('AUTH PLAIN AHVzZXIAaHVudGVyMg==\r\n'), 'AUTH PLAIN <redacted>');
    expect(texts(t)).toEqual(['C: AUTH PLAIN <redacted>']);
  });

  it('redacts secrets and their base64 forms in every entry as a backstop', () => {
    const t = new Transcript(undefined, { secrets: ['hunter2', ''] });
    t.client(b('PASS hunter2\r\n'));
    t.client(b('aHVudGVyMg==\r\n'));
    t.client(b('AUTH LOGIN aHVudGVyMg\r\n'));
    t.server(server('535 hunter2 is wrong'));
    t.event('login with hunter2 failed');
    expect(texts(t)).toEqual([
      'C: PASS <redacted>',
      'C: <redacted>',
      'C: AUTH LOGIN <redacted>',
      'S: 535 <redacted> is wrong',
      '*: login with <redacted> failed',
    ]);
  });

  it('redacts a secret with special characters in its escaped form', () => {
    const t = new Transcript(undefined, { secrets: ['p\\w\td'] });
    t.client(b('PASS p\\w\td\r\n'));
    expect(texts(t)).toEqual(['C: PASS <redacted>']);
  });

  it('shows server lines with bare LF, control octets and cut lines visible', () => {
    const t = new Transcript();
    t.server(server('250 ok'));
    t.server(server('250 bare', 'lf'));
    t.server(server('250 a\rb\x00'));
    t.server(server('250 long', 'crlf', true));
    t.serverFragment(b('25'));
    expect(texts(t)).toEqual([
      'S: 250 ok',
      'S: 250 bare\\n',
      'S: 250 a\\rb\\0',
      'S: 250 long [line too long: cut]',
      'S: 25 [no line end]',
    ]);
  });

  it('stamps entries with non-decreasing µs offsets from the start', () => {
    const t = new Transcript();
    t.event('connected');
    const start = Date.now();
    while (Date.now() - start < 3);
    t.event('later');
    const [first, second] = t.entries();
    expect(first!.atMicros).toBeGreaterThanOrEqual(0);
    expect(second!.atMicros - first!.atMicros).toBeGreaterThanOrEqual(2000);
  });

  it('returns copies of its entries', () => {
    const t = new Transcript();
    t.event('x');
    t.entries()[0]!.text = 'changed';
    expect(t.entries()[0]!.text).toBe('x');
  });
});
