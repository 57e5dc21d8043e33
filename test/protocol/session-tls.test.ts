import type { SecureContextOptions } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type SessionOptions, type SmtpSession } from '../../src/protocol/session.js';
import {
  acceptTls,
  onLines,
  startServer,
  startTlsServer,
  type Handler,
  testCertificate,
  type TestServer,
} from './helpers/servers.js';

/** STARTTLS and implicit TLS against real loopback servers with a throwaway certificate. */
let cert: SecureContextOptions;
const open: { sessions: SmtpSession[]; servers: TestServer[] } = { sessions: [], servers: [] };

beforeAll(async () => {
  cert = await testCertificate();
});

afterEach(async () => {
  await Promise.all(open.sessions.map((s) => s.close()));
  await Promise.all(open.servers.map((s) => s.close()));
  open.sessions = [];
  open.servers = [];
});

async function track(server: Promise<TestServer>): Promise<TestServer> {
  open.servers.push(await server);
  return open.servers[open.servers.length - 1]!;
}

function options(server: TestServer, extra: Partial<SessionOptions> = {}): SessionOptions {
  return { host: '127.0.0.1', port: server.port, tls: 'none', connectTimeoutMs: 2000, ...extra };
}

async function connect(
  server: TestServer,
  extra: Partial<SessionOptions> = {},
): Promise<SmtpSession> {
  const opened = await openSession(options(server, extra));
  if (!opened.ok) throw new Error(`test setup: ${opened.failure.message}`);
  open.sessions.push(opened.session);
  return opened.session;
}

async function code(session: SmtpSession): Promise<number | string> {
  const outcome = await session.readReply(2000);
  return outcome.kind === 'reply' ? outcome.reply.code : outcome.kind;
}

/**
 * A STARTTLS server: 220 greeting, `STARTTLS` -> `afterStarttls` in clear, then TLS; inside
 * TLS, `EHLO` -> `250 secure <servername>`. `seen` collects the commands it read inside TLS.
 */
function starttlsServer(afterStarttls: string, seen: string[]): Handler {
  return (socket) => {
    socket.write('220 mx.test ESMTP\r\n');
    const stop = onLines(socket, (line) => {
      if (line !== 'STARTTLS') return;
      stop();
      socket.write(afterStarttls);
      const secure = acceptTls(socket, cert);
      onLines(secure, (inner) => {
        seen.push(inner);
        if (inner === 'EHLO') secure.write(`250 secure ${secure.servername || '-'}\r\n`);
      });
    });
  };
}

describe('SmtpSession over TLS', () => {
  it('upgrades with STARTTLS and then talks inside TLS', async () => {
    const seen: string[] = [];
    const session = await connect(
      await track(startServer(starttlsServer('220 go ahead\r\n', seen))),
    );
    expect(await code(session)).toBe(220);
    session.sendLine('STARTTLS');
    expect(await code(session)).toBe(220);
    const upgraded = await session.upgradeTls({ servername: 'mx.test', timeoutMs: 2000 });
    expect(upgraded).toEqual({ ok: true, plaintextLeftover: Buffer.alloc(0) });
    expect(session.isTls).toBe(true);
    session.sendLine('EHLO');
    const reply = await session.readReply(2000);
    expect(reply.kind === 'reply' && reply.reply.text).toBe('secure mx.test');
    expect(seen).toEqual(['EHLO']);
    const events = session.transcript.entries().filter((e) => e.dir === '*');
    expect(events.map((e) => e.text)).toContainEqual(
      expect.stringMatching(/^TLS established \(TLSv1\.[23], \w+/),
    );
  });

  it('captures bytes the server sent in clear after its 220 and discards them', async () => {
    const seen: string[] = [];
    const server = await track(
      startServer(starttlsServer('220 go ahead\r\n250 injected\r\n', seen)),
    );
    const session = await connect(server);
    await code(session);
    session.sendLine('STARTTLS');
    expect(await code(session)).toBe(220);
    const upgraded = await session.upgradeTls({ timeoutMs: 2000 });
    expect(upgraded.ok && upgraded.plaintextLeftover.toString('latin1')).toBe('250 injected\r\n');
    session.sendLine('EHLO');
    const reply = await session.readReply(2000);
    expect(reply.kind === 'reply' && reply.reply.text).toBe('secure -');
  });

  it('reports a failed STARTTLS handshake and ends up closed', async () => {
    const server = await track(
      startServer((socket) => {
        socket.write('220 mx\r\n');
        onLines(socket, (line) => line === 'STARTTLS' && socket.write('220 go\r\n'));
        socket.on('data', (chunk: Buffer) => chunk[0] === 0x16 && socket.end('not TLS at all\r\n'));
      }),
    );
    const session = await connect(server);
    await code(session);
    session.sendLine('STARTTLS');
    await code(session);
    const upgraded = await session.upgradeTls({ timeoutMs: 2000 });
    expect(upgraded.ok).toBe(false);
    if (upgraded.ok) return;
    expect(upgraded.message).toMatch(/^TLS handshake failed: /);
    expect(upgraded.message).not.toMatch(/\n/);
    expect(session.isClosed).toBe(true);
    expect((await session.readReply(500)).kind).toBe('closed');
  });

  it('times out a STARTTLS handshake the server never answers', async () => {
    const server = await track(
      startServer((socket) => {
        socket.write('220 mx\r\n');
        onLines(socket, (line) => line === 'STARTTLS' && socket.write('220 go\r\n'));
      }),
    );
    const session = await connect(server);
    await code(session);
    session.sendLine('STARTTLS');
    await code(session);
    expect(await session.upgradeTls({ timeoutMs: 200 })).toEqual({
      ok: false,
      message: 'TLS handshake not completed within 200 ms',
    });
  });

  it('connects with implicit TLS and reads the greeting inside it', async () => {
    const server = await track(
      startTlsServer((socket) => socket.write('220 tls.test ready\r\n'), cert),
    );
    const session = await connect(server, { tls: 'implicit' });
    expect(session.isTls).toBe(true);
    expect(await code(session)).toBe(220);
    const texts = session.transcript.entries().map((e) => e.text);
    expect(texts[0]).toBe(`connected to 127.0.0.1:${server.port}`);
    expect(texts[1]).toMatch(/^TLS established \(TLSv1\.[23], /);
    expect(await session.upgradeTls({ timeoutMs: 100 })).toEqual({
      ok: false,
      message: 'TLS is already active',
    });
  });

  it('reports a connect timeout when the implicit TLS handshake gets no answer', async () => {
    const server = await track(startServer(() => undefined));
    const started = Date.now();
    const opened = await openSession(options(server, { tls: 'implicit', connectTimeoutMs: 200 }));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(opened).toEqual({
      ok: false,
      failure: {
        kind: 'timeout',
        message: `TLS handshake with 127.0.0.1:${server.port} not completed within 200 ms`,
      },
    });
  });

  it('reports a tls failure when an implicit TLS port speaks plaintext', async () => {
    const server = await track(startServer((socket) => socket.end('220 plaintext here\r\n')));
    const opened = await openSession(options(server, { tls: 'implicit' }));
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.failure.kind).toBe('tls');
    expect(opened.failure.message).toMatch(
      new RegExp(`^TLS handshake with 127\\.0\\.0\\.1:${server.port} failed: `),
    );
    expect(opened.failure.message).not.toMatch(/\n/);
  });
});
