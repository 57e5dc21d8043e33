import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { openSession } from '../../src/protocol/session.js';
import { generateLoopbackCertificate, type TlsIdentity } from '../../src/targets/certificate.js';
import { DataScanner } from '../../src/targets/sink-data-scanner.js';
import {
  startSinkTarget,
  type RunningSink,
  type SinkTargetOptions,
} from '../../src/targets/sink-target.js';
import { chunkings } from '../protocol/helpers/chunkings.js';
import { RawSmtpClient } from '../support/raw-smtp-client.js';

/** Generous: the machine is shared, and only lower bounds of time are asserted. */
const WAIT_MS = 5000;
const CREDENTIALS = { user: 'gauge', pass: 'sink-secret' };
const code = (reply: string): string => reply.slice(0, 3);
const plain = (user: string, pass: string): string =>
  Buffer.from(`\0${user}\0${pass}`, 'utf8').toString('base64');

const sinks: RunningSink[] = [];
const clients: RawSmtpClient[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(sinks.splice(0).map((sink) => sink.close()));
});

async function sink(options: SinkTargetOptions = {}): Promise<RunningSink> {
  const started = await startSinkTarget(options);
  sinks.push(started);
  return started;
}

/** A connection that has read the greeting, and sent EHLO unless `ehlo` is false. */
async function session(target: RunningSink, ehlo = true): Promise<RawSmtpClient> {
  const client = await RawSmtpClient.connect(target.port, target.host);
  clients.push(client);
  expect(await client.reply(WAIT_MS)).toMatch(/^220 /);
  if (ehlo) expect(code(await client.exchange('EHLO c.example\r\n', WAIT_MS))).toBe('250');
  return client;
}

/** Sends the commands one at a time; the reply codes, comma-separated. */
async function codes(client: RawSmtpClient, commands: readonly string[]): Promise<string> {
  const result: string[] = [];
  for (const command of commands) {
    result.push(code(await client.exchange(`${command}\r\n`, WAIT_MS)));
  }
  return result.join(',');
}

/** Reads `count` replies; their codes, comma-separated. */
async function replyCodes(client: RawSmtpClient, count: number): Promise<string> {
  const result: string[] = [];
  for (let i = 0; i < count; i++) result.push(code(await client.reply(WAIT_MS)));
  return result.join(',');
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('sink target: the dialogue', () => {
  it('greets at once and advertises its extensions, STARTTLS and AUTH only when configured', async () => {
    const bare = await sink();
    expect(bare.host).toBe('127.0.0.1');
    const client = await session(bare, false);
    const ehlo = await client.exchange('EHLO c.example\r\n', WAIT_MS);
    const lines = ehlo.split('\r\n').slice(0, -1);
    expect(lines[0]).toBe('250-example.test');
    expect(lines.slice(1).map((line) => line.slice(4))).toEqual([
      'PIPELINING',
      '8BITMIME',
      'SIZE 10485760',
      'CHUNKING',
      'ENHANCEDSTATUSCODES',
    ]);
    expect(lines.at(-1)).toMatch(/^250 /);

    const full = await sink({ certificate: await identity(), credentials: CREDENTIALS });
    const keywords = (await (await session(full, false)).exchange('EHLO c\r\n', WAIT_MS))
      .split('\r\n')
      .map((line) => line.slice(4));
    expect(keywords).toEqual(expect.arrayContaining(['AUTH PLAIN', 'STARTTLS']));
  });

  it('takes a whole message from the protocol client and counts it', async () => {
    const target = await sink();
    const opened = await openSession({
      host: target.host,
      port: target.port,
      tls: 'none',
      connectTimeoutMs: WAIT_MS,
    });
    if (!opened.ok) throw new Error(opened.failure.message);
    const smtp = opened.session;
    const steps: [string, RegExp][] = [
      ['EHLO c.example', /^250 example\.test$/],
      ['MAIL FROM:<s@example.org>', /^250 2\.1\.0 /],
      ['RCPT TO:<r@example.net>', /^250 2\.1\.5 /],
      ['DATA', /^354 /],
      ['Subject: t\r\n\r\nhello\r\n.', /^250 2\.0\.0 /],
      ['QUIT', /^221 2\.0\.0 /],
    ];
    const next = async (): Promise<string> => {
      const outcome = await smtp.readReply(WAIT_MS);
      return outcome.kind === 'reply'
        ? `${outcome.reply.code} ${outcome.reply.lines[0]}`
        : outcome.kind;
    };
    try {
      expect(await next()).toBe('220 example.test ESMTP smtpgauge sink');
      for (const [command, reply] of steps) {
        smtp.sendLine(command);
        expect(await next()).toMatch(reply);
      }
      expect((await smtp.waitForClose(WAIT_MS)).kind).toBe('closed');
    } finally {
      await smtp.close();
    }
    const stats = target.stats();
    expect(stats).toMatchObject({ connections: 1, messages: 1, messageOctets: 21 });
    expect(stats.commands).toMatchObject({ EHLO: 1, MAIL: 1, RCPT: 1, DATA: 1, QUIT: 1, OTHER: 0 });
    expect(stats.bytesReceived).toBe(
      Buffer.byteLength(steps.map(([command]) => `${command}\r\n`).join('')),
    );
  });

  it('answers pipelined commands in order, in one write', async () => {
    const target = await sink();
    const socket = connect(target.port, target.host);
    sockets.push(socket);
    const chunks: string[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk.toString('latin1')));
    await until(() => chunks.length === 1, 'the greeting');
    socket.write('EHLO c\r\n');
    await until(() => chunks.length === 2, 'the EHLO reply');
    socket.write(
      'MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nRCPT TO:<e@f.example>\r\nDATA\r\n',
    );
    await until(() => chunks.join('').includes('354 '), 'the 354');
    const replies = chunks.slice(2).join('').split('\r\n').slice(0, -1);
    expect(replies.map(code)).toEqual(['250', '250', '250', '354']);
    expect(replies[0]).toMatch(/^250 2\.1\.0 /);
    // The four replies were one write; on loopback that is one segment and one 'data' event.
    expect(chunks).toHaveLength(3);
  });

  it('keeps the command order and refuses commands out of sequence', async () => {
    const client = await session(await sink(), false);
    expect(await codes(client, ['MAIL FROM:<a@b>', 'HELO c.example', 'RCPT TO:<x@y>'])).toBe(
      '503,250,503',
    );
    expect(await codes(client, ['MAIL FROM:<>', 'MAIL FROM:<a@b>', 'DATA'])).toBe('250,503,554');
    expect(await codes(client, ['RSET', 'DATA', 'NOOP', 'VRFY x', 'HELP', 'EXPN x'])).toBe(
      '250,503,250,252,214,502',
    );
    expect(await codes(client, ['MAIL FROM:a@b', 'MAIL FROM:<a@b> SIZE=99999999999'])).toBe(
      '501,552',
    );
    expect(await codes(client, ['MAIL FROM:<a@b> SIZE=10', 'RCPT TO:<>', 'RCPT TO:<p@q>'])).toBe(
      '250,501,250',
    );
    expect(await codes(client, ['XYZZY', 'EHLO', 'DATA now'])).toBe('500,501,501');
    expect(await client.exchange(`NOOP ${'x'.repeat(5000)}\r\n`, WAIT_MS)).toMatch(/^500 5\.5\.2 /);
    expect(await codes(client, ['noop'])).toBe('250');
  });
});

describe('sink target: message data', () => {
  it('finds the terminator split across reads at every byte offset', async () => {
    const target = await sink();
    const client = await session(target);
    const message = Buffer.from('Subject: s\r\n\r\n..a\r\n.\r\n', 'latin1');
    const unstuffed = 'Subject: s\r\n\r\n.a\r\n'.length;
    const envelope = 'MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n';
    for (let cut = 1; cut < message.length; cut++) {
      const before = target.stats().bytesReceived;
      client.send(envelope);
      expect(await replyCodes(client, 3)).toBe('250,250,354');
      client.send(message.subarray(0, cut));
      // The second part is sent once the sink has read the first: two separate reads.
      const firstPart = before + envelope.length + cut;
      await until(() => target.stats().bytesReceived === firstPart, `the first ${cut} octets`);
      client.send(message.subarray(cut));
      expect(await client.reply(WAIT_MS), `cut at ${cut}`).toMatch(/^250 2\.0\.0 /);
    }
    expect(target.stats()).toMatchObject({
      messages: message.length - 1,
      messageOctets: (message.length - 1) * unstuffed,
    });
  });

  it('scans every chunking of stuffed bodies to the same end and size', () => {
    const bodies: [string, number][] = [
      ['.\r\n', 0],
      ['a\r\n.\r\n', 3],
      ['..\r\n.\r\n', 3],
      ['x\r\n..y\r\n.\r\n', 7],
      ['\n.\n\r.\r\r\n.\r\n', 8],
      ['.\rz\r\n.\r\n', 4],
      ['a\r\n.\r\r\n.\r\n', 6],
    ];
    for (const [text, octets] of bodies) {
      const input = Buffer.from(`${text}NEXT`, 'latin1');
      for (const { name, chunks } of chunkings(input)) {
        const scanner = new DataScanner();
        let offset = 0;
        let end = -1;
        for (const chunk of chunks) {
          const at = end === -1 ? scanner.push(chunk) : -1;
          if (end === -1 && at !== -1) end = offset + at;
          offset += chunk.length;
        }
        expect([end, scanner.octets], `${JSON.stringify(text)}, ${name}`).toEqual([
          text.length,
          octets,
        ]);
      }
    }
  });

  it('counts a dot-stuffed body without its transparency dots', async () => {
    const target = await sink();
    const client = await session(target);
    client.send('MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n');
    expect(await replyCodes(client, 3)).toBe('250,250,354');
    const lines = ['..', '...leading', '.x', 'mid.dle', ''];
    client.send(`${lines.join('\r\n')}\r\n.\r\nNOOP\r\n`);
    expect(await replyCodes(client, 2)).toBe('250,250');
    const unstuffed = lines.map((line) => line.replace(/^\./, '')).join('\r\n') + '\r\n';
    expect(target.stats().messageOctets).toBe(unstuffed.length);
  });

  it('takes BDAT chunks, binary and pipelined, and refuses DATA after them', async () => {
    const target = await sink();
    const client = await session(target);
    const chunk = Buffer.from('ab\r\n.\r\nBDAT\0\xff', 'latin1');
    client.send('MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n');
    client.send(Buffer.concat([Buffer.from(`BDAT ${chunk.length}\r\n`), chunk]));
    client.send('DATA\r\nBDAT 3 last\r\nxyz');
    expect(await replyCodes(client, 5)).toBe('250,250,250,503,250');
    expect(await codes(client, ['BDAT 0 LAST'])).toBe('503');
    client.send('MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 2\r\nhiBDAT x\r\nBDAT 0 LAST\r\n');
    expect(await replyCodes(client, 5)).toBe('250,250,250,501,250');
    expect(target.stats()).toMatchObject({ messages: 2, messageOctets: chunk.length + 3 + 2 });
  });
});

describe('sink target: STARTTLS and AUTH', () => {
  it('upgrades with STARTTLS, forgets the EHLO and ignores what was pipelined after it', async () => {
    const target = await sink({ certificate: await identity() });
    const client = await session(target);
    client.send('STARTTLS\r\nNOOP\r\n');
    expect(await client.reply(WAIT_MS)).toMatch(/^220 2\.0\.0 /);
    const tls = await client.startTls({ servername: 'localhost', rejectUnauthorized: false });
    expect(tls.getPeerCertificate().subject.CN).toBe('localhost');
    // RFC 3207 §4.2: the pre-TLS EHLO is forgotten, and the injected NOOP was never answered.
    expect(await client.exchange('MAIL FROM:<a@b>\r\n', WAIT_MS)).toMatch(/^503 /);
    const ehlo = await client.exchange('EHLO c.example\r\n', WAIT_MS);
    expect(ehlo).toMatch(/^250-/);
    expect(ehlo).not.toContain('STARTTLS');
    expect(await codes(client, ['STARTTLS', 'MAIL FROM:<a@b>', 'RCPT TO:<c@d>', 'DATA'])).toBe(
      '503,250,250,354',
    );
    expect(await client.exchange('hi\r\n.\r\n', WAIT_MS)).toMatch(/^250 /);
    expect(target.stats().messages).toBe(1);
  });

  it('accepts AUTH PLAIN with the configured account only', async () => {
    const target = await sink({ credentials: CREDENTIALS });
    const { user, pass } = CREDENTIALS;
    const bad = await session(target);
    expect(await bad.exchange(`AUTH PLAIN ${plain(user, 'wrong')}\r\n`, WAIT_MS)).toMatch(
      /^535 5\.7\.8 /,
    );
    const good = await session(target);
    expect(await good.exchange(`AUTH PLAIN ${plain(user, pass)}\r\n`, WAIT_MS)).toMatch(/^235 /);
    expect(await codes(good, [`AUTH PLAIN ${plain(user, pass)}`])).toBe('503');
    const twoStep = await session(target);
    expect(await twoStep.exchange('auth plain\r\n', WAIT_MS)).toBe('334 \r\n');
    expect(await codes(twoStep, [plain(user, pass), 'AUTH LOGIN'])).toBe('235,503');
    const other = await session(target);
    expect(await codes(other, ['AUTH LOGIN', 'AUTH PLAIN', '*'])).toBe('504,334,501');
    const none = await session(await sink());
    expect(await codes(none, [`AUTH PLAIN ${plain(user, pass)}`, 'STARTTLS'])).toBe('502,502');
  });
});

describe('sink target: injected delays and faults', () => {
  it('holds a delayed reply for at least its delay', async () => {
    const target = await sink({ delays: { greeting: 120, rcpt: 150 } });
    const connectedAt = performance.now();
    const client = await session(target, false);
    expect(performance.now() - connectedAt).toBeGreaterThanOrEqual(120);
    expect(await codes(client, ['EHLO c', 'MAIL FROM:<a@b>'])).toBe('250,250');
    const sentAt = performance.now();
    expect(await client.exchange('RCPT TO:<c@d>\r\n', WAIT_MS)).toMatch(/^250 /);
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(150);
  });

  it('keeps pipelined replies in order when an earlier one waits longer', async () => {
    const target = await sink({ delays: { mail: 200, rcpt: 10, data: 0 } });
    const client = await session(target);
    const sentAt = performance.now();
    client.send('MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nNOOP\r\nDATA\r\n');
    const replies: string[] = [];
    for (let i = 0; i < 4; i++) replies.push(await client.reply(WAIT_MS));
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(200);
    expect(replies.map(code)).toEqual(['250', '250', '250', '354']);
    expect(replies[0]).toMatch(/^250 2\.1\.0 /);
    expect(replies[1]).toMatch(/^250 2\.1\.5 /);
    expect(replies[2]).toMatch(/^250 2\.0\.0 Ok/);
  });

  it('delays the end of a message and QUIT too', async () => {
    const target = await sink({ delays: { eod: 80, bdat: 40, quit: 60 } });
    const client = await session(target);
    expect(await codes(client, ['MAIL FROM:<a@b>', 'RCPT TO:<c@d>'])).toBe('250,250');
    let sentAt = performance.now();
    expect(await client.exchange('BDAT 0 LAST\r\n', WAIT_MS)).toMatch(/^250 /);
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(120);
    sentAt = performance.now();
    expect(await client.exchange('QUIT\r\n', WAIT_MS)).toMatch(/^221 /);
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(60);
    expect(await client.waitClosed(WAIT_MS)).toBe(true);
  });

  it('fails MAIL replies the same way twice for the same seed', async () => {
    const run = async (seed: number): Promise<string> => {
      const target = await sink({ tempFailRate: 0.25, permFailRate: 0.25, seed });
      const client = await session(target);
      const commands = Array.from({ length: 40 }, () => ['MAIL FROM:<a@b>', 'RSET']).flat();
      const sequence = await codes(client, commands);
      const mails = sequence.split(',').filter((_, i) => i % 2 === 0);
      const { faults } = target.stats();
      expect(faults.tempFail).toBe(mails.filter((c) => c === '451').length);
      expect(faults.permFail).toBe(mails.filter((c) => c === '554').length);
      return mails.join(',');
    };
    const first = await run(42);
    expect(first).toMatch(/250/);
    expect(first).toMatch(/451/);
    expect(first).toMatch(/554/);
    expect(await run(42)).toBe(first);
    expect(await run(43)).not.toBe(first);
  });

  it('fails RCPT and end-of-data replies too, and never other replies', async () => {
    const target = await sink({ tempFailRate: 0.5, seed: 7 });
    const client = await session(target);
    const seen = { MAIL: new Set<string>(), RCPT: new Set<string>(), eod: new Set<string>() };
    for (let i = 0; i < 40; i++) {
      expect(await codes(client, ['RSET', 'NOOP'])).toBe('250,250');
      const mail = await codes(client, ['MAIL FROM:<a@b>']);
      seen.MAIL.add(mail);
      if (mail !== '250') continue;
      const rcpt = await codes(client, ['RCPT TO:<c@d>']);
      seen.RCPT.add(rcpt);
      if (rcpt !== '250') continue;
      seen.eod.add(await codes(client, ['DATA', 'x\r\n.']).then((c) => c.slice(4)));
    }
    expect(seen).toEqual({
      MAIL: new Set(['250', '451']),
      RCPT: new Set(['250', '451']),
      eod: new Set(['250', '451']),
    });
    const perm = await session(await sink({ permFailRate: 1 }));
    expect(await codes(perm, ['RCPT TO:<c@d>', 'MAIL FROM:<a@b>'])).toBe('503,554');
  });

  it('drops the connection instead of replying at a disconnect rate of 100%', async () => {
    const target = await sink({ disconnectRate: 1 });
    const client = await session(target, false);
    client.send('EHLO c.example\r\n');
    expect(await client.waitClosed(WAIT_MS)).toBe(true);
    expect(await client.collect(0)).toBe('');
    expect(target.stats().faults.disconnect).toBe(1);
  });

  it('greets the connection over maxConnections with 421', async () => {
    const target = await sink({ maxConnections: 1 });
    await session(target, false);
    const second = await RawSmtpClient.connect(target.port);
    clients.push(second);
    expect(await second.reply(WAIT_MS)).toMatch(/^421 4\.7\.0 /);
    expect(await second.waitClosed(WAIT_MS)).toBe(true);
    expect(target.stats()).toMatchObject({ connections: 2, refusedConnections: 1 });
  });

  it('rejects unusable options with every problem at once', async () => {
    await expect(
      startSinkTarget({ tempFailRate: 0.8, permFailRate: 0.5, delays: { rcpt: -1 }, port: 70000 }),
    ).rejects.toThrow(
      /port must be .*; tempFailRate \+ permFailRate must not exceed 1; delays\.rcpt must be/,
    );
  });
});

describe('sink target: lifecycle and real clients', () => {
  it('close() ends open connections and stops listening', async () => {
    const target = await startSinkTarget({ certificate: await identity() });
    const idle = await session(target);
    const secure = await session(target);
    expect(await secure.exchange('STARTTLS\r\n', WAIT_MS)).toMatch(/^220 /);
    await secure.startTls({ rejectUnauthorized: false });
    const inData = await session(target);
    inData.send('MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\npartial body');
    expect(await replyCodes(inData, 3)).toBe('250,250,354');
    expect(target.stats().openConnections).toBe(3);
    await target.close();
    expect(await idle.waitClosed(WAIT_MS)).toBe(true);
    expect(await secure.waitClosed(WAIT_MS)).toBe(true);
    expect(await inData.waitClosed(WAIT_MS)).toBe(true);
    expect(target.stats().openConnections).toBe(0);
    await expect(RawSmtpClient.connect(target.port)).rejects.toThrow(/ECONNREFUSED/);
    await target.close();
  });

  it('stops reading from a client that does not read its replies, and catches up later', async () => {
    const target = await sink();
    const socket = connect(target.port, target.host);
    sockets.push(socket);
    let received = '';
    socket.on('data', (chunk: Buffer) => void (received += chunk.toString('latin1')));
    await until(() => received.startsWith('220 '), 'the greeting');
    socket.pause();
    // 12 MB of NOOPs asks for 28 MB of replies: more than the loopback buffers hold.
    const count = 2_000_000;
    const noops = Buffer.from('NOOP\r\n'.repeat(count), 'latin1');
    socket.write(noops);
    let seen = -1;
    await until(() => {
      const now = target.stats().bytesReceived;
      const stable = now === seen && now > 0;
      seen = now;
      return stable;
    }, 'the sink to stop reading');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(target.stats().bytesReceived).toBe(seen);
    expect(seen).toBeLessThan(noops.length);
    socket.resume();
    const total = '220 example.test ESMTP smtpgauge sink\r\n'.length + count * 14;
    await until(() => received.length === total, 'every reply');
    expect(target.stats().commands.NOOP).toBe(count);
  });

  it('closes an idle connection with 421', async () => {
    const target = await sink({ idleTimeoutMs: 100 });
    const client = await session(target);
    expect(await client.reply(WAIT_MS)).toMatch(/^421 4\.4\.2 /);
    expect(await client.waitClosed(WAIT_MS)).toBe(true);
  });

  it('receives mail from nodemailer, plain and over STARTTLS with AUTH', async () => {
    const target = await sink({ certificate: await identity(), credentials: CREDENTIALS });
    const message = {
      from: 'sender@example.org',
      to: ['one@example.net', 'two@example.net'],
      subject: 'sink',
      text: '.leading dot\nsecond line\n',
    };
    const plainTransport = nodemailer.createTransport({
      host: target.host,
      port: target.port,
      ignoreTLS: true,
    });
    const tlsTransport = nodemailer.createTransport({
      host: target.host,
      port: target.port,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
      auth: CREDENTIALS,
    });
    try {
      for (const transport of [plainTransport, tlsTransport]) {
        const info = await transport.sendMail(message);
        expect(info.accepted).toEqual(message.to);
        expect(info.response).toMatch(/^250 2\.0\.0 /);
      }
    } finally {
      plainTransport.close();
      tlsTransport.close();
    }
    const stats = target.stats();
    expect(stats.messages).toBe(2);
    expect(stats.commands).toMatchObject({ STARTTLS: 1, AUTH: 1, RCPT: 4 });
  });
});

let certificate: TlsIdentity | undefined;

async function identity(): Promise<TlsIdentity> {
  return (certificate ??= await generateLoopbackCertificate());
}
