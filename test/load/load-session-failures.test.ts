import { spawn } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LoadTarget } from '../../src/load/load-session.js';
import { Random } from '../../src/load/random.js';
import { generateLoopbackCertificate, type TlsIdentity } from '../../src/targets/certificate.js';
import { messages, ready, RecordingSink, script, Started, target } from './session-helpers.js';

/** TLS, AUTH, server faults and interop, over real loopback connections. */
const started = new Started();
afterEach(() => started.cleanup());

let identity: TlsIdentity;
beforeAll(async () => {
  identity = await generateLoopbackCertificate();
});

const CREDENTIALS = { username: 'loaduser', password: 'Tr0ub4dor&3-secret' };
const ENCODED = Buffer.from(`\0loaduser\0${CREDENTIALS.password}`).toString('base64');

/** A server on port 0 that runs `handler` for each connection; closed after the test. */
async function rawServer(handler: (socket: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    handler(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  started.add(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * A port whose SYNs go unanswered: a listener that never accepts (python3, as Node's servers
 * always accept), with its one-connection queue filled. A connect to it waits for its timeout.
 */
async function silentPort(): Promise<number> {
  const code = [
    'import socket, sys',
    's = socket.socket()',
    "s.bind(('127.0.0.1', 0))",
    's.listen(0)',
    'print(s.getsockname()[1], flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const child = spawn('python3', ['-c', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  started.add(() => void child.kill());
  const port = await new Promise<number>((resolve) =>
    child.stdout.once('data', (data) => resolve(Number(String(data).trim()))),
  );
  const fillers = [0, 1, 2].map(() => connect(port, '127.0.0.1').on('error', () => undefined));
  started.add(() => fillers.forEach((socket) => socket.destroy()));
  await delay(100);
  return port;
}

/** Whether a plain TCP connect to `port` succeeds within `ms`. */
function connectsWithin(port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (connected: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(connected);
    };
    const timer = setTimeout(() => done(false), ms);
    socket.once('connect', () => done(true)).once('error', () => done(false));
  });
}

describe('LoadSession over TLS and with AUTH', () => {
  it('upgrades with STARTTLS, says EHLO again and sends inside TLS', async () => {
    const responder = await started.responder({ starttls: identity, keepCommands: true });
    const sink = new RecordingSink();
    const session = await ready(
      started.session(target(responder.port, { tls: 'starttls' }), script(), sink),
    );
    expect(await session.sendMessage((await messages()).next(new Random(1)))).toBe('2xx');
    expect(responder.commands.map((c) => c.slice(0, 8))).toEqual([
      'EHLO cli',
      'STARTTLS',
      'EHLO cli',
      'MAIL FRO',
      'RCPT TO:',
      'RCPT TO:',
      'DATA',
    ]);
    expect(sink.trail.slice(0, 5)).toEqual([
      'connect:2xx',
      'greeting:2xx',
      'ehlo:2xx',
      'tls:2xx',
      'ehlo:2xx',
    ]);
    expect(sink.codes('STARTTLS')).toEqual([220]);
    expect(session.capabilities?.starttls).toBe(false);
  });

  it('connects with implicit TLS', async () => {
    const responder = await started.responder({ implicitTls: identity });
    const sink = new RecordingSink();
    const session = await ready(
      started.session(target(responder.port, { tls: 'implicit' }), script(), sink),
    );
    expect(await session.sendMessage((await messages()).next(new Random(1)))).toBe('2xx');
    expect(sink.trail.slice(0, 3)).toEqual(['connect:2xx', 'tls:2xx', 'greeting:2xx']);
  });

  it('fails the session when STARTTLS is required and not offered', async () => {
    const responder = await started.responder();
    const sink = new RecordingSink();
    const session = started.session(target(responder.port, { tls: 'starttls' }), script(), sink);
    expect(await session.open()).toBe('5xx');
    expect(sink.errors.map((e) => e.kind)).toEqual(['starttls-unavailable']);
    expect(sink.trail.at(-1)).toBe('session:5xx');
  });

  it('authenticates with AUTH PLAIN, with an initial response or after a 334', async () => {
    for (const challenge of [false, true]) {
      const responder = await started.responder({ auth: { ...CREDENTIALS, challenge } });
      const sink = new RecordingSink();
      const t = target(responder.port, { auth: true });
      await ready(started.session(t, script({ credentials: CREDENTIALS }), sink));
      expect(sink.trail).toContain('auth:2xx');
      expect(sink.codes('AUTH')).toEqual(challenge ? [334, 235] : [235]);
    }
  });

  it('reports a refused AUTH without the password, even when the server echoes it', async () => {
    const responder = await started.responder({ auth: { ...CREDENTIALS, password: 'other' } });
    const sink = new RecordingSink();
    const t = target(responder.port, { auth: true });
    const session = started.session(t, script({ credentials: CREDENTIALS }), sink);
    expect(await session.open()).toBe('5xx');
    expect(sink.errors.map((e) => e.kind)).toEqual(['auth-failed']);
    expect(sink.errors[0]!.message).toMatch(/^AUTH PLAIN refused: 535 5\.7\.8 Bad credentials/);
    const everything = JSON.stringify(sink);
    expect(everything).not.toContain(CREDENTIALS.password);
    expect(everything).not.toContain(ENCODED);
    expect(everything).not.toContain(ENCODED.replace(/=+$/, ''));
  });

  it('says so when AUTH is required and PLAIN is not offered', async () => {
    const responder = await started.responder();
    const sink = new RecordingSink();
    const t = target(responder.port, { auth: true });
    expect(await started.session(t, script({ credentials: CREDENTIALS }), sink).open()).toBe('5xx');
    expect(sink.errors).toEqual([
      { kind: 'auth-unavailable', message: 'the server offers no AUTH PLAIN (no AUTH)' },
    ]);
  });
});

describe('LoadSession when the server misbehaves', () => {
  it('ends with conn-error when the server closes mid-DATA, and does not crash', async () => {
    for (const chunking of [false, true]) {
      const responder = await started.responder({ fault: 'close-in-data', chunking });
      const sink = new RecordingSink();
      const session = await ready(started.session(target(responder.port), script(), sink));
      const set = await messages({ size: { kind: 'fixed', value: 200_000 } });
      expect(await session.sendMessage(set.next(new Random(1)))).toBe('conn-error');
      expect(sink.trail).toContain(chunking ? 'mail:conn-error' : 'eod:conn-error');
      expect(sink.trail.slice(-2)).toEqual(['message:conn-error', 'session:conn-error']);
      expect(['closed', 'reset']).toContain(sink.errors[0]!.kind);
      expect(session.usable).toBe(false);
      // A dead session answers at once, with the message counted.
      expect(await session.sendMessage(set.next(new Random(1)))).toBe('conn-error');
      expect(sink.count('message', 'conn-error')).toBe(2);
      expect(await session.quit()).toBe('conn-error');
    }
  });

  it('times out a server that never greets, within the reply timeout', async () => {
    const responder = await started.responder({ fault: 'no-greeting' });
    const sink = new RecordingSink();
    const session = started.session(
      target(responder.port, { replyTimeoutMs: 300 }),
      script(),
      sink,
    );
    const before = Date.now();
    expect(await session.open()).toBe('timeout');
    expect(Date.now() - before).toBeLessThan(5000);
    expect(sink.trail).toEqual(['connect:2xx', 'greeting:timeout', 'session:timeout']);
    expect(sink.errors).toEqual([
      { kind: 'timeout', message: 'no reply to greeting within 300 ms' },
    ]);
  });

  it('times out a message whose end of data is never answered', async () => {
    const responder = await started.responder({ fault: 'no-eod-reply' });
    const sink = new RecordingSink();
    const t = target(responder.port, { replyTimeoutMs: 300 });
    const session = await ready(started.session(t, script(), sink));
    expect(await session.sendMessage((await messages()).next(new Random(1)))).toBe('timeout');
    expect(sink.trail.slice(-3)).toEqual(['eod:timeout', 'message:timeout', 'session:timeout']);
    expect(sink.errors[0]!.message).toBe('no reply to EOD within 300 ms');
  });

  it('gives conn-error for a refused connection and protocol for garbage', async () => {
    const closed = await rawServer(() => undefined);
    await started.cleanup(); // the port is free again
    const refused = new RecordingSink();
    expect(await started.session(target(closed), script(), refused).open()).toBe('conn-error');
    expect(refused.trail).toEqual(['connect:conn-error', 'session:conn-error']);
    expect(refused.errors.map((e) => e.kind)).toEqual(['refused']);

    const port = await rawServer((socket) => socket.write('HELLO there\r\n'));
    const garbage = new RecordingSink();
    expect(await started.session(target(port), script(), garbage).open()).toBe('conn-error');
    expect(garbage.trail).toEqual(['connect:2xx', 'greeting:conn-error', 'session:conn-error']);
    expect(garbage.errors[0]!.kind).toBe('protocol');
  });

  it('ends an idle session the server closes, and reports a refused greeting', async () => {
    const port = await rawServer((socket) => {
      socket.write('220 hi\r\n');
      socket.once('data', () => {
        socket.write('250 hi\r\n');
        setTimeout(() => socket.end(), 20);
      });
    });
    const sink = new RecordingSink();
    const session = await ready(started.session(target(port), script(), sink));
    expect(await session.whenClosed()).toBe('conn-error');
    expect(session.outcome).toBe('conn-error');
    expect(sink.errors[0]!.message).toBe('connection closed by the server while idle');

    const busy = await rawServer((socket) => socket.end('554 5.3.2 busy\r\n'));
    const refused = new RecordingSink();
    expect(await started.session(target(busy), script(), refused).open()).toBe('5xx');
    expect(refused.errors).toEqual([
      { kind: 'rejected', message: 'greeting refused: 554 5.3.2 busy' },
    ]);
  });
});

describe('LoadSession.destroy', () => {
  it('settles open() and a message in progress, and records nothing', async () => {
    const responder = await started.responder({ fault: 'no-eod-reply' });
    const sink = new RecordingSink();
    const connecting = started.session(target(responder.port), script(), sink);
    const opening = connecting.open();
    connecting.destroy();
    expect(await opening).toBe('conn-error');
    expect(sink.phases).toEqual([]);

    const session = await ready(started.session(target(responder.port), script(), sink));
    const sending = session.sendMessage((await messages()).next(new Random(1)));
    setTimeout(() => session.destroy(), 50);
    expect(await sending).toBe('conn-error');
    expect(await session.whenClosed()).toBe('conn-error');
    expect(sink.trail.filter((t) => t.includes('conn-error'))).toEqual([]);
  });

  it('abandons a connect the server never answers at once, not at the connect timeout', async () => {
    const port = await silentPort();
    expect(await connectsWithin(port, 300)).toBe(false);
    await expectAbandoned(target(port, { connectTimeoutMs: 20_000 }));
  });

  it('abandons an implicit TLS handshake the server never answers, at once', async () => {
    const port = await rawServer(() => undefined); // TCP is accepted, TLS never answered
    await expectAbandoned(target(port, { tls: 'implicit', connectTimeoutMs: 20_000 }));
  });
});

/** `open()` on `t`, destroyed 200 ms later while it waits: settles at once, recording nothing. */
async function expectAbandoned(t: LoadTarget): Promise<void> {
  const sink = new RecordingSink();
  const session = started.session(t, script(), sink);
  const opening = session.open();
  await delay(200);
  const destroyedAt = performance.now();
  session.destroy();
  expect(await opening).toBe('conn-error');
  expect(performance.now() - destroyedAt).toBeLessThan(2_000);
  expect(sink.phases).toEqual([]);
}

describe('LoadSession against smtp-server', () => {
  it('sends pipelined messages that smtp-server receives whole', async () => {
    const received: Buffer[] = [];
    const server = new SMTPServer({
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        const parts: Buffer[] = [];
        stream.on('data', (part: Buffer) => parts.push(part));
        stream.on('end', () => {
          received.push(Buffer.concat(parts));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    started.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const sink = new RecordingSink();
    const session = await ready(started.session(target(port), script(), sink));
    expect(session.capabilities?.pipelining).toBe(true);
    const set = await messages({ size: { kind: 'uniform', min: 1000, max: 60_000 } });
    const random = new Random(8);
    const sent = [set.next(random), set.next(random), set.next(random)];
    for (const message of sent) expect(await session.sendMessage(message)).toBe('2xx');
    expect(await session.quit()).toBe('2xx');
    sent.forEach((m, i) => expect(received[i]!.equals(m.shape.raw)).toBe(true));
    expect(sink.errors).toEqual([]);
  });
});
