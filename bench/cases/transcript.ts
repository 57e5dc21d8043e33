import type { FramedLine } from '../../src/protocol/line-reader.js';
import { Transcript } from '../../src/protocol/transcript.js';
import type { TranscriptOptions } from '../../src/protocol/transcript.js';
import type { BenchCase } from '../bench-case.js';

/**
 * Recording one typical 12-entry session (greeting, EHLO, MAIL, RCPT, QUIT) into a fresh
 * `Transcript`: once without secrets and once with one configured password, as `run-case.ts`
 * passes it. The password does not occur in the session, so the second case measures the scan
 * every entry pays for redaction, not a replacement. Each call includes the constructor.
 */
type SessionLine = { dir: 'C'; bytes: Buffer } | { dir: 'S'; line: FramedLine };

const SESSION: readonly string[] = [
  'S 220 mx.example.com ESMTP Postfix',
  'C EHLO client.example',
  'S 250-mx.example.com',
  'S 250-PIPELINING',
  'S 250-SIZE 10240000',
  'S 250 AUTH PLAIN LOGIN',
  'C MAIL FROM:<alice@client.example>',
  'S 250 2.1.0 Ok',
  'C RCPT TO:<bob@mx.example.com>',
  'S 250 2.1.5 Ok',
  'C QUIT',
  'S 221 2.0.0 Bye',
];

const PASSWORD = 'correct-horse-battery-staple';

function buildSession(): SessionLine[] {
  return SESSION.map((entry) => {
    const text = entry.slice(2);
    if (entry.startsWith('C ')) return { dir: 'C', bytes: Buffer.from(`${text}\r\n`, 'latin1') };
    const line: FramedLine = {
      bytes: Buffer.from(text, 'latin1'),
      terminator: 'crlf',
      tooLong: false,
    };
    return { dir: 'S', line };
  });
}

function record(session: readonly SessionLine[], options: TranscriptOptions): Transcript {
  const transcript = new Transcript(0, options);
  for (const entry of session) {
    if (entry.dir === 'C') transcript.client(entry.bytes);
    else transcript.server(entry.line);
  }
  return transcript;
}

export function transcriptCases(): BenchCase[] {
  const session = buildSession();
  const variants: [string, TranscriptOptions][] = [
    ['no secrets', {}],
    ['1 secret', { secrets: [PASSWORD] }],
  ];
  return variants.map(([label, options]) => {
    const recorded = record(session, options).entries().length;
    if (recorded !== SESSION.length) throw new Error(`recorded ${recorded} entries`);
    return {
      name: `Transcript ${SESSION.length}-entry session, ${label}`,
      fn: () => {
        record(session, options);
      },
      unitsPerOp: SESSION.length,
      unit: 'entries',
    };
  });
}
