import { afterEach, describe, expect, it } from 'vitest';
import { fastNowMicros } from '../../src/load/fast-clock.js';
import type { PhaseOutcome } from '../../src/load/load-sink.js';
import type { LoadSession } from '../../src/load/load-session.js';
import type { MessageSet, OutgoingMessage } from '../../src/load/message-mix.js';
import { Random } from '../../src/load/random.js';
import type { ResponderOptions } from '../support/load-responder.js';
import { messages, ready, RecordingSink, script, Started, target } from './session-helpers.js';

/** Transactions over real loopback connections to the test responder. */
const started = new Started();
afterEach(() => started.cleanup());

async function setup(opts: ResponderOptions, extra: Parameters<typeof target>[1] = {}) {
  const responder = await started.responder({ keepCommands: true, keepMessages: true, ...opts });
  const sink = new RecordingSink();
  const session = await ready(started.session(target(responder.port, extra), script(), sink));
  return { responder, sink, session };
}

async function sendAll(session: LoadSession, set: MessageSet, n: number) {
  const random = new Random(1);
  const sent: OutgoingMessage[] = [];
  const outcomes: PhaseOutcome[] = [];
  for (let i = 0; i < n; i++) {
    const message = set.next(random);
    sent.push(message);
    outcomes.push(await session.sendMessage(message));
  }
  return { sent, outcomes };
}

describe('LoadSession transactions', () => {
  it('pipelines MAIL, RCPTs and DATA in one write, then the stuffed body', async () => {
    const { responder, sink, session } = await setup({});
    const { sent, outcomes } = await sendAll(session, await messages(), 5);
    expect(outcomes).toEqual(Array(5).fill('2xx'));
    expect(responder.reads.slice(1, 6)).toEqual(Array(5).fill(['MAIL', 'RCPT', 'RCPT', 'DATA']));
    sent.forEach((m, i) => expect(responder.messages[i]!.equals(m.shape.raw)).toBe(true));
    expect(responder.commands).toContain('RCPT TO:<user2@example.test>');
    expect(await session.quit()).toBe('2xx');
    expect(sink.trail.slice(0, 3)).toEqual(['connect:2xx', 'greeting:2xx', 'ehlo:2xx']);
    for (const phase of ['mail', 'data', 'eod', 'message'] as const) {
      expect(sink.count(phase, '2xx')).toBe(5);
    }
    expect(sink.count('rcpt', '2xx')).toBe(10);
    expect(sink.trail.slice(-2)).toEqual(['quit:2xx', 'session:2xx']);
    expect(sink.codes('DATA')).toEqual(Array(5).fill(354));
    expect(sink.codes('EOD')).toEqual(Array(5).fill(250));
    expect(sink.errors).toEqual([]);
  });

  it('goes lock-step when the server does not offer PIPELINING, or the profile says no', async () => {
    for (const [opts, extra] of [
      [{ pipelining: false }, {}],
      [{}, { pipelining: false }],
    ] as const) {
      const { responder, session } = await setup(opts, extra);
      const { sent, outcomes } = await sendAll(session, await messages(), 2);
      expect(outcomes).toEqual(['2xx', '2xx']);
      const verbs = responder.reads.slice(1).map((read) => read.join(' '));
      expect(verbs).toEqual(['MAIL', 'RCPT', 'RCPT', 'DATA', 'MAIL', 'RCPT', 'RCPT', 'DATA']);
      expect(responder.messages[1]!.equals(sent[1]!.shape.raw)).toBe(true);
    }
  });

  it('sends BDAT n LAST with the body, pipelined with MAIL and RCPT, under CHUNKING', async () => {
    const { responder, sink, session } = await setup({ chunking: true });
    const { sent, outcomes } = await sendAll(session, await messages(), 3);
    expect(outcomes).toEqual(['2xx', '2xx', '2xx']);
    sent.forEach((m, i) => {
      expect(responder.reads[i + 1]).toEqual(['MAIL', 'RCPT', 'RCPT', `BDAT ${m.shape.size} LAST`]);
      expect(responder.messages[i]!.equals(m.shape.raw)).toBe(true);
    });
    expect(sink.count('data')).toBe(0);
    expect(sink.count('eod', '2xx')).toBe(3);
    expect(sink.codes('BDAT')).toEqual([250, 250, 250]);
  });

  it('sends BDAT after the RCPT replies without PIPELINING, and DATA when chunking is off', async () => {
    const chunked = await setup({ chunking: true, pipelining: false });
    const { sent } = await sendAll(chunked.session, await messages(), 1);
    const size = sent[0]!.shape.size;
    expect(chunked.responder.reads.slice(1)).toEqual([
      ['MAIL'],
      ['RCPT'],
      ['RCPT'],
      [`BDAT ${size} LAST`],
    ]);
    const plain = await setup({ chunking: true }, { chunking: false });
    await sendAll(plain.session, await messages(), 1);
    expect(plain.responder.reads[1]).toEqual(['MAIL', 'RCPT', 'RCPT', 'DATA']);
  });

  it('asks for BODY=8BITMIME for an 8-bit mix and delivers the 8-bit octets', async () => {
    const responder = await started.responder({ keepCommands: true, keepMessages: true });
    const session = await ready(
      started.session(target(responder.port), script({ eightBit: true }), new RecordingSink()),
    );
    const set = await messages({ eightBit: true });
    const { sent } = await sendAll(session, set, 1);
    expect(responder.commands).toContain('MAIL FROM:<load@example.test> BODY=8BITMIME');
    expect(responder.messages[0]!.equals(sent[0]!.shape.raw)).toBe(true);
    expect(responder.messages[0]!.some((octet) => octet >= 0x80)).toBe(true);
  });

  it('measures the message from the intended start when one is given', async () => {
    const { sink, session } = await setup({});
    const set = await messages();
    await session.sendMessage(set.next(new Random(1)), fastNowMicros() - 2_000_000);
    await session.sendMessage(set.next(new Random(1)));
    const times = sink.phases.filter((p) => p.phase === 'message').map((p) => p.micros);
    expect(times[0]).toBeGreaterThanOrEqual(2_000_000);
    expect(times[1]).toBeLessThan(2_000_000);
  });

  it('runs a chain of messages from the callback, with no promise per message', async () => {
    const { responder, session } = await setup({});
    const set = await messages();
    const random = new Random(3);
    const outcomes = await new Promise<PhaseOutcome[]>((resolve) => {
      const seen: PhaseOutcome[] = [];
      const next = (outcome?: PhaseOutcome): void => {
        if (outcome) seen.push(outcome);
        if (seen.length === 50) resolve(seen);
        else session.send(set.next(random), undefined, next);
      };
      next();
    });
    expect(outcomes).toEqual(Array(50).fill('2xx'));
    expect(responder.accepted).toBe(50);
  });
});

describe('LoadSession reply classes', () => {
  it('counts a refused recipient and still delivers to the others', async () => {
    const rcpt = (n: number): string => (n === 2 ? '550 5.1.1 unknown user' : '250 2.1.5 Ok');
    const { responder, sink, session } = await setup({ replies: { RCPT: rcpt } });
    expect(await session.sendMessage((await messages()).next(new Random(1)))).toBe('2xx');
    expect(sink.count('rcpt', '2xx')).toBe(1);
    expect(sink.count('rcpt', '5xx')).toBe(1);
    expect(sink.codes('RCPT')).toEqual([250, 550]);
    expect(responder.commands).not.toContain('RSET');
  });

  it('records a refused MAIL as 4xx, sends RSET, and goes on with the next message', async () => {
    const mail = (n: number): string => (n === 1 ? '451 4.3.0 try later' : '250 2.1.0 Ok');
    for (const pipelining of [true, false]) {
      const { responder, sink, session } = await setup({ pipelining, replies: { MAIL: mail } });
      const { outcomes } = await sendAll(session, await messages(), 2);
      expect(outcomes).toEqual(['4xx', '2xx']);
      expect(sink.codes('MAIL')).toEqual([451, 250]);
      expect(sink.codes('RSET')).toEqual([250]);
      const first = responder.reads.slice(1, 3).map((read) => read.join(' '));
      if (pipelining) expect(first).toEqual(['MAIL RCPT RCPT DATA', 'RSET']);
      else expect(first).toEqual(['MAIL', 'RSET']);
      expect(sink.trail).toContain('message:4xx');
      expect(responder.accepted).toBe(1);
    }
  });

  it('gives the class of the refusal: all recipients, DATA, end of data', async () => {
    const cases: [ResponderOptions['replies'], PhaseOutcome, string][] = [
      [{ RCPT: '550 5.1.1 unknown' }, '5xx', 'data:5xx'],
      [{ DATA: '451 4.3.1 no space' }, '4xx', 'data:4xx'],
      [{ EOD: '552 5.3.4 too big' }, '5xx', 'eod:5xx'],
    ];
    for (const [replies, outcome, phase] of cases) {
      const { sink, session } = await setup({ replies });
      expect(await session.sendMessage((await messages()).next(new Random(1)))).toBe(outcome);
      expect(sink.trail).toContain(phase);
      expect(sink.trail).toContain(`message:${outcome}`);
      expect(sink.codes('RSET')).toEqual([250]);
      expect(session.usable).toBe(true);
    }
  });
});
