import { describe, expect, it } from 'vitest';
import { parseEhloLines } from '../../src/load/ehlo-capabilities.js';
import { SessionScript } from '../../src/load/session-script.js';

const ENVELOPE = { sender: 'load@example.test', recipientPrefix: 'rcpt', domain: 'mx.test' };

describe('SessionScript', () => {
  const script = new SessionScript({
    helo: 'client.test',
    envelope: ENVELOPE,
    eightBit: true,
    credentials: { username: 'u', password: 'secret-pass' },
  });

  it('serialises the envelope once per recipient count and form', () => {
    const withData = script.envelope(3, false, true);
    expect(withData.toString('latin1')).toBe(
      'MAIL FROM:<load@example.test>\r\n' +
        'RCPT TO:<rcpt1@mx.test>\r\nRCPT TO:<rcpt2@mx.test>\r\nRCPT TO:<rcpt3@mx.test>\r\n' +
        'DATA\r\n',
    );
    expect(script.envelope(3, false, true)).toBe(withData);
    expect(script.envelope(1, true, false).toString('latin1')).toBe(
      'MAIL FROM:<load@example.test> BODY=8BITMIME\r\nRCPT TO:<rcpt1@mx.test>\r\n',
    );
    expect(script.rcpt(2)).toBe(script.rcpt(2));
    expect(script.ehlo.toString('latin1')).toBe('EHLO client.test\r\n');
  });

  it('holds AUTH PLAIN as base64 and lists the secrets a redactor must hide', () => {
    const encoded = Buffer.from('\0u\0secret-pass').toString('base64');
    expect(script.authPlain?.toString('latin1')).toBe(`AUTH PLAIN ${encoded}\r\n`);
    expect(script.authResponse?.toString('latin1')).toBe(`${encoded}\r\n`);
    expect(script.secrets).toEqual(['secret-pass', encoded]);
    const anonymous = new SessionScript({ helo: 'c', envelope: ENVELOPE, eightBit: false });
    expect(anonymous.authPlain).toBeUndefined();
    expect(anonymous.secrets).toEqual([]);
  });
});

describe('parseEhloLines', () => {
  it('reads the keywords the load engine acts on, in any case', () => {
    const caps = parseEhloLines([
      'mx.test greets you',
      'pipelining',
      'SIZE 10240000',
      'Chunking',
      'STARTTLS',
      '8BITMIME',
      'AUTH LOGIN plain',
      'AUTH=CRAM-MD5 PLAIN',
    ]);
    expect(caps).toEqual({
      pipelining: true,
      chunking: true,
      starttls: true,
      eightBitMime: true,
      size: 10240000,
      auth: ['LOGIN', 'PLAIN', 'CRAM-MD5'],
    });
  });

  it('ignores the greeting line and treats SIZE without a number as no limit', () => {
    expect(parseEhloLines(['PIPELINING is not a keyword on line 1', 'SIZE'])).toEqual({
      pipelining: false,
      chunking: false,
      starttls: false,
      eightBitMime: false,
      size: 0,
      auth: [],
    });
  });
});
