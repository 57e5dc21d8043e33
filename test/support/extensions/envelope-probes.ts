import {
  TRANSACTION,
  afterEhlo,
  code,
  enhanced,
  open,
  pipelined,
  quietCodes,
} from '../probe-helpers.js';
import type { DefectProbe } from '../probe-helpers.js';
import type { ExtensionDefect } from '../smtp-defects.js';

/**
 * Probes of the extension defects seen in the envelope and the data: SIZE, PIPELINING,
 * 8BITMIME, SMTPUTF8, ENHANCEDSTATUSCODES, DSN, data-end smuggling, bare CR/LF command lines,
 * LMTP. See defect-probes.ts.
 */
const MAIL = 'MAIL FROM:<s@example.org>';
const RCPT = 'RCPT TO:<a@scripted.test>';

const mailWith =
  (parameters: string): DefectProbe['probe'] =>
  async (port) =>
    code(await (await afterEhlo(port)).exchange(`${MAIL} ${parameters}\r\n`));

/** rfc-checklist §3.7: the smuggling template after 354; one reply (250) is the safe outcome. */
const SMUGGLED = (sequence: string) =>
  `Subject: t\r\n\r\nline${sequence}MAIL FROM:<smug@example.org>\r\n${RCPT}\r\nDATA\r\n` +
  'Subject: smuggled\r\n\r\nx\r\n.\r\n';

const smuggle = (sequence: string): DefectProbe => ({
  probe: async (port) => {
    const client = await afterEhlo(port);
    await pipelined(client, TRANSACTION, 3);
    return quietCodes(client, SMUGGLED(sequence));
  },
  conforming: '250',
  broken: '250,250,250,354,250',
});

export const ENVELOPE_PROBES = {
  'size-not-enforced': {
    probe: mailWith('SIZE=1000001'),
    conforming: '552',
    broken: '250',
  },
  'size-bad-syntax': {
    probe: async (port) => {
      const ehlo = await (await open(port)).exchange('EHLO c.example\r\n');
      const size = /^250[ -](SIZE\b.*)\r$/m.exec(ehlo)?.[1] ?? '';
      return /^SIZE(?: \d{1,20})?$/.test(size) ? 'SIZE well-formed' : `${size} malformed`;
    },
    conforming: 'SIZE well-formed',
    broken: 'SIZE abc malformed',
  },
  'pipelining-reorders': {
    probe: async (port) => pipelined(await afterEhlo(port), `${MAIL}\r\nRCPT TO:<>\r\n`, 2),
    conforming: '250,501',
    broken: '501,250',
  },
  'pipelining-drops-input': {
    probe: async (port) => {
      const client = await afterEhlo(port);
      await pipelined(client, TRANSACTION, 3);
      return quietCodes(client, 'Subject: p\r\n\r\nb\r\n.\r\nNOOP\r\n');
    },
    conforming: '250,250',
    broken: '250',
  },
  'pipelining-waits': {
    probe: async (port) => quietCodes(await afterEhlo(port), `${MAIL}\r\n${RCPT}\r\n`),
    conforming: '250,250',
    broken: '',
  },
  '8bitmime-body-refused': { probe: mailWith('BODY=8BITMIME'), conforming: '250', broken: '555' },
  'body-any-accepted': { probe: mailWith('BODY=RABBIT'), conforming: '501', broken: '250' },
  'smtputf8-refused': { probe: mailWith('SMTPUTF8'), conforming: '250', broken: '555' },
  'esc-missing': {
    probe: async (port) => {
      const client = await afterEhlo(port);
      const mail = await client.exchange(`${MAIL}\r\n`);
      return `${enhanced(mail)},${enhanced(await client.exchange(`${RCPT}\r\n`))}`;
    },
    conforming: '2.1.0,2.1.5',
    broken: '-,-',
  },
  'esc-wrong-class': {
    probe: async (port) => {
      const reply = await (await afterEhlo(port)).exchange('NOOP\r\n');
      return `${code(reply)} ${enhanced(reply)}`;
    },
    conforming: '250 2.0.0',
    broken: '250 4.0.0',
  },
  'dsn-params-refused': {
    probe: async (port) =>
      pipelined(
        await afterEhlo(port),
        `${MAIL} RET=HDRS ENVID=QQ314159\r\n` +
          `${RCPT} NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@scripted.test\r\n`,
        2,
      ),
    conforming: '250,250',
    broken: '555,503',
  },
  'dsn-bad-accepted': {
    probe: async (port) =>
      pipelined(await afterEhlo(port), `${MAIL}\r\n${RCPT} NOTIFY=NEVER,SUCCESS\r\n`, 2),
    conforming: '250,501',
    broken: '250,250',
  },
  'smuggle-lf-dot-lf': smuggle('\n.\n'),
  'smuggle-cr-dot-cr': smuggle('\r.\r'),
  'smuggle-crlf-dot-lf': smuggle('\r\n.\n'),
  'smuggle-lf-dot-crlf': smuggle('\n.\r\n'),
  'smuggle-nul': smuggle('\r\n\0.\r\n'),
  'bare-lf-command': {
    probe: async (port) => quietCodes(await afterEhlo(port), 'NOOP\n'),
    conforming: '',
    broken: '250',
  },
  'bare-cr-command': {
    probe: async (port) => quietCodes(await afterEhlo(port), 'NOOP\rNOOP\r\n'),
    conforming: '500',
    broken: '250,250',
  },
  'lmtp-one-reply': {
    probe: async (port) => {
      const client = await afterEhlo(port, 'LHLO c.example\r\n');
      const rcpts = `${RCPT}\r\nRCPT TO:<b@scripted.test>\r\n`;
      await pipelined(client, `${MAIL}\r\n${rcpts}DATA\r\n`, 4);
      return quietCodes(client, 'Subject: t\r\n\r\nx\r\n.\r\n');
    },
    conforming: '250,250',
    broken: '250',
    options: { lmtp: true },
  },
} satisfies Partial<Record<ExtensionDefect, DefectProbe>>;
