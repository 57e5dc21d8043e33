import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceTarget, type RunningTarget } from '../../src/targets/reference-target.js';

/** A line-at-a-time client: `say` writes a command and resolves with the next complete reply. */
async function session(
  port: number,
): Promise<{ say(line: string): Promise<string>; close(): void }> {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  let buffer = '';
  const waiting: ((reply: string) => void)[] = [];
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    let match: RegExpExecArray | null;
    while ((match = /^(?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n/.exec(buffer))) {
      buffer = buffer.slice(match[0].length);
      waiting.shift()?.(match[0].trim());
    }
  });
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  await next();
  return {
    say: (line) => {
      const reply = next();
      socket.write(`${line}\r\n`);
      return reply;
    },
    close: () => socket.destroy(),
  };
}

let target: RunningTarget;
beforeAll(async () => {
  target = await startReferenceTarget();
});
afterAll(() => target.close());

describe('the reference target enforces RFC 4954 §4 where smtp-server does not', () => {
  it('refuses AUTH inside a mail transaction with 503', async () => {
    const s = await session(target.port);
    try {
      await s.say('EHLO c.test');
      expect(await s.say('MAIL FROM:<a@example.test>')).toMatch(/^250/);
      const token = Buffer.from(
        `\0${target.credentials.user}\0${target.credentials.pass}`,
      ).toString('base64');
      expect(await s.say(`AUTH PLAIN ${token}`)).toBe(
        '503 5.5.1 AUTH is not permitted during a mail transaction',
      );
    } finally {
      s.close();
    }
  });

  it('refuses an initial response that is not strict base64 with 501 5.5.2', async () => {
    const s = await session(target.port);
    try {
      await s.say('EHLO c.test');
      expect(await s.say('AUTH PLAIN AAA=BBB')).toBe(
        '501 5.5.2 Cannot Base64-decode client response',
      );
      expect(await s.say('AUTH PLAIN !!!')).toMatch(/^501 5\.5\.2 /);
    } finally {
      s.close();
    }
  });

  it('fails "=" (an empty PLAIN response) with 535, and still accepts the real account', async () => {
    const s = await session(target.port);
    try {
      await s.say('EHLO c.test');
      expect(await s.say('AUTH PLAIN =')).toMatch(/^535 5\.7\.8 /);
      const token = Buffer.from(
        `\0${target.credentials.user}\0${target.credentials.pass}`,
      ).toString('base64');
      expect(await s.say(`AUTH PLAIN ${token}`)).toMatch(/^235 /);
    } finally {
      s.close();
    }
  });
});
