import {
  type Cmd,
  COMMAND_NAMES,
  COMMAND_PHASES,
  type LoadCommand,
  type LoadErrorKind,
  type LoadPhase,
  type LoadSink,
  outcomeOfCode,
  type PhaseOutcome,
} from '../../src/load/load-sink.js';
import { LoadSession, type LoadTarget } from '../../src/load/load-session.js';
import { buildMessageSet, type MessageSet } from '../../src/load/message-mix.js';
import { SessionScript, type SessionScriptOptions } from '../../src/load/session-script.js';
import type { MessageMix } from '../../src/suite/profile-model.js';
import {
  type Responder,
  type ResponderOptions,
  startResponder,
} from '../support/load-responder.js';

/** A sink that keeps everything, for assertions. */
export class RecordingSink implements LoadSink {
  phases: { phase: LoadPhase; outcome: PhaseOutcome; micros: number }[] = [];
  replies: { command: LoadCommand; code: number }[] = [];
  errors: { kind: LoadErrorKind; message: string }[] = [];
  serviceMicros: number[] = [];

  onPhase(phase: LoadPhase, outcome: PhaseOutcome, micros: number): void {
    this.phases.push({ phase, outcome, micros });
  }

  /** A message shows in `phases` as phase `message` with its latency; its service time aside. */
  onMessage(outcome: PhaseOutcome, latencyMicros: number, serviceMicros: number): void {
    this.phases.push({ phase: 'message', outcome, micros: latencyMicros });
    this.serviceMicros.push(serviceMicros);
  }

  /** A reply that ends a phase shows in `phases` too, before the reply itself. */
  onReply(command: Cmd, code: number, micros?: number): void {
    const phase = COMMAND_PHASES[command];
    if (micros !== undefined && phase !== undefined)
      this.onPhase(phase, outcomeOfCode(code), micros);
    this.replies.push({ command: COMMAND_NAMES[command]!, code });
  }

  onError(kind: LoadErrorKind, message: string): void {
    this.errors.push({ kind, message });
  }

  /** `phase:outcome` of every recorded phase, in order. */
  get trail(): string[] {
    return this.phases.map((p) => `${p.phase}:${p.outcome}`);
  }

  count(phase: LoadPhase, outcome?: PhaseOutcome): number {
    return this.phases.filter((p) => p.phase === phase && (!outcome || p.outcome === outcome))
      .length;
  }

  codes(command: LoadCommand): number[] {
    return this.replies.filter((r) => r.command === command).map((r) => r.code);
  }
}

export const ENVELOPE = {
  sender: 'load@example.test',
  recipientPrefix: 'user',
  domain: 'example.test',
};

export function target(port: number, extra: Partial<LoadTarget> = {}): LoadTarget {
  return {
    host: '127.0.0.1',
    port,
    tls: 'none',
    connectTimeoutMs: 3000,
    replyTimeoutMs: 3000,
    pipelining: true,
    chunking: true,
    auth: false,
    ...extra,
  };
}

export function script(extra: Partial<SessionScriptOptions> = {}): SessionScript {
  return new SessionScript({
    helo: 'client.example.test',
    envelope: ENVELOPE,
    eightBit: false,
    ...extra,
  });
}

export function messages(overrides: Partial<MessageMix> = {}, seed = 1): Promise<MessageSet> {
  return buildMessageSet(
    {
      size: { kind: 'uniform', min: 1024, max: 8192 },
      recipients: { kind: 'fixed', value: 2 },
      attachments: { kind: 'fixed', value: 0 },
      shapes: 4,
      eightBit: false,
      ...overrides,
    },
    { seed, envelope: ENVELOPE, date: new Date(Date.UTC(2026, 10, 23)) },
  );
}

/** Opens a session and fails the test setup when it does not become ready. */
export async function ready(session: LoadSession): Promise<LoadSession> {
  const outcome = await session.open();
  if (outcome !== '2xx') throw new Error(`test setup: open() gave ${outcome}`);
  return session;
}

/** What a test started, to be closed after it (afterEach → `cleanup`). */
export class Started {
  private closers: (() => Promise<void> | void)[] = [];

  async responder(opts: ResponderOptions = {}): Promise<Responder> {
    const responder = await startResponder(opts);
    this.closers.push(() => responder.close());
    return responder;
  }

  session(t: LoadTarget, s: SessionScript = script(), sink: LoadSink = new RecordingSink()) {
    const session = new LoadSession(t, s, sink);
    this.closers.push(() => session.destroy());
    return session;
  }

  add(close: () => Promise<void> | void): void {
    this.closers.push(close);
  }

  async cleanup(): Promise<void> {
    const closers = this.closers.reverse();
    this.closers = [];
    for (const close of closers) await close();
  }
}
