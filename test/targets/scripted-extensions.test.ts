import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  EHLO,
  QUIET_MS,
  TRANSACTION,
  afterEhlo,
  code,
  enhanced,
  open,
  pipelined,
  quietCodes,
} from '../support/defect-probes.js';
import type { RawSmtpClient } from '../support/raw-smtp-client.js';
import { startScriptedServer } from '../support/scripted-server.js';
import type { ScriptedServer } from '../support/scripted-server.js';
import { SIZE_LIMIT } from '../support/server-profile.js';

/**
 * The conforming scripted server on the SMTP extensions it advertises (rfc-checklist §3.7 and
 * §3.10–3.19, STARTTLS and AUTH in scripted-tls-auth.test.ts). Each defect's probe is checked
 * in scripted-server.test.ts.
 */
const MAIL = 'MAIL FROM:<s@example.org>';
const RCPT = 'RCPT TO:<a@scripted.test>';
const ENVELOPE = `${MAIL}\r\n${RCPT}\r\n`;

let server: ScriptedServer;
let lmtp: ScriptedServer;
const clients: RawSmtpClient[] = [];
const session = async (hello = EHLO, port = server.port) => {
  const client = await afterEhlo(port, hello);
  clients.push(client);
  return client;
};

beforeAll(async () => {
  server = await startScriptedServer();
  lmtp = await startScriptedServer({ lmtp: true });
});
afterAll(async () => {
  for (const client of clients) client.close();
  await Promise.all([server.close(), lmtp.close()]);
});

describe.concurrent('SIZE (RFC 1870)', () => {
  it.for([
    [`${MAIL} SIZE=1000`, '250'],
    [`${MAIL} SIZE=${SIZE_LIMIT}`, '250'],
    [`${MAIL} SIZE=${SIZE_LIMIT + 1}`, '552'],
    [`${MAIL} SIZE=abc`, '501'],
    [`${MAIL} SIZE`, '501'],
  ])('%j gets %s', async ([command, expected], { expect }) => {
    expect(code(await (await session()).exchange(`${command}\r\n`))).toBe(expected);
  });

  it('refuses a message over the limit with one 552 after the final dot (SIZ-05)', async ({
    expect,
  }) => {
    const client = await session();
    await pipelined(client, TRANSACTION, 3);
    client.send(`${'x'.repeat(998)}\r\n`.repeat(Math.ceil(SIZE_LIMIT / 1000) + 2));
    const reply = await client.exchange('.\r\n');
    expect(`${code(reply)} ${enhanced(reply)}`).toBe('552 5.3.4');
    expect(await quietCodes(client, 'NOOP\r\n')).toBe('250');
  });

  it('refuses a BDAT LAST chunk over the limit with exactly one 552 (BDT-10)', async ({
    expect,
  }) => {
    const client = await session();
    await pipelined(client, ENVELOPE, 2);
    client.send(`BDAT ${SIZE_LIMIT + 1} LAST\r\n`);
    client.send('y'.repeat(SIZE_LIMIT + 1));
    expect(await quietCodes(client, 'NOOP\r\n')).toBe('552,250');
  });
});

describe.concurrent('PIPELINING (RFC 2920)', () => {
  it.for<[string, string]>([
    [`${MAIL}\r\n${RCPT}\r\nRCPT TO:<postmaster@scripted.test>\r\nDATA\r\n`, '250,250,250,354'],
    [`${MAIL}\r\nRCPT TO:<nobody-x@scripted.test>\r\nDATA\r\n`, '250,550,503'],
    ['NOOP\r\nFOOBAR\r\nNOOP\r\n', '250,500,250'],
    [`RSET\r\n${MAIL}\r\n${RCPT}\r\n`, '250,250,250'],
  ])(
    'answers the group %j in order, without waiting for more input',
    async ([group, codes], { expect }) => {
      expect(await quietCodes(await session(), group)).toBe(codes);
    },
  );

  it('keeps what follows the final dot in the same segment (PIP-03)', async ({ expect }) => {
    const client = await session();
    await pipelined(client, TRANSACTION, 3);
    client.send('Subject: p\r\n\r\nb\r\n.\r\nQUIT\r\n');
    expect((await client.collect(QUIET_MS)).split('\r\n').map(code)).toEqual(['250', '221', '']);
    expect(await client.waitClosed(QUIET_MS)).toBe(true);
  });
});

describe.concurrent('8BITMIME, SMTPUTF8, DSN parameters', () => {
  it.for([
    [`${MAIL} BODY=8BITMIME`, '250'],
    [`${MAIL} BODY=7bit`, '250'],
    [`${MAIL} BODY=BINARYMIME`, '250'],
    [`${MAIL} BODY=RABBIT`, '501'],
    [`${MAIL} SMTPUTF8`, '250'],
    [`${MAIL} SMTPUTF8=yes`, '501'],
    ['MAIL FROM:<\xc3\xa9@example.org>', '553'],
    ['MAIL FROM:<\xc3\xa9t\xc3\xa9@example.org> SMTPUTF8', '250'],
    [`${MAIL} RET=HDRS ENVID=QQ314159`, '250'],
    [`${MAIL} RET=full ENVID=a+2Bb`, '250'],
    [`${MAIL} RET=BOGUS`, '501'],
    [`${MAIL} RET=FULL RET=HDRS`, '501'],
    [`${MAIL} ENVID=a+ZZb`, '501'],
    [`${MAIL} ENVID=${'x'.repeat(101)}`, '501'],
    [`${MAIL} AUTH=<>`, '250'],
    [`${MAIL} AUTH=s+40example.org`, '250'],
    [`${MAIL} AUTH=a+ZZ`, '501'],
  ])('%j gets %s', async ([command, expected], { expect }) => {
    expect(code(await (await session()).exchange(`${command}\r\n`))).toBe(expected);
  });

  it('takes MAIL and RCPT lines long enough for their parameters (RFC 3461 §5.4)', async ({
    expect,
  }) => {
    const mail = `${MAIL} SIZE=1000 ENVID=${'e'.repeat(100)} RET=HDRS SMTPUTF8 AUTH=${'a'.repeat(500)}`;
    const rcpt = `${RCPT} NOTIFY=SUCCESS,FAILURE,DELAY ORCPT=rfc822;${'r'.repeat(474)}@a.test`;
    expect(await pipelined(await session(), `${mail}\r\n${rcpt}\r\n`, 2)).toBe('250,250');
    const overlong = `${MAIL} AUTH=${'a'.repeat(2100)}`;
    expect(code(await (await session()).exchange(`${overlong}\r\n`))).toBe('500');
  });

  it('gives 553 5.6.7 to a non-ASCII address without SMTPUTF8 (U8-03)', async ({ expect }) => {
    expect(enhanced(await (await session()).exchange('MAIL FROM:<\xc3\xa9@example.org>\r\n'))).toBe(
      '5.6.7',
    );
  });

  it.for([
    [MAIL, 'RCPT TO:<\xc3\xa9@scripted.test>', '553'],
    [`${MAIL} SMTPUTF8`, 'RCPT TO:<\xc3\xa9@scripted.test>', '250'],
    [MAIL, `${RCPT} NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@scripted.test`, '250'],
    [MAIL, `${RCPT} NOTIFY=NEVER`, '250'],
    [MAIL, `${RCPT} NOTIFY=never,success`, '501'],
    [MAIL, `${RCPT} NOTIFY=SUCCESS,SUCCESS`, '501'],
    [MAIL, `${RCPT} NOTIFY=SOMETIMES`, '501'],
    [MAIL, `${RCPT} ORCPT=a@scripted.test`, '501'],
    [MAIL, `${RCPT} NOTIFY=DELAY NOTIFY=DELAY`, '501'],
    [MAIL, `${RCPT} XFOO=1`, '555'],
  ])('after %j, %j gets %s', async ([mail, rcpt, expected], { expect }) => {
    expect(await pipelined(await session(), `${mail}\r\n${rcpt}\r\n`, 2)).toBe(`250,${expected}`);
  });

  it('accepts 8-bit message octets after BODY=8BITMIME (8BM-04)', async ({ expect }) => {
    const client = await session();
    await pipelined(client, `${MAIL} BODY=8BITMIME\r\n${RCPT}\r\nDATA\r\n`, 3);
    expect(code(await client.exchange('Subject: \xc3\xa9\r\n\r\ncaf\xc3\xa9\r\n.\r\n'))).toBe(
      '250',
    );
  });
});

describe.concurrent('ENHANCEDSTATUSCODES (RFC 2034 §4)', () => {
  it('prefixes every 2xx/4xx/5xx reply but greeting and EHLO/HELO with a class-consistent code', async ({
    expect,
  }) => {
    const client = await session();
    const commands = [
      MAIL,
      'RCPT TO:<nobody@scripted.test>',
      'DATA',
      RCPT,
      'RSET',
      'NOOP',
      'VRFY postmaster',
      'EXPN postmaster',
      'HELP',
      'FOOBAR',
      `NOOP ${'x'.repeat(600)}`,
      'MAIL FROM:<a@b_c>',
      `${MAIL} XFOO=1`,
      `${MAIL} SIZE=${SIZE_LIMIT + 1}`,
      'DATA',
      'BDAT 0 LAST',
      'STARTTLS x',
      'AUTH PLAIN',
      'MAIL FROM:<\xc3\xa9@example.org>',
      'QUIT',
    ];
    client.send(commands.map((command) => `${command}\r\n`).join(''));
    const lines = (await client.collect(QUIET_MS)).split('\r\n').slice(0, -1);
    expect(lines).toHaveLength(commands.length);
    for (const line of lines) expect(line).toMatch(/^([245])\d\d [245]\.\d{1,3}\.\d{1,3} /);
    for (const line of lines) expect(enhanced(line)[0], line).toBe(line[0]);
  });
});

describe.concurrent('CHUNKING and BINARYMIME (RFC 3030)', () => {
  const body = 'Subject: b\r\n\r\nbody\r\n';
  it.for<[string, string, string]>([
    ['BDT-01 one LAST chunk', `${ENVELOPE}BDAT ${body.length} LAST\r\n${body}`, '250,250,250'],
    [
      'BDT-02 zero-length LAST',
      `${ENVELOPE}BDAT 10\r\n0123456789BDAT 0 LAST\r\n`,
      '250,250,250,250',
    ],
    ['BDT-03 DATA after a chunk', `${ENVELOPE}BDAT 5\r\nhelloDATA\r\n`, '250,250,250,503'],
    ['BDT-04 refused BDAT still reads its octets', 'BDAT 6 LAST\r\nNOOP\r\nNOOP\r\n', '503,250'],
    [
      'BDT-05 no in-band terminator',
      `${ENVELOPE}BDAT 31 LAST\r\nx\r\n.\r\nMAIL FROM:<a@b.example>\r\n`,
      '250,250,250',
    ],
    [
      'BDT-06 BINARYMIME then DATA',
      `${MAIL} BODY=BINARYMIME\r\n${RCPT}\r\nDATA\r\n`,
      '250,250,503',
    ],
    [
      'BDT-07 malformed size',
      `${ENVELOPE}BDAT abc\r\nBDAT 1x\r\nBDAT -1\r\n`,
      '250,250,501,501,501',
    ],
    [
      'BDT-08 RSET clears',
      `${ENVELOPE}BDAT 5\r\nhelloRSET\r\nBDAT 0 LAST\r\n`,
      '250,250,250,250,503',
    ],
    [
      'BINARYMIME with BDAT',
      `${MAIL} BODY=BINARYMIME\r\n${RCPT}\r\nBDAT 3 LAST\r\n\0\xff\n`,
      '250,250,250',
    ],
    [
      'a BDAT after LAST',
      `${ENVELOPE}BDAT 0 LAST\r\nBDAT 4\r\nNOOPNOOP\r\n`,
      '250,250,250,503,250',
    ],
    ['BDAT without RCPT', `${MAIL}\r\nBDAT 6\r\nRSET\r\n`, '250,503'],
  ])('%s', async ([, bytes, codes], { expect }) => {
    expect(await quietCodes(await session(), bytes)).toBe(codes);
  });

  it('reads a chunk split across many segments', async ({ expect }) => {
    const client = await session();
    await pipelined(client, `${ENVELOPE}BDAT 12 LAST\r\n`, 2);
    for (const part of ['NOOP', '\r\n', 'NOOP\r']) {
      client.send(part);
      expect(await client.collect(20)).toBe('');
    }
    expect(await quietCodes(client, '\nNOOP\r\n')).toBe('250,250');
  });
});

describe.concurrent('end of data and command lines (rfc-checklist §3.7)', () => {
  it.for([
    '\n.\n',
    '\n.\r\n',
    '\r\n.\n',
    '\r.\r',
    '\r.\n',
    '\n.\r',
    '\r.\r\n',
    '\r\n.\r',
    '\r\n\0.\r\n',
    '\r\n.\0\r\n',
    '\r\n.\r\r\n',
    '\r\r\n.\r\r\n',
    '\r\n.\nBDAT 86 LAST\r\n',
  ])('%j is message content: one 250 after the final CRLF.CRLF', async (sequence, { expect }) => {
    const client = await session();
    await pipelined(client, TRANSACTION, 3);
    client.send(`Subject: t\r\n\r\nline${sequence}`);
    expect(await client.collect(QUIET_MS)).toBe('');
    const smuggled = `MAIL FROM:<smug@example.org>\r\n${RCPT}\r\nDATA\r\nSubject: s\r\n\r\nx\r\n.\r\n`;
    expect(await quietCodes(client, smuggled)).toBe('250');
  });

  it('does not end a command at a bare LF or a bare CR (CRL-01, CRL-02)', async ({ expect }) => {
    const client = await session();
    expect(await quietCodes(client, 'NOOP\n')).toBe('');
    expect(await quietCodes(client, '\r\n')).toBe('500');
    expect(await quietCodes(client, 'NOOP\rNOOP\r\n')).toBe('500');
    expect(await quietCodes(client, 'NOOP\r\n')).toBe('250');
  });
});

describe.concurrent('LMTP (RFC 2033), with the lmtp option', () => {
  it('greets with 220, answers LHLO with PIPELINING and ENHANCEDSTATUSCODES, refuses EHLO/HELO', async ({
    expect,
  }) => {
    const client = await open(lmtp.port);
    clients.push(client);
    const lhlo = await client.exchange('LHLO c.example\r\n');
    expect(lhlo).toMatch(/^250-/);
    expect(lhlo).toContain('250-PIPELINING\r\n');
    expect(lhlo).toContain('ENHANCEDSTATUSCODES\r\n');
    expect(await quietCodes(client, `${EHLO}HELO c.example\r\n`)).toBe('500,500');
  });

  it('gives one reply per accepted recipient after the final dot, in RCPT order (LMT-04)', async ({
    expect,
  }) => {
    const client = await session('LHLO c.example\r\n', lmtp.port);
    const rcpts = `${RCPT}\r\nRCPT TO:<bad@scripted.test>\r\nRCPT TO:<b@scripted.test>\r\n`;
    expect(await pipelined(client, `${MAIL}\r\n${rcpts}DATA\r\n`, 5)).toBe('250,250,550,250,354');
    expect(await quietCodes(client, 'Subject: t\r\n\r\nx\r\n.\r\n')).toBe('250,250');
    expect(
      await quietCodes(client, `${ENVELOPE}RCPT TO:<c@scripted.test>\r\nBDAT 0 LAST\r\n`),
    ).toBe('250,250,250,250,250');
  });

  it('refuses DATA when every recipient was refused (LMT-05)', async ({ expect }) => {
    const client = await session('LHLO c.example\r\n', lmtp.port);
    expect(await quietCodes(client, `${MAIL}\r\nRCPT TO:<bad@scripted.test>\r\nDATA\r\n`)).toBe(
      '250,550,503',
    );
  });
});
