import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSuite } from '../../src/suite/load-suite.js';
import type { Suite } from '../../src/suite/model.js';

const FILE = 'test/suite/fixtures/rich-suite.yaml';
const TEXT = readFileSync(FILE, 'utf8');

/** The model as JSON, without spans. */
function withoutSpans(suite: Suite): unknown {
  return JSON.parse(
    JSON.stringify(suite, (key, value: unknown) => (key === 'span' ? undefined : value)),
  );
}

const code = (...codes: string[]) => ({ codes, not: [] });

const EXPECTED = {
  id: 'rfc5321-rich',
  title: 'A suite that uses every form of the format',
  rfc: '5321',
  file: FILE,
  protocol: 'smtp',
  vars: { big_local: 'aaaaaaaaaaaaaaaa', big_rcpt: '${big_local}@${domain}', port: '2525' },
  cases: [
    {
      id: 'mail-null-reverse-path',
      title: 'The null reverse-path <> is accepted',
      rfc: '5321',
      section: '4.5.5',
      level: 'must',
      requires: [],
      greeting: 'auto',
      steps: [
        { kind: 'ehlo', domain: '${client}', expect: code('250') },
        { kind: 'send', lines: ['MAIL FROM:<>'], expect: [code('250')] },
        { kind: 'send', lines: ['RCPT TO:<${recipient}>'], expect: [code('250', '251')] },
        {
          kind: 'data',
          body: { kind: 'text', text: 'Subject: hello\n\nline one\n..starts with a dot' },
          expect: [code('250')],
        },
        { kind: 'send', lines: ['QUIT'], expect: [code('221')] },
      ],
    },
    {
      id: 'pipelining-burst',
      title: 'Pipelined commands get one reply each',
      rfc: '2920',
      section: '3.1',
      level: 'should',
      requires: ['PIPELINING', '8BITMIME'],
      greeting: 'manual',
      timeoutMs: 10_000,
      steps: [
        { kind: 'expect', expect: code('220') },
        { kind: 'ehlo', domain: '${client}', expect: code('2xx') },
        {
          kind: 'send',
          lines: ['MAIL FROM:<${sender}>', 'RCPT TO:<${big_rcpt}>', 'DATA'],
          expect: [code('250'), code('250', '251'), code('354')],
        },
        {
          kind: 'raw',
          bytes: 'Subject: x\\r\\n\\r\\nbody\\r\\n.\\r\\n',
          expect: [
            { codes: ['250'], not: [], enhanced: '2.0.x', text: { source: 'queued', flags: 'i' } },
          ],
        },
        {
          kind: 'send',
          lines: ['NOOP ${n}'],
          repeat: 3,
          expect: [{ codes: ['2xx'], not: ['251', '252'] }],
        },
      ],
    },
    {
      id: 'bare-lf-and-tls',
      title: 'Bare LF, STARTTLS, AUTH and generated bodies',
      rfc: '5321',
      section: '2.3.8',
      level: 'may',
      requires: [],
      greeting: 'auto',
      steps: [
        { kind: 'starttls' },
        { kind: 'ehlo', domain: 'tls.${client}', expect: code('250') },
        { kind: 'auth', mechanism: 'PLAIN', expect: code('235', '503') },
        { kind: 'raw', bytes: 'NOOP\\n\\xc3\\xa9' },
        { kind: 'raw', bytes: 'NOOP\\r\\n', expect: [code('250')] },
        {
          kind: 'data',
          body: { kind: 'generated', size: 65536, lineLength: 998 },
          expect: [{ codes: ['250'], not: [], enhanced: '*' }],
        },
        {
          kind: 'data',
          body: { kind: 'text', text: 'Subject: hi\n\nbody' },
          expect: [code('250')],
        },
        {
          kind: 'data',
          body: { kind: 'raw', bytes: 'Subject: x\\r\\n\\r\\nbody\\r\\n.\\r\\n' },
          expect: [{ codes: [], not: [], text: { source: 'ok', flags: '' } }],
        },
        { kind: 'starttls' },
        { kind: 'pause', ms: 500 },
        { kind: 'expect-silence', ms: 1500, acceptRefusal: false },
        { kind: 'expect-close', ms: 2000 },
      ],
    },
  ],
};

describe('loadSuite: a valid suite', () => {
  const result = loadSuite(FILE, TEXT);

  it('loads without diagnostics', () => {
    expect(result.diagnostics).toEqual([]);
  });

  it('builds the expected model', () => {
    expect(withoutSpans(result.suite!)).toEqual(EXPECTED);
  });

  it('puts a span on the suite, every case, step and expectation', () => {
    const suite = result.suite!;
    expect(suite.span).toMatchObject({ file: FILE, line: 2, col: 1 });
    const second = suite.cases[1]!;
    expect(second.span).toMatchObject({ line: 24, col: 5 });
    expect(second.steps[2]!.span).toMatchObject({ line: 36, col: 9 });
    const send = second.steps[2]!;
    if (send.kind !== 'send') throw new Error('expected a send step');
    expect(send.expect![1]!.span).toMatchObject({ line: 37, col: 23 });
    const ehlo = suite.cases[0]!.steps[0]!;
    if (ehlo.kind !== 'ehlo') throw new Error('expected an ehlo step');
    // A default expectation points at its step.
    expect(ehlo.expect.span).toMatchObject({ line: 15, col: 9 });
  });

  it('points a span at the source text it came from', () => {
    const step = result.suite!.cases[1]!.steps[3]!;
    expect(TEXT.slice(step.span.offset, step.span.offset + 4)).toBe('raw:');
  });
});
