import { describe, expect, it } from 'vitest';
import { generateMessage, textBody } from '../../src/dialogue/message-body.js';
import { DEFAULT_VARS } from '../../src/suite/model.js';

describe('generateMessage', () => {
  it.each([300, 1000, 1001, 1002, 65_536, 100_003])(
    'is exactly %i octets and ends in CRLF',
    (size) => {
      const message = generateMessage(size, 76, DEFAULT_VARS);
      expect(message.length).toBe(size);
      expect(message.subarray(-2).toString('latin1')).toBe('\r\n');
    },
  );

  it('is exact and CRLF-terminated for every size from 240 to 500', () => {
    for (let size = 240; size <= 500; size++) {
      const message = generateMessage(size, 76, DEFAULT_VARS);
      expect(message.length).toBe(size);
      expect(message.subarray(-2).toString('latin1')).toBe('\r\n');
    }
  });

  it('has the headers, a blank line and body lines of the asked length', () => {
    const text = generateMessage(2000, 998, DEFAULT_VARS).toString('latin1');
    const [head, body] = text.split('\r\n\r\n');
    expect(head).toMatch(
      /^From: <sender@example\.test>\r\nTo: <postmaster@example\.test>\r\nSubject: /,
    );
    expect(head).toMatch(/Message-ID: <smtpgauge\.\d+@client\.example\.test>/);
    expect(body!.split('\r\n')[0]).toHaveLength(998);
  });

  it('never starts a line with a dot, so stuffing keeps the size', () => {
    const text = generateMessage(10_000, 10, DEFAULT_VARS).toString('latin1');
    expect(text.split('\r\n').some((line) => line.startsWith('.'))).toBe(false);
  });
});

describe('textBody', () => {
  it('turns LF into CRLF and ends with CRLF', () => {
    expect(textBody('Subject: a\n\nb').toString()).toBe('Subject: a\r\n\r\nb\r\n');
    expect(textBody('x\r\ny\r\n').toString()).toBe('x\r\ny\r\n');
  });
});
