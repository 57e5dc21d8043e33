import {
  AUTH_PLAIN,
  afterEhlo,
  afterTls,
  code,
  open,
  pipelined,
  quietCodes,
} from '../probe-helpers.js';
import type { DefectProbe } from '../probe-helpers.js';
import type { ExtensionDefect } from '../smtp-defects.js';

/**
 * Probes of the extension defects that change the session: CHUNKING/BDAT, STARTTLS, AUTH.
 * The AUTH probes run with `authOnlyAfterTls: false`, on both servers, to stay in plaintext.
 * See defect-probes.ts.
 */
const ENVELOPE = 'MAIL FROM:<s@example.org>\r\nRCPT TO:<a@scripted.test>\r\n';
const IN_CLEAR = { authOnlyAfterTls: false };

const authReply =
  (command: string): DefectProbe['probe'] =>
  async (port) =>
    code(await (await afterEhlo(port)).exchange(command));

/** Bytes of a BDAT chunk that holds an in-band CRLF.CRLF followed by a command. */
const DOTTED_CHUNK = 'x\r\n.\r\nMAIL FROM:<a@b.example>\r\n';

export const SESSION_PROBES = {
  'bdat-eats-commands': {
    probe: async (port) => quietCodes(await afterEhlo(port), 'BDAT 6 LAST\r\nNOOP\r\n'),
    conforming: '503',
    broken: '503,250',
  },
  'bdat-data-after-chunk': {
    probe: async (port) =>
      pipelined(await afterEhlo(port), `${ENVELOPE}BDAT 5\r\nhelloDATA\r\n`, 4),
    conforming: '250,250,250,503',
    broken: '250,250,250,354',
  },
  'bdat-inband-dot': {
    probe: async (port) => {
      const client = await afterEhlo(port);
      await pipelined(client, ENVELOPE, 2);
      return quietCodes(client, `BDAT ${DOTTED_CHUNK.length} LAST\r\n${DOTTED_CHUNK}`);
    },
    conforming: '250',
    broken: '250,250',
  },
  'starttls-injection': {
    probe: async (port) => {
      const client = await afterEhlo(port);
      client.send('STARTTLS\r\nNOOP\r\n');
      if (code(await client.reply()) !== '220') return 'STARTTLS refused';
      await client.startTls({ rejectUnauthorized: false });
      return quietCodes(client, '');
    },
    conforming: '',
    broken: '250',
  },
  'starttls-keeps-state': {
    probe: async (port) =>
      code(await (await afterTls(port)).exchange('MAIL FROM:<s@example.org>\r\n')),
    conforming: '503',
    broken: '250',
  },
  'starttls-twice': {
    probe: async (port) => {
      const client = await afterTls(port);
      const listed = (await client.exchange('EHLO c.example\r\n')).includes('STARTTLS');
      return `${listed ? 'listed' : 'not listed'} ${code(await client.exchange('STARTTLS\r\n'))}`;
    },
    conforming: 'not listed 503',
    broken: 'listed 220',
  },
  'starttls-param-accepted': {
    probe: authReply('STARTTLS now\r\n'),
    conforming: '501',
    broken: '220',
  },
  'auth-334-text': {
    probe: async (port) => JSON.stringify(await (await afterEhlo(port)).exchange('AUTH PLAIN\r\n')),
    conforming: JSON.stringify('334 \r\n'),
    broken: JSON.stringify('334 go ahead\r\n'),
    options: IN_CLEAR,
  },
  'auth-cancel-ignored': {
    probe: async (port) => pipelined(await afterEhlo(port), 'AUTH LOGIN\r\n*\r\n', 2),
    conforming: '334,501',
    broken: '334,535',
    options: IN_CLEAR,
  },
  'auth-bad-b64-535': {
    probe: authReply('AUTH PLAIN !!!notb64\r\n'),
    conforming: '501',
    broken: '535',
    options: IN_CLEAR,
  },
  'auth-twice-allowed': {
    probe: async (port) =>
      pipelined(await afterEhlo(port), `AUTH PLAIN ${AUTH_PLAIN}\r\n`.repeat(2), 2),
    conforming: '235,503',
    broken: '235,235',
    options: IN_CLEAR,
  },
  'auth-in-transaction': {
    probe: async (port) =>
      pipelined(
        await afterEhlo(port),
        `MAIL FROM:<s@example.org>\r\nAUTH PLAIN ${AUTH_PLAIN}\r\n`,
        2,
      ),
    conforming: '250,503',
    broken: '250,235',
    options: IN_CLEAR,
  },
  'auth-unknown-mech-535': {
    probe: authReply('AUTH X-NOSUCH\r\n'),
    conforming: '504',
    broken: '535',
    options: IN_CLEAR,
  },
  'auth-short-line': {
    // RFC 4954 §4 (AUT-12): a 12,000-octet initial response (wrong credentials) gets 535.
    probe: authReply(
      `AUTH PLAIN ${Buffer.from(`\0tester\0${'x'.repeat(8992)}`).toString('base64')}\r\n`,
    ),
    conforming: '535',
    broken: '500',
    options: IN_CLEAR,
  },
  'auth-mail-param-refused': {
    probe: authReply('MAIL FROM:<s@example.org> AUTH=<>\r\n'),
    conforming: '250',
    broken: '555',
  },
  'auth-offered-in-clear': {
    probe: async (port) => {
      const client = await open(port);
      const offered = (await client.exchange('EHLO c.example\r\n')).includes('AUTH');
      const reply = code(await client.exchange(`AUTH PLAIN ${AUTH_PLAIN}\r\n`));
      return `${offered ? 'offered' : 'not offered'} ${reply}`;
    },
    conforming: 'not offered 530',
    broken: 'offered 235',
  },
} satisfies Partial<Record<ExtensionDefect, DefectProbe>>;
