import { RawSmtpClient } from './raw-smtp-client.js';
import type { Defect } from './smtp-defects.js';

/**
 * Probes for the scripted server's defects: for each defect, a short raw exchange and what a
 * client observes from a conforming server and from the defective one. Used by
 * test/targets/scripted-server.test.ts, which runs every probe against both.
 */
/** How long "nothing arrives" is waited for; the servers are local, so 150 ms is plenty. */
export const QUIET_MS = 150;
export const EHLO = 'EHLO c.example\r\n';
export const TRANSACTION = 'MAIL FROM:<s@example.org>\r\nRCPT TO:<a@scripted.test>\r\nDATA\r\n';

/** Codes of the complete replies in `text`, comma-separated: '250,500'. */
export function replyCodes(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.length >= 3 && line[3] !== '-')
    .map((line) => line.slice(0, 3))
    .join(',');
}

export const code = (reply: string) => reply.slice(0, 3);

export async function open(port: number): Promise<RawSmtpClient> {
  const client = await RawSmtpClient.connect(port);
  await client.reply();
  return client;
}

export async function afterEhlo(port: number): Promise<RawSmtpClient> {
  const client = await open(port);
  await client.exchange(EHLO);
  return client;
}

/** Replies to `commands`, all written in one segment (pipelined). */
export async function pipelined(client: RawSmtpClient, commands: string, count: number) {
  client.send(commands);
  const replies: string[] = [];
  for (let i = 0; i < count; i += 1) replies.push(code(await client.reply()));
  return replies.join(',');
}

async function message(port: number, body: string): Promise<string> {
  const client = await afterEhlo(port);
  await pipelined(client, TRANSACTION, 3);
  return code(await client.exchange(`${body}.\r\n`));
}

/**
 * One probe per defect: a short exchange that returns what a client observes. Each probe runs
 * against the conforming server and the defective one; `conforming` and `broken` are the
 * observations expected from each.
 */
export interface DefectProbe {
  probe(port: number): Promise<string>;
  conforming: string;
  broken: string;
}

export const PROBES: Record<Defect, DefectProbe> = {
  'rcpt-before-mail-accepted': {
    probe: async (port) =>
      code(await (await afterEhlo(port)).exchange('RCPT TO:<a@scripted.test>\r\n')),
    conforming: '503',
    broken: '250',
  },
  'unknown-verb-250': {
    probe: async (port) => code(await (await afterEhlo(port)).exchange('FOOBAR\r\n')),
    conforming: '500',
    broken: '250',
  },
  'lowercase-refused': {
    probe: async (port) => code(await (await open(port)).exchange('ehlo c.example\r\n')),
    conforming: '250',
    broken: '500',
  },
  'rset-keeps-transaction': {
    probe: async (port) =>
      pipelined(
        await afterEhlo(port),
        'MAIL FROM:<s@example.org>\r\nRCPT TO:<a@scripted.test>\r\nRSET\r\nDATA\r\n',
        4,
      ),
    conforming: '250,250,250,503',
    broken: '250,250,250,354',
  },
  'quit-without-221': {
    probe: async (port) => {
      const client = await afterEhlo(port);
      client.send('QUIT\r\n');
      const text = await client.collect(1000);
      return `${replyCodes(text)} ${client.closed ? 'closed' : 'open'}`;
    },
    conforming: '221 closed',
    broken: ' closed',
  },
  'quit-no-close': {
    probe: async (port) => {
      const client = await afterEhlo(port);
      const reply = await client.exchange('QUIT\r\n');
      return `${code(reply)} ${(await client.waitClosed(QUIET_MS)) ? 'closed' : 'open'}`;
    },
    conforming: '221 closed',
    broken: '221 open',
  },
  'malformed-multiline': {
    probe: async (port) => {
      const client = await open(port);
      client.send(EHLO);
      return multilineVerdict(await client.collect(QUIET_MS));
    },
    conforming: 'well-formed',
    broken: 'malformed',
  },
  'bare-lf-replies': {
    probe: async (port) => {
      const reply = await (await open(port)).exchange('NOOP\r\n');
      return reply.endsWith('\r\n') ? 'CRLF' : 'bare LF';
    },
    conforming: 'CRLF',
    broken: 'bare LF',
  },
  'never-answers': {
    probe: async (port) => {
      const client = await RawSmtpClient.connect(port);
      const greeting = await client.collect(QUIET_MS);
      client.send('NOOP\r\n');
      return replyCodes(greeting + (await client.collect(QUIET_MS)));
    },
    conforming: '220,250',
    broken: '',
  },
  'stops-answering-after-ehlo': {
    probe: async (port) => {
      const client = await afterEhlo(port);
      client.send('NOOP\r\n');
      return replyCodes(await client.collect(QUIET_MS));
    },
    conforming: '250',
    broken: '',
  },
  'no-greeting': {
    probe: async (port) => {
      const client = await RawSmtpClient.connect(port);
      const greeting = await client.collect(QUIET_MS);
      return replyCodes(greeting + (await client.exchange('NOOP\r\n')));
    },
    conforming: '220,250',
    broken: '250',
  },
  'greeting-554': {
    probe: async (port) => {
      const client = await RawSmtpClient.connect(port);
      const greeting = code(await client.reply());
      return `${greeting},${code(await client.exchange(EHLO))},${code(await client.exchange('QUIT\r\n'))}`;
    },
    conforming: '220,250,221',
    broken: '554,503,221',
  },
  'nested-mail-accepted': {
    probe: async (port) =>
      pipelined(
        await afterEhlo(port),
        'MAIL FROM:<s@example.org>\r\nMAIL FROM:<t@example.org>\r\n',
        2,
      ),
    conforming: '250,503',
    broken: '250,250',
  },
  'data-without-rcpt-354': {
    probe: async (port) =>
      pipelined(await afterEhlo(port), 'MAIL FROM:<s@example.org>\r\nDATA\r\n', 2),
    conforming: '250,503',
    broken: '250,354',
  },
  'null-sender-refused': {
    probe: async (port) => code(await (await afterEhlo(port)).exchange('MAIL FROM:<>\r\n')),
    conforming: '250',
    broken: '501',
  },
  'postmaster-refused': {
    probe: async (port) =>
      pipelined(await afterEhlo(port), 'MAIL FROM:<s@example.org>\r\nRCPT TO:<Postmaster>\r\n', 2),
    conforming: '250,250',
    broken: '250,550',
  },
  'source-route-refused': {
    probe: async (port) =>
      pipelined(
        await afterEhlo(port),
        'MAIL FROM:<@relay.example:s@example.org>\r\nRCPT TO:<@relay.example,@b.example:a@scripted.test>\r\n',
        2,
      ),
    conforming: '250,250',
    broken: '501,503',
  },
  'short-line-limit': {
    probe: async (port) =>
      code(await (await afterEhlo(port)).exchange(`NOOP ${'x'.repeat(505)}\r\n`)),
    conforming: '250',
    broken: '500',
  },
  'text-line-limit': {
    probe: (port) => message(port, `Subject: t\r\n\r\n${'x'.repeat(998)}\r\n`),
    conforming: '250',
    broken: '554',
  },
  'recipient-limit-10': {
    probe: async (port) => {
      const rcpts = Array.from({ length: 100 }, (_, i) => `RCPT TO:<u${i}@scripted.test>\r\n`);
      const codes = await pipelined(
        await afterEhlo(port),
        `MAIL FROM:<s@example.org>\r\n${rcpts.join('')}`,
        101,
      );
      return `${codes.split(',').filter((c) => c === '250').length - 1} accepted`;
    },
    conforming: '100 accepted',
    broken: '10 accepted',
  },
  'small-message-limit': {
    probe: (port) => message(port, `Subject: t\r\n\r\n${`${'y'.repeat(98)}\r\n`.repeat(656)}`),
    conforming: '250',
    broken: '552',
  },
  'vrfy-500': {
    probe: async (port) => code(await (await afterEhlo(port)).exchange('VRFY postmaster\r\n')),
    conforming: '252',
    broken: '500',
  },
  'help-500': {
    probe: async (port) => code(await (await afterEhlo(port)).exchange('HELP\r\n')),
    conforming: '214',
    broken: '500',
  },
  'noop-args-refused': {
    probe: async (port) => code(await (await afterEhlo(port)).exchange('NOOP hello world\r\n')),
    conforming: '250',
    broken: '501',
  },
  'closes-on-unknown': {
    probe: async (port) => {
      const client = await afterEhlo(port);
      const reply = await client.exchange('FOOBAR\r\n');
      return `${code(reply)} ${(await client.waitClosed(QUIET_MS)) ? 'closed' : 'open'}`;
    },
    conforming: '500 open',
    broken: '500 closed',
  },
  'helo-multiline': {
    probe: async (port) => {
      const reply = await (await open(port)).exchange('HELO c.example\r\n');
      return `${reply.split('\r\n').length - 1} line(s)`;
    },
    conforming: '1 line(s)',
    broken: '5 line(s)',
  },
  'ehlo-refused': {
    probe: async (port) => code(await (await open(port)).exchange(EHLO)),
    conforming: '250',
    broken: '500',
  },
  'dot-transparency-broken': {
    probe: async (port) => {
      const client = await afterEhlo(port);
      await pipelined(client, TRANSACTION, 3);
      client.send('Subject: t\r\n\r\n..lead\r\n.\r\n');
      return replyCodes(await client.collect(QUIET_MS));
    },
    conforming: '250',
    broken: '250,500',
  },
  'reply-too-long': {
    probe: async (port) => {
      const reply = await (await open(port)).exchange('NOOP\r\n');
      return reply.length <= 512 ? 'fits in 512' : 'too long';
    },
    conforming: 'fits in 512',
    broken: 'too long',
  },
  'two-replies-to-noop': {
    probe: async (port) => {
      const client = await afterEhlo(port);
      client.send('NOOP\r\n');
      return replyCodes(await client.collect(QUIET_MS));
    },
    conforming: '250',
    broken: '250,250',
  },
};

/** RFC 5321 §4.2.1: every line has the same code; all but the last use '-', the last SP. */
export function multilineVerdict(text: string): string {
  const lines = text.split('\r\n').slice(0, -1);
  const first = lines[0]?.slice(0, 3) ?? '';
  const ok = lines.every(
    (line, i) => line.slice(0, 3) === first && line[3] === (i === lines.length - 1 ? ' ' : '-'),
  );
  return ok && lines.length > 0 ? 'well-formed' : 'malformed';
}
