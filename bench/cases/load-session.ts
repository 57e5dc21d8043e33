import { nowMicros } from '../../src/core/clock.js';
import { fastNowMicros } from '../../src/load/fast-clock.js';
import { LoadSession, type LoadTarget } from '../../src/load/load-session.js';
import { NULL_SINK, type PhaseOutcome } from '../../src/load/load-sink.js';
import { buildMessageSet, type MessageSet } from '../../src/load/message-mix.js';
import { Random } from '../../src/load/random.js';
import { ReplyScanner } from '../../src/load/reply-scanner.js';
import { SessionScript } from '../../src/load/session-script.js';
import {
  type Responder,
  type ResponderOptions,
  startResponder,
} from '../../test/support/load-responder.js';
import type { BenchCase } from '../bench-case.js';
import { buildReplyStream, MSS, splitChunks } from './reply-framing.js';

/**
 * The load engine's hot path (src/load):
 *
 * - `ReplyScanner` over the reply-framing stream (65,416 octets, 1,776 replies: a 10-line EHLO
 *   reply then five `250 2.1.0 Ok`, repeated), in 1460-byte and 1-byte chunks, with a fresh
 *   scanner per call: directly comparable with `LineReader + ReplyAssembler`.
 * - The two µs clocks, 1000 reads per call.
 * - Messages over one loopback connection to the test responder (test/support/load-responder.ts)
 *   in this same process, so the figure includes the server's work: 200 messages of exactly
 *   1,024 octets, one recipient, per call, sent back to back (the next starts when the previous
 *   one's final reply is in). Variants: PIPELINING with DATA, driven by the callback (`send`)
 *   or by one promise per message (`sendMessage`); PIPELINING with BDAT; lock-step DATA.
 *   The sink is NULL_SINK. Each call checks all 200 outcomes are 2xx.
 *
 * The connections are opened on the first call and closed after 1 s without a call, so the
 * process can exit when the run is over.
 */
export const MESSAGES_PER_CALL = 200;
const IDLE_CLOSE_MS = 1000;

export async function loadSessionCases(): Promise<BenchCase[]> {
  const set = await buildMessageSet(
    {
      size: { kind: 'fixed', value: 1024 },
      recipients: { kind: 'fixed', value: 1 },
      attachments: { kind: 'fixed', value: 0 },
      shapes: 1,
      eightBit: false,
    },
    { seed: 1, envelope: ENVELOPE },
  );
  if (set.shapes[0]!.size !== 1024) throw new Error(`message of ${set.shapes[0]!.size} octets`);
  const rigs: [string, ResponderOptions, Style][] = [
    ['pipelined DATA, callback', {}, 'callback'],
    ['pipelined DATA, promise per message', {}, 'promise'],
    ['pipelined BDAT, callback', { chunking: true }, 'callback'],
    ['lock-step DATA, callback', { pipelining: false }, 'callback'],
  ];
  const sessionCases: BenchCase[] = [];
  for (const [label, opts, style] of rigs) {
    const rig = new LoopbackRig(set, opts);
    await rig.run(style); // checks the setup before timing
    sessionCases.push({
      name: `LoadSession 1 KiB messages, loopback, ${label}`,
      fn: () => rig.run(style),
      bytesPerOp: MESSAGES_PER_CALL * 1024,
      unitsPerOp: MESSAGES_PER_CALL,
      unit: 'messages',
    });
  }
  return [...scannerCases(), ...clockCases(), ...sessionCases];
}

function scannerCases(): BenchCase[] {
  const stream = buildReplyStream();
  return [MSS, 1].map((size) => {
    const chunks = splitChunks(stream.bytes, size);
    const count = (): number => {
      let replies = 0;
      const scanner = new ReplyScanner({ onReply: () => void replies++ });
      for (const chunk of chunks) scanner.push(chunk);
      return replies;
    };
    if (count() !== stream.replies) throw new Error('ReplyScanner found a different count');
    return {
      name: `ReplyScanner, ${size}-byte chunks`,
      fn: () => {
        if (count() !== stream.replies) throw new Error('reply count changed');
      },
      bytesPerOp: stream.bytes.length,
      unitsPerOp: stream.replies,
      unit: 'replies',
    };
  });
}

function clockCases(): BenchCase[] {
  const reads = 1000;
  const clocks: [string, () => number][] = [
    ['fastNowMicros (performance.now)', fastNowMicros],
    ['nowMicros (hrtime.bigint)', nowMicros],
  ];
  return clocks.map(([name, clock]) => ({
    name: `clock: ${name}`,
    fn: () => {
      let last = 0;
      for (let i = 0; i < reads; i++) last = clock();
      if (!(last > 0)) throw new Error('clock went wrong');
    },
    unitsPerOp: reads,
    unit: 'reads',
  }));
}

type Style = 'callback' | 'promise';

const ENVELOPE = { sender: 'load@example.test', recipientPrefix: 'user', domain: 'example.test' };

/** A responder and one session to it, opened on demand and closed when idle. */
class LoopbackRig {
  private open: Promise<{ responder: Responder; session: LoadSession }> | undefined;
  private idle: NodeJS.Timeout | undefined;
  /** Calls run one after another (tinybench may start one before the last has settled). */
  private queue: Promise<void> = Promise.resolve();
  private readonly random = new Random(1);

  constructor(
    private readonly set: MessageSet,
    private readonly opts: ResponderOptions,
  ) {}

  run(style: Style): Promise<void> {
    const next = this.queue.then(() => this.runOnce(style));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runOnce(style: Style): Promise<void> {
    clearTimeout(this.idle);
    this.open ??= this.start();
    const { session } = await this.open;
    const outcomes = style === 'callback' ? await this.chain(session) : await this.await(session);
    const ok = outcomes.filter((outcome) => outcome === '2xx').length;
    if (ok !== MESSAGES_PER_CALL) throw new Error(`${ok} of ${MESSAGES_PER_CALL} messages sent`);
    this.idle = setTimeout(() => void this.stop(), IDLE_CLOSE_MS);
  }

  private chain(session: LoadSession): Promise<PhaseOutcome[]> {
    return new Promise((resolve) => {
      const outcomes: PhaseOutcome[] = [];
      const next = (outcome: PhaseOutcome): void => {
        outcomes.push(outcome);
        if (outcomes.length === MESSAGES_PER_CALL) resolve(outcomes);
        else session.send(this.set.next(this.random), undefined, next);
      };
      session.send(this.set.next(this.random), undefined, next);
    });
  }

  private async await(session: LoadSession): Promise<PhaseOutcome[]> {
    const outcomes: PhaseOutcome[] = [];
    for (let i = 0; i < MESSAGES_PER_CALL; i++) {
      outcomes.push(await session.sendMessage(this.set.next(this.random)));
    }
    return outcomes;
  }

  private async start() {
    const responder = await startResponder(this.opts);
    const target: LoadTarget = {
      host: '127.0.0.1',
      port: responder.port,
      tls: 'none',
      connectTimeoutMs: 5000,
      replyTimeoutMs: 5000,
      pipelining: true,
      chunking: true,
      auth: false,
    };
    const script = new SessionScript({ helo: 'bench.test', envelope: ENVELOPE, eightBit: false });
    const session = new LoadSession(target, script, NULL_SINK);
    if ((await session.open()) !== '2xx') throw new Error('bench session did not open');
    return { responder, session };
  }

  private async stop(): Promise<void> {
    const open = this.open;
    this.open = undefined;
    if (!open) return;
    const { responder, session } = await open;
    if (session.usable) await session.quit();
    session.destroy();
    await responder.close();
  }
}
