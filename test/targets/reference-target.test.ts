import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceTarget } from '../../src/targets/reference-target.js';
import type { RunningTarget } from '../../src/targets/reference-target.js';
import { RawSmtpClient } from '../support/raw-smtp-client.js';

const EHLO = 'EHLO c.example\r\n';
const code = (reply: string) => reply.slice(0, 3);
const plain = (user: string, pass: string) =>
  Buffer.from(`\0${user}\0${pass}`, 'utf8').toString('base64');

describe('reference target', () => {
  let target: RunningTarget;
  const clients: RawSmtpClient[] = [];

  async function session(ehlo = true): Promise<RawSmtpClient> {
    const client = await RawSmtpClient.connect(target.port, target.host);
    clients.push(client);
    await client.reply();
    if (ehlo) await client.exchange(EHLO);
    return client;
  }

  /** Sends the commands one at a time; returns the reply codes, comma-separated. */
  async function codes(client: RawSmtpClient, commands: readonly string[]): Promise<string> {
    const result: string[] = [];
    for (const command of commands) result.push(code(await client.exchange(`${command}\r\n`)));
    return result.join(',');
  }

  beforeAll(async () => {
    target = await startReferenceTarget();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await target.close();
  });

  it('listens on a free loopback port and greets with its banner', async () => {
    expect(target.host).toBe('127.0.0.1');
    expect(target.port).toBeGreaterThan(0);
    const client = await RawSmtpClient.connect(target.port);
    clients.push(client);
    expect(await client.reply()).toBe(`220 ${target.banner}\r\n`);
    expect(target.banner).toMatch(/^example\.test /);
  });

  it('advertises the RFC 5321 core extensions in a well-formed EHLO reply', async () => {
    const client = await session(false);
    const lines = (await client.exchange(EHLO)).split('\r\n').slice(0, -1);
    expect(lines[0]).toMatch(/^250-example\.test /);
    expect(lines.at(-1)).toMatch(/^250 /);
    expect(lines.slice(0, -1).every((line) => line.startsWith('250-'))).toBe(true);
    const keywords = lines.slice(1).map((line) => line.slice(4));
    expect(keywords).toEqual(
      expect.arrayContaining([
        'PIPELINING',
        'SIZE 10485760',
        '8BITMIME',
        'ENHANCEDSTATUSCODES',
        'SMTPUTF8',
        'STARTTLS',
        'AUTH PLAIN LOGIN',
      ]),
    );
    expect(keywords).not.toContain('DSN');
  });

  it('upgrades with STARTTLS to a certificate for localhost and 127.0.0.1', async () => {
    const client = await session();
    expect(code(await client.exchange('STARTTLS\r\n'))).toBe('220');
    const tls = await client.startTls({ servername: 'localhost', rejectUnauthorized: false });
    const certificate = tls.getPeerCertificate();
    expect(certificate.subject.CN).toBe('localhost');
    expect(certificate.subjectaltname).toContain('DNS:localhost');
    expect(certificate.subjectaltname).toContain('IP Address:127.0.0.1');
    // RFC 3207 §4.2: the pre-TLS EHLO is forgotten, and STARTTLS is no longer offered.
    expect(code(await client.exchange('MAIL FROM:<s@example.org>\r\n'))).toBe('503');
    const ehlo = await client.exchange(EHLO);
    expect(ehlo).toMatch(/^250-/);
    expect(ehlo).not.toContain('STARTTLS');
  });

  it('accepts AUTH PLAIN with the test account and refuses a wrong password', async () => {
    const { user, pass } = target.credentials;
    expect(user).toBe('smtpgauge');
    const bad = await session();
    expect(await bad.exchange(`AUTH PLAIN ${plain(user, 'wrong')}\r\n`)).toMatch(/^535 5\.7\.8 /);
    const good = await session();
    expect(await good.exchange(`AUTH PLAIN ${plain(user, pass)}\r\n`)).toMatch(/^235 /);
  });

  it('accepts AUTH LOGIN with the test account', async () => {
    const { user, pass } = target.credentials;
    const client = await session();
    const b64 = (text: string) => `${Buffer.from(text).toString('base64')}\r\n`;
    expect(code(await client.exchange('AUTH LOGIN\r\n'))).toBe('334');
    expect(code(await client.exchange(b64(user)))).toBe('334');
    expect(code(await client.exchange(b64(pass)))).toBe('235');
  });

  // Rows of rfc-checklist.md §3.1–3.9; each runs in a fresh session after EHLO.
  it.concurrent.for<[string, readonly string[], string]>([
    ['HLO-03 lower-case EHLO', ['ehlo c.example'], '250'],
    ['HLO-06 EHLO without domain', ['EHLO'], '501'],
    ['MAI-02 null reverse-path', ['MAIL FROM:<>'], '250'],
    ['MAI-04 source route in MAIL', ['MAIL FROM:<@relay.example:s@example.org>'], '250'],
    ['MAI-05 nested MAIL', ['MAIL FROM:<s@example.org>', 'MAIL FROM:<s@example.org>'], '250,503'],
    ['MAI-06 unknown MAIL parameter', ['MAIL FROM:<s@example.org> XFOO=BAR'], '555'],
    ['MAI-08 256-octet reverse-path', [`MAIL FROM:<${'a'.repeat(64)}@${domainOf(189)}>`], '250'],
    ['MAI-08 257-octet reverse-path', [`MAIL FROM:<${'a'.repeat(64)}@${domainOf(190)}>`], '501'],
    ['MAI-09 underscore in domain', ['MAIL FROM:<a@foo_bar.example>'], '501'],
    ['MAI-12 UTF-8 without SMTPUTF8', ['MAIL FROM:<\u00e9@example.org>'], '553'],
    ['RCP-01 RCPT before MAIL', ['RCPT TO:<a@example.test>'], '503'],
    ['RCP-02 bare Postmaster', ['MAIL FROM:<>', 'RCPT TO:<Postmaster>'], '250,250'],
    [
      'RCP-05 source route in RCPT',
      ['MAIL FROM:<>', 'RCPT TO:<@relay.example:u@example.test>'],
      '250,250',
    ],
    [
      'RCP-08 unknown RCPT parameter',
      ['MAIL FROM:<>', 'RCPT TO:<u@example.test> XFOO=1'],
      '250,555',
    ],
    ['relaying refused', ['MAIL FROM:<>', 'RCPT TO:<u@elsewhere.example>'], '250,550'],
    ['DAT-01 DATA before MAIL', ['DATA'], '503'],
    ['DAT-02 DATA before RCPT', ['MAIL FROM:<>', 'DATA'], '250,503'],
    ['RST-02 RSET before EHLO', ['RSET'], '250'],
    ['NOP-02 NOOP with arguments', ['NOOP hello world'], '250'],
    ['VRF-01 VRFY', ['VRFY postmaster'], '252'],
    ['HLP-01 HELP', ['HELP'], '214'],
    ['UNK-01 unknown verb keeps the session', ['FOOBAR', 'NOOP'], '500,250'],
    ['UNK-02 empty line', ['', 'NOOP'], '500,250'],
    ['LIM-01 512-octet command line', [`NOOP ${'x'.repeat(505)}`], '250'],
  ])('%s', async ([, commands, expected], { expect }) => {
    const client = await session(!commands[0]?.toUpperCase().startsWith('EHLO'));
    expect(await codes(client, commands)).toBe(expected);
  });

  it('QUI-01 answers QUIT with 221 and closes', async () => {
    const client = await session();
    expect(code(await client.exchange('QUIT\r\n'))).toBe('221');
    expect(await client.waitClosed()).toBe(true);
  });

  it('RCP-06, DAT-05..07 take 100 recipients and a 64 KiB message with long lines', async () => {
    const client = await session();
    const rcpts = Array.from({ length: 100 }, (_, i) => `RCPT TO:<u${i}@example.test>\r\n`);
    client.send(`MAIL FROM:<s@example.org>\r\n${rcpts.join('')}DATA\r\n`);
    const replies: string[] = [];
    for (let i = 0; i < 102; i += 1) replies.push(code(await client.reply()));
    expect(replies.filter((c) => c === '250')).toHaveLength(101);
    expect(replies.at(-1)).toBe('354');
    const body = `Subject: t\r\n\r\n..lead\r\n. x\r\n${'x'.repeat(998)}\r\n`;
    const filler = `${'y'.repeat(98)}\r\n`.repeat(656);
    expect(Buffer.byteLength(body + filler)).toBeGreaterThan(65_536);
    expect(await client.exchange(`${body}${filler}.\r\n`, 3000)).toMatch(/^250 /);
    expect(code(await client.exchange('RCPT TO:<u@example.test>\r\n'))).toBe('503');
  });
});

describe('reference target options and lifecycle', () => {
  it('enforces a configured SIZE with 552 and keeps the session', async () => {
    const target = await startReferenceTarget({ size: 1000 });
    const client = await RawSmtpClient.connect(target.port);
    try {
      await client.reply();
      expect(await client.exchange(EHLO)).toContain('250 SIZE 1000\r\n');
      client.send('MAIL FROM:<>\r\nRCPT TO:<u@example.test>\r\nDATA\r\n');
      for (const expected of ['250', '250', '354'])
        expect(code(await client.reply())).toBe(expected);
      expect(code(await client.exchange(`${'z'.repeat(2000)}\r\n.\r\n`))).toBe('552');
      expect(code(await client.exchange('NOOP\r\n'))).toBe('250');
    } finally {
      client.close();
      await target.close();
    }
  });

  it('sends its log to the logger when one is given, and is silent otherwise', async () => {
    const lines: string[] = [];
    const target = await startReferenceTarget({
      domain: 'logged.test',
      logger: (l) => lines.push(l),
    });
    const client = await RawSmtpClient.connect(target.port);
    try {
      expect(await client.reply()).toMatch(/^220 logged\.test /);
      await client.exchange('NOOP\r\n');
      expect(lines.some((line) => line.includes('NOOP'))).toBe(true);
    } finally {
      client.close();
      await target.close();
    }
  });

  it('close() sends 421 to open sessions and frees the port', async () => {
    const target = await startReferenceTarget();
    const client = await RawSmtpClient.connect(target.port);
    await client.reply();
    const started = Date.now();
    await target.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await client.collect(200)).toMatch(/^421 /);
    expect(client.closed).toBe(true);
    await expect(probePort(target.port)).resolves.toBe('ECONNREFUSED');
    const again = await startReferenceTarget({ port: target.port });
    expect(again.port).toBe(target.port);
    await again.close();
  });
});

/** A domain of `octets` octets made of 63-octet labels. */
function domainOf(octets: number): string {
  const labels: string[] = [];
  let left = octets;
  while (left > 0) {
    const size = Math.min(63, left - (left > 63 ? 2 : 0));
    labels.push('d'.repeat(size));
    left -= size + 1;
  }
  return labels.join('.');
}

function probePort(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}
