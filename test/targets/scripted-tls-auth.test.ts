import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  AUTH_PLAIN,
  EHLO,
  QUIET_MS,
  afterEhlo,
  afterTls,
  code,
  enhanced,
  open,
  pipelined,
  quietCodes,
} from '../support/defect-probes.js';
import type { RawSmtpClient } from '../support/raw-smtp-client.js';
import { startScriptedServer } from '../support/scripted-server.js';
import type { ScriptedServer } from '../support/scripted-server.js';
import { AUTH_ACCOUNT } from '../support/server-profile.js';

/**
 * The conforming scripted server on STARTTLS (RFC 3207) and AUTH (RFC 4954): rfc-checklist
 * §3.12 and §3.13. By default AUTH is offered and accepted only inside TLS; the
 * `authOnlyAfterTls: false` server offers it in clear.
 */
const MAIL = 'MAIL FROM:<s@example.org>';
const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');

let server: ScriptedServer;
let inClear: ScriptedServer;
const clients: RawSmtpClient[] = [];
const track = (client: RawSmtpClient) => (clients.push(client), client);
/** A session inside TLS, after a new EHLO. */
const secured = async () => {
  const client = track(await afterTls(server.port));
  await client.exchange(EHLO);
  return client;
};

beforeAll(async () => {
  [server, inClear] = await Promise.all([
    startScriptedServer(),
    startScriptedServer({ authOnlyAfterTls: false }),
  ]);
});
afterAll(async () => {
  for (const client of clients) client.close();
  await Promise.all([server.close(), inClear.close()]);
});

describe.concurrent('STARTTLS (RFC 3207)', () => {
  it('answers 220 2.0.0, completes the handshake and forgets EHLO (TLS-01, TLS-04)', async ({
    expect,
  }) => {
    const client = track(await afterEhlo(server.port));
    const reply = await client.exchange('STARTTLS\r\n');
    expect(`${code(reply)} ${enhanced(reply)}`).toBe('220 2.0.0');
    const secure = await client.startTls({ rejectUnauthorized: false });
    expect(secure.encrypted).toBe(true);
    expect(code(await client.exchange(`${MAIL}\r\n`))).toBe('503');
  });

  it('inside TLS, lists AUTH but not STARTTLS, and refuses STARTTLS (TLS-03, TLS-07)', async ({
    expect,
  }) => {
    const client = track(await afterTls(server.port));
    const ehlo = await client.exchange(EHLO);
    expect(ehlo).not.toContain('STARTTLS');
    expect(ehlo).toContain('250-AUTH PLAIN LOGIN CRAM-MD5\r\n');
    expect(code(await client.exchange('STARTTLS\r\n'))).toBe('503');
  });

  it('discards the envelope given before STARTTLS (TLS-05)', async ({ expect }) => {
    const client = track(await afterEhlo(server.port));
    await pipelined(client, `${MAIL}\r\nRCPT TO:<a@scripted.test>\r\n`, 2);
    await afterTls(server.port, client);
    expect(await pipelined(client, `${EHLO}DATA\r\n`, 2)).toBe('250,503');
  });

  it.for(['NOOP\r\n', 'EHLO evil\r\n'])(
    'discards plaintext sent with STARTTLS in one segment: %j (TLS-08, TLS-09)',
    async (injected, { expect }) => {
      const client = track(await afterEhlo(server.port));
      client.send(`STARTTLS\r\n${injected}`);
      expect(code(await client.reply())).toBe('220');
      await client.startTls({ rejectUnauthorized: false });
      expect(await client.collect(QUIET_MS)).toBe('');
      expect(code(await client.exchange('NOOP\r\n'))).toBe('250');
    },
  );

  it.for([
    ['STARTTLS now', '501'],
    ['STARTTLS', '503'],
  ])('%j gets %s (TLS-02; before EHLO)', async ([command, expected], { expect }) => {
    const client = track(await open(server.port));
    if (expected === '501') await client.exchange(EHLO);
    expect(code(await client.exchange(`${command}\r\n`))).toBe(expected);
  });
});

describe.concurrent('AUTH (RFC 4954)', () => {
  it('is neither offered nor accepted before TLS by default (TLS-12)', async ({ expect }) => {
    const client = track(await open(server.port));
    expect(await client.exchange(EHLO)).not.toContain('AUTH');
    const reply = await client.exchange(`AUTH PLAIN ${AUTH_PLAIN}\r\n`);
    expect(`${code(reply)} ${enhanced(reply)}`).toBe('530 5.7.0');
  });

  it('accepts PLAIN with an initial response: 235 2.7.0 (AUT-01)', async ({ expect }) => {
    const reply = await (await secured()).exchange(`AUTH PLAIN ${AUTH_PLAIN}\r\n`);
    expect(`${code(reply)} ${enhanced(reply)}`).toBe('235 2.7.0');
  });

  it('sends exactly "334 " for PLAIN without an initial response (AUT-03)', async ({ expect }) => {
    const client = await secured();
    expect(await client.exchange('AUTH PLAIN\r\n')).toBe('334 \r\n');
    expect(code(await client.exchange(`${AUTH_PLAIN}\r\n`))).toBe('235');
  });

  it('runs LOGIN with base64 challenges, with and without an initial response', async ({
    expect,
  }) => {
    const { user, pass } = AUTH_ACCOUNT;
    const client = await secured();
    const first = await client.exchange('AUTH LOGIN\r\n');
    expect(first).toMatch(/^334 [A-Za-z0-9+/]+=*\r\n$/);
    expect(await pipelined(client, `${b64(user)}\r\n${b64(pass)}\r\n`, 2)).toBe('334,235');
    const other = await secured();
    expect(await pipelined(other, `AUTH LOGIN ${b64(user)}\r\n${b64(pass)}\r\n`, 2)).toBe(
      '334,235',
    );
  });

  it('runs CRAM-MD5 and refuses an initial response to it (AUT-10)', async ({ expect }) => {
    const { user, pass } = AUTH_ACCOUNT;
    const client = await secured();
    const challenge = Buffer.from(
      (await client.exchange('AUTH CRAM-MD5\r\n')).slice(4, -2),
      'base64',
    );
    const digest = createHmac('md5', pass).update(challenge).digest('hex');
    expect(code(await client.exchange(`${b64(`${user} ${digest}`)}\r\n`))).toBe('235');
    expect(code(await (await secured()).exchange('AUTH CRAM-MD5 Zm9v\r\n'))).toBe('501');
  });

  it.for([
    [`AUTH PLAIN ${b64('\0tester\0wrong')}`, '535 5.7.8'],
    ['AUTH PLAIN !!!notb64', '501 5.5.2'],
    ['AUTH PLAIN =AAA', '501 5.5.2'],
    ['AUTH PLAIN =', '535 5.7.8'],
    ['AUTH X-NOSUCH', '504 5.5.4'],
    ['AUTH', '501 5.5.4'],
    [`AUTH PLAIN ${b64(`\0tester\0${'x'.repeat(8992)}`)}`, '535 5.7.8'],
    [`AUTH PLAIN ${'A'.repeat(16_400)}`, '500 5.5.6'],
    [`${MAIL} AUTH=<>`, '250 2.1.0'],
  ])('%j gets %s (AUT-02, 05, 06, 07, 12, 13)', async ([command, expected], { expect }) => {
    const reply = await (await secured()).exchange(`${command}\r\n`);
    expect(`${code(reply)} ${enhanced(reply)}`).toBe(expected);
  });

  it.for([
    ['*', '501'],
    ['!!!', '501'],
    [b64('tester'), '334'],
  ])('answers the LOGIN response %j with %s (AUT-04)', async ([response, expected], { expect }) => {
    const client = await secured();
    await client.exchange('AUTH LOGIN\r\n');
    expect(code(await client.exchange(`${response}\r\n`))).toBe(expected);
    expect(code(await client.exchange('NOOP\r\n'))).toBe(expected === '334' ? '535' : '250');
  });

  it('refuses AUTH in a transaction, after success and before EHLO with 503 (AUT-08, 09, 15)', async ({
    expect,
  }) => {
    const plain = `AUTH PLAIN ${AUTH_PLAIN}\r\n`;
    expect(await pipelined(await secured(), `${MAIL}\r\n${plain}`, 2)).toBe('250,503');
    expect(await pipelined(await secured(), plain.repeat(2), 2)).toBe('235,503');
    expect(await quietCodes(track(await afterTls(server.port)), plain)).toBe('503');
  });

  it('with authOnlyAfterTls: false, offers and accepts AUTH in clear', async ({ expect }) => {
    const client = track(await open(inClear.port));
    expect(await client.exchange(EHLO)).toContain('250-AUTH PLAIN LOGIN CRAM-MD5\r\n');
    expect(code(await client.exchange(`AUTH PLAIN ${AUTH_PLAIN}\r\n`))).toBe('235');
  });
});
