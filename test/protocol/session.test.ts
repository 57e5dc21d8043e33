import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openSession, type SessionOptions, type SmtpSession } from '../../src/protocol/session.js';
import {
  closedPort,
  delay,
  onLines,
  startServer,
  type Handler,
  type TestServer,
} from './helpers/servers.js';

/**
 * The raw client against real plain-TCP servers on loopback. Every test registers what it
 * opens in `open`, and `afterEach` closes it all.
 */
const open: { sessions: SmtpSession[]; servers: TestServer[] } = { sessions: [], servers: [] };

afterEach(async () => {
  await Promise.all(open.sessions.map((s) => s.close()));
  await Promise.all(open.servers.map((s) => s.close()));
  open.sessions = [];
  open.servers = [];
});

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  open.servers.push(server);
  return server;
}

async function connect(
  server: TestServer,
  extra: Partial<SessionOptions> = {},
): Promise<SmtpSession> {
  const opened = await openSession({
    host: '127.0.0.1',
    port: server.port,
    tls: 'none',
    connectTimeoutMs: 2000,
    ...extra,
  });
  if (!opened.ok) throw new Error(`test setup: ${opened.failure.message}`);
  open.sessions.push(opened.session);
  return opened.session;
}

const greet =
  (text = '220 mx.test ESMTP\r\n'): Handler =>
  (socket) =>
    socket.write(text);
const latin1 = (buffer: Buffer): string => buffer.toString('latin1');
const entryTexts = (session: SmtpSession): string[] =>
  session.transcript.entries().map((e) => `${e.dir}: ${e.text}`);

/** Answers each pipelined command in order, writing the replies the way `send` chooses. */
function answering(replies: string[], send: (socket: Socket, bytes: string) => void): Handler {
  return (socket) => {
    socket.write('220 mx.test\r\n');
    let seen = 0;
    onLines(socket, () => {
      if (++seen === replies.length) send(socket, replies.join(''));
    });
  };
}

describe('SmtpSession: reading replies', () => {
  it('reads the greeting and records the connect and the server line', async () => {
    const session = await connect(await serve(greet('220-mx.test ESMTP\r\n220 ready\r\n')));
    const outcome = await session.readReply(2000);
    expect(outcome.kind).toBe('reply');
    if (outcome.kind !== 'reply') return;
    expect(outcome.reply.code).toBe(220);
    expect(outcome.reply.lines).toEqual(['mx.test ESMTP', 'ready']);
    expect(session.isTls).toBe(false);
    expect(entryTexts(session)).toEqual([
      '*: connected to 127.0.0.1:' + open.servers[0]!.port,
      'S: 220-mx.test ESMTP',
      'S: 220 ready',
    ]);
  });

  it.each([
    ['in one chunk', (socket: Socket, bytes: string) => socket.write(bytes)],
    [
      'split into 3-octet chunks',
      (socket: Socket, bytes: string) => {
        const write = async (): Promise<void> => {
          for (let i = 0; i < bytes.length; i += 3) {
            socket.write(bytes.slice(i, i + 3));
            await delay(1);
          }
        };
        void write();
      },
    ],
  ])('pipelines three commands in one write with replies %s', async (_name, send) => {
    const replies = [
      '250 2.1.0 sender ok\r\n',
      '250-2.1.5 rcpt\r\n250 2.1.5 ok\r\n',
      '354 go ahead\r\n',
    ];
    const session = await connect(await serve(answering(replies, send)));
    await session.readReply(2000);
    session.write('MAIL FROM:<a@x>\r\nRCPT TO:<b@y>\r\nDATA\r\n');
    const outcomes = await Promise.all([
      session.readReply(2000),
      session.readReply(2000),
      session.readReply(2000),
    ]);
    expect(
      outcomes.map((o) =>
        o.kind === 'reply' ? `${o.reply.code} ${o.reply.enhanced ?? ''}` : o.kind,
      ),
    ).toEqual(['250 2.1.0', '250 2.1.5', '354 ']);
    const clientLines = session.transcript.entries().filter((e) => e.dir === 'C');
    expect(clientLines.map((e) => e.text)).toEqual(['MAIL FROM:<a@x>', 'RCPT TO:<b@y>', 'DATA']);
  });

  it('queues replies that arrived unrequested and returns them first, in order', async () => {
    const session = await connect(await serve(greet('220 a\r\n250 b\r\n550 c\r\n')));
    await delay(50);
    const codes = [];
    for (let i = 0; i < 3; i++) {
      const o = await session.readReply(100);
      codes.push(o.kind === 'reply' ? o.reply.code : o.kind);
    }
    expect(codes).toEqual([220, 250, 550]);
  });

  it('times out on a silent server, with the bytes of an incomplete reply', async () => {
    const session = await connect(await serve(greet('220-still\r\n220 typ')));
    const started = Date.now();
    const outcome = await session.readReply(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(outcome.kind).toBe('timeout');
    if (outcome.kind !== 'timeout') return;
    expect(latin1(outcome.partial)).toBe('220-still\r\n220 typ');
    expect(entryTexts(session)).toContain(
      '*: timeout: no complete reply within 200 ms (18 octets of an incomplete reply)',
    );
    expect(entryTexts(session)).toContain('S: 220 typ [no line end]');
  });

  it('times out with an empty partial when nothing came at all', async () => {
    const session = await connect(await serve(() => undefined));
    const outcome = await session.readReply(150);
    expect(outcome).toEqual({ kind: 'timeout', partial: Buffer.alloc(0) });
  });

  it('reports closed when the server closes mid-reply', async () => {
    const session = await connect(await serve((socket) => socket.end('250-first\r\n250 sec')));
    const outcome = await session.readReply(2000);
    expect(outcome.kind).toBe('closed');
    if (outcome.kind !== 'closed') return;
    expect(latin1(outcome.partial)).toBe('250-first\r\n250 sec');
    expect(session.isClosed).toBe(true);
    expect(entryTexts(session).slice(-2)).toEqual([
      'S: 250 sec [no line end]',
      '*: connection closed by server',
    ]);
  });

  it('reports closed, not an error, when the server resets the connection', async () => {
    const session = await connect(
      await serve((socket) => setTimeout(() => socket.resetAndDestroy(), 20)),
    );
    const outcome = await session.readReply(2000);
    expect(outcome.kind).toBe('closed');
    expect(session.isClosed).toBe(true);
  });

  it('still hands out replies that were queued before the close', async () => {
    const session = await connect(await serve((socket) => socket.end('221 bye\r\n')));
    await delay(50);
    const first = await session.readReply(500);
    expect(first.kind === 'reply' && first.reply.code).toBe(221);
    expect((await session.readReply(500)).kind).toBe('closed');
  });
});

describe('SmtpSession: connecting', () => {
  it('reports a refused connection as one line', async () => {
    const port = await closedPort();
    const opened = await openSession({
      host: '127.0.0.1',
      port,
      tls: 'none',
      connectTimeoutMs: 2000,
    });
    expect(opened).toEqual({
      ok: false,
      failure: { kind: 'refused', message: `connection refused by 127.0.0.1:${port}` },
    });
  });
});

describe('SmtpSession: writing and closing', () => {
  it('sends bytes unchanged: a bare LF stays a bare LF', async () => {
    const received: Buffer[] = [];
    const session = await connect(
      await serve((socket) => socket.on('data', (c: Buffer) => received.push(c))),
    );
    session.write(Buffer.from('MAIL FROM:<a>\n.\r\n\x00', 'latin1'));
    session.sendLine('NOOP');
    await delay(50);
    expect(latin1(Buffer.concat(received))).toBe('MAIL FROM:<a>\n.\r\n\x00NOOP\r\n');
    expect(entryTexts(session).filter((e) => e.startsWith('C'))).toEqual([
      'C: MAIL FROM:<a>\\n.',
      'C: \\0',
      'C: NOOP',
    ]);
  });

  it('records a display text and redacts secrets in what it records, not in what it sends', async () => {
    const received: Buffer[] = [];
    const session = await connect(
      await serve((socket) => socket.on('data', (c: Buffer) => received.push(c))),
      {
        secrets: ['s3cret'],
      },
    );
    session.sendLine('AUTH PLAIN AHUAczNjcmV0', { display: 'AUTH PLAIN <redacted>' });
    session.sendLine('PASS s3cret');
    await delay(50);
    expect(latin1(Buffer.concat(received))).toBe('AUTH PLAIN AHUAczNjcmV0\r\nPASS s3cret\r\n');
    expect(entryTexts(session).filter((e) => e.startsWith('C'))).toEqual([
      'C: AUTH PLAIN <redacted>',
      'C: PASS <redacted>',
    ]);
  });

  it('closes idempotently, then reads closed and ignores writes', async () => {
    const server = await serve(greet());
    const session = await connect(server);
    await Promise.all([session.close(), session.close()]);
    await session.close();
    expect(session.isClosed).toBe(true);
    expect((await session.readReply(1000)).kind).toBe('closed');
    expect(() => session.sendLine('NOOP')).not.toThrow();
    expect(entryTexts(session)).toContain('*: not sent, the connection is closed: 6 octets');
    expect(entryTexts(session)).toContain('*: connection closed by client');
  });

  it('leaves no timer behind when a reply arrives before its timeout', async () => {
    const session = await connect(await serve(greet()));
    const timers = (): number =>
      process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const outcome = await session.readReply(60_000);
    expect(outcome.kind).toBe('reply');
    await session.waitForSilence(10);
    expect(timers()).toBe(before);
  });
});

describe('SmtpSession: waiting for close and for silence', () => {
  const quitting: Handler = (socket) => {
    socket.write('220 mx\r\n');
    onLines(socket, (line) => {
      if (line === 'QUIT') socket.end('221 bye\r\n');
      if (line === 'STAY') socket.write('221 bye\r\n');
      if (line === 'CHAT') socket.write('221 bye\r\n250 and more\r\n');
    });
  };

  it('sees the server close after QUIT', async () => {
    const session = await connect(await serve(quitting));
    await session.readReply(1000);
    session.sendLine('QUIT');
    const bye = await session.readReply(1000);
    expect(bye.kind === 'reply' && bye.reply.code).toBe(221);
    expect(await session.waitForClose(1000)).toEqual({ kind: 'closed' });
  });

  it('times out when the server keeps the connection open', async () => {
    const session = await connect(await serve(quitting));
    await session.readReply(1000);
    session.sendLine('STAY');
    await session.readReply(1000);
    expect(await session.waitForClose(200)).toEqual({ kind: 'timeout' });
    expect(entryTexts(session)).toContain('*: timeout: the server did not close within 200 ms');
  });

  it('returns the data the server sent instead of closing, without consuming it', async () => {
    const session = await connect(await serve(quitting));
    await session.readReply(1000);
    session.sendLine('CHAT');
    await session.readReply(1000);
    const outcome = await session.waitForClose(1000);
    expect(outcome.kind === 'data' && latin1(outcome.bytes)).toBe('250 and more\r\n');
    const next = await session.readReply(100);
    expect(next.kind === 'reply' && next.reply.code).toBe(250);
  });

  it('reports silence when nothing arrives', async () => {
    const session = await connect(await serve(greet()));
    await session.readReply(1000);
    const started = Date.now();
    expect(await session.waitForSilence(150)).toEqual({ kind: 'silent' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('reports data that arrives during the silence, even an unterminated line', async () => {
    const session = await connect(
      await serve((socket) => onLines(socket, () => setTimeout(() => socket.write('250 lat'), 30))),
    );
    session.sendLine('NOOP');
    const outcome = await session.waitForSilence(1000);
    expect(outcome.kind === 'data' && latin1(outcome.bytes)).toBe('250 lat');
  });

  it('reports a close during the silence', async () => {
    const session = await connect(await serve((socket) => setTimeout(() => socket.end(), 30)));
    expect(await session.waitForSilence(1000)).toEqual({ kind: 'closed' });
  });
});
