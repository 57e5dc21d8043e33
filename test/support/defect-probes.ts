import { DELIVERY_PROBES } from './extensions/delivery-probes.js';
import { ENVELOPE_PROBES } from './extensions/envelope-probes.js';
import { SESSION_PROBES } from './extensions/session-probes.js';
import {
  EHLO,
  QUIET_MS,
  TRANSACTION,
  afterEhlo,
  code,
  message,
  multilineVerdict,
  open,
  pipelined,
  replyCodes,
} from './probe-helpers.js';
import type { DefectProbe } from './probe-helpers.js';
import { RawSmtpClient } from './raw-smtp-client.js';
import type { Defect, ServerDefect } from './smtp-defects.js';

/**
 * Probes for the scripted server's defects: for each defect, a short raw exchange and what a
 * client observes from a conforming server and from the defective one. Used by
 * test/targets/scripted-server.test.ts, which runs every probe against both. The probes of the
 * extension defects are in extensions/envelope-probes.ts and extensions/session-probes.ts, those
 * of the delivery defects in extensions/delivery-probes.ts.
 */
export * from './probe-helpers.js';

const CORE_PROBES: Record<Defect, DefectProbe> = {
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
      return reply.split('\r\n').length > 2 ? 'several lines' : 'one line';
    },
    conforming: 'one line',
    broken: 'several lines',
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

export const PROBES: Record<ServerDefect, DefectProbe> = {
  ...CORE_PROBES,
  ...ENVELOPE_PROBES,
  ...SESSION_PROBES,
  ...DELIVERY_PROBES,
};
