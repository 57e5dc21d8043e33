import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EHLO,
  PROBES,
  QUIET_MS,
  TRANSACTION,
  afterEhlo,
  code,
  multilineVerdict,
  open,
  pipelined,
} from '../support/defect-probes.js';
import { RawSmtpClient } from '../support/raw-smtp-client.js';
import { startScriptedServer } from '../support/scripted-server.js';
import type { ScriptedServer } from '../support/scripted-server.js';
import { DEFECTS, DEFECT_NAMES } from '../support/smtp-defects.js';

describe('scripted server, conforming default', () => {
  let server: ScriptedServer;
  const clients: RawSmtpClient[] = [];
  const session = async (ehlo = true) => {
    const client = ehlo ? await afterEhlo(server.port) : await open(server.port);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startScriptedServer();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server.close();
  });

  it('greets with 220 and answers a multi-line EHLO listing its extensions (no AUTH in clear)', async () => {
    const client = await RawSmtpClient.connect(server.port);
    clients.push(client);
    expect(await client.reply()).toMatch(/^220 scripted\.test /);
    const ehlo = await client.exchange(EHLO);
    expect(multilineVerdict(ehlo)).toBe('well-formed');
    const keywords = ehlo
      .split('\r\n')
      .slice(1, -1)
      .map((line) => line.slice(4));
    expect(keywords).toEqual([
      'PIPELINING',
      'SIZE 1000000',
      '8BITMIME',
      'SMTPUTF8',
      'DSN',
      'CHUNKING',
      'BINARYMIME',
      'STARTTLS',
      'ENHANCEDSTATUSCODES',
    ]);
  });

  it('runs a transaction with dot-unstuffing and ends data only at CRLF.CRLF', async () => {
    const client = await session();
    expect(await pipelined(client, TRANSACTION, 3)).toBe('250,250,354');
    client.send('Subject: t\r\n\r\nline\n.\nMAIL FROM:<x@example.org>\r\n..lead\r\n. x\r\n');
    expect(await client.collect(QUIET_MS)).toBe('');
    expect(code(await client.exchange('.\r\n'))).toBe('250');
    expect(code(await client.exchange('RCPT TO:<a@scripted.test>\r\n'))).toBe('503');
  });

  it.each([
    ['HELO c.example', '250'],
    ['EHLO', '501'],
    ['MAIL FROM:<a@foo_bar.example>', '501'],
    ['MAIL FROM:<s@example.org> XFOO=BAR', '555'],
    ['MAIL FROM:<s@example.org> SIZE=99999999999', '552'],
    ['EXPN postmaster', '502'],
    ['VRFY', '501'],
    ['', '500'],
    [`NOOP ${'x'.repeat(506)}`, '500'],
    ['DATA', '503'],
    ['RSET x', '501'],
  ])('answers %j with %s', async (command, expected) => {
    const client = await session();
    expect(code(await client.exchange(`${command}\r\n`))).toBe(expected);
    expect(code(await client.exchange('NOOP\r\n'))).toBe('250');
  });

  it('requires EHLO/HELO before MAIL but not before RSET, NOOP, VRFY, HELP', async () => {
    const client = await session(false);
    const codes = await pipelined(
      client,
      'MAIL FROM:<s@example.org>\r\nRSET\r\nNOOP\r\nVRFY postmaster\r\nHELP\r\n',
      5,
    );
    expect(codes).toBe('503,250,250,252,214');
  });

  it('does not take a bare LF as the end of a command line', async () => {
    const client = await session();
    client.send('NOOP\n');
    expect(await client.collect(QUIET_MS)).toBe('');
    expect(code(await client.exchange('\r\n'))).toBe('500');
  });

  it('accepts a line of 100 000 octets without buffering it and stays usable', async () => {
    const client = await session();
    expect(code(await client.exchange(`NOOP ${'x'.repeat(100_000)}\r\n`))).toBe('500');
    expect(code(await client.exchange('NOOP\r\n'))).toBe('250');
  });
});

describe.concurrent('scripted server defects', () => {
  let conforming: ScriptedServer;
  beforeAll(async () => {
    conforming = await startScriptedServer();
  });
  afterAll(() => conforming.close());

  it.for(DEFECT_NAMES)('%s', async (defect, { expect }) => {
    const { probe, conforming: expected, broken, options } = PROBES[defect];
    const reference = options ? await startScriptedServer(options) : conforming;
    const server = await startScriptedServer({ ...options, defects: [defect] });
    try {
      expect(expected, 'probe must tell the two apart').not.toBe(broken);
      expect(await probe(reference.port), 'conforming server').toBe(expected);
      expect(await probe(server.port), DEFECTS[defect]).toBe(broken);
    } finally {
      await server.close();
      if (reference !== conforming) await reference.close();
    }
  });
});

describe('scripted server lifecycle', () => {
  it('close() destroys sockets even when the server never answers', async () => {
    const server = await startScriptedServer({ defects: ['never-answers'] });
    const client = await RawSmtpClient.connect(server.port);
    const started = Date.now();
    await server.close();
    expect(await client.waitClosed(500)).toBe(true);
    expect(Date.now() - started).toBeLessThan(500);
    await expect(RawSmtpClient.connect(server.port)).rejects.toThrow(/ECONNREFUSED/);
  });
});
