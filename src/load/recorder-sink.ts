import { outcomeIndexOfReply, PHASE_INDEX } from '../metrics/metric-names.js';
import type { PhaseRecorder } from '../metrics/phase-recorder.js';
import type { ReplyTally } from '../metrics/reply-tally.js';
import { type Cmd, COMMAND_NAMES, COMMAND_PHASES } from './load-sink.js';
import type { LoadCommand, LoadErrorKind, LoadPhase, LoadSink, PhaseOutcome } from './load-sink.js';

/**
 * The session's events into the thread's PhaseRecorder: phases into histograms, `message` and
 * `session` into the recorder's message/session accounting, replies, errors and wire bytes into
 * counters. Keeps up to `SAMPLES` error descriptions per kind for the report (never a
 * credential: the session redacts them before they get here).
 *
 * A reply is the hot path (four or more per message): each command's phase index and reply
 * tally are looked up once, here, so `onReply` does array reads and increments, no name lookup.
 */
const SAMPLES = 5;

/** The counter key of each command's replies (docs/metrics.md): phase names, STARTTLS as `tls`. */
const REPLY_KEYS: Record<LoadCommand, string> = {
  greeting: 'greeting',
  EHLO: 'ehlo',
  STARTTLS: 'tls',
  AUTH: 'auth',
  MAIL: 'mail',
  RCPT: 'rcpt',
  DATA: 'data',
  EOD: 'eod',
  BDAT: 'bdat',
  RSET: 'rset',
  QUIT: 'quit',
};

export class RecorderSink implements LoadSink {
  readonly errorSamples: Partial<Record<LoadErrorKind, string[]>> = {};
  /** By `Cmd`: the index of the phase a reply ends (-1: none), and the reply tally. */
  private readonly phases: readonly number[];
  private readonly tallies: readonly ReplyTally[];

  constructor(private readonly recorder: PhaseRecorder) {
    this.phases = COMMAND_PHASES.map((phase) => (phase === undefined ? -1 : PHASE_INDEX[phase]));
    this.tallies = COMMAND_NAMES.map((name) => recorder.replyTally(REPLY_KEYS[name]));
  }

  onPhase(phase: LoadPhase, outcome: PhaseOutcome, micros: number): void {
    if (phase === 'session') this.recorder.sessionEnded(outcome, micros);
    else this.recorder.record(phase, outcome, micros);
  }

  onMessage(outcome: PhaseOutcome, latencyMicros: number, serviceMicros: number): void {
    this.recorder.messageEnded(outcome, latencyMicros, serviceMicros);
  }

  onReply(command: Cmd, code: number, micros?: number): void {
    const recorder = this.recorder;
    if (micros !== undefined) {
      const phase = this.phases[command]!;
      if (phase >= 0) recorder.recordAt(phase, outcomeIndexOfReply(code), micros);
    }
    recorder.countReplyIn(this.tallies[command]!, code);
  }

  onError(kind: LoadErrorKind, message: string): void {
    this.recorder.countError(kind);
    const samples = (this.errorSamples[kind] ??= []);
    if (samples.length < SAMPLES) samples.push(message);
  }

  onBytes(sent: number, received: number): void {
    this.recorder.countBytes(sent, received);
  }
}

/**
 * Recording off (`record: false`, for measuring what recording costs): only whole messages
 * are counted, so throughput can still be computed; no histograms, no per-phase work.
 */
export class CountingSink implements LoadSink {
  constructor(private readonly recorder: PhaseRecorder) {}

  onPhase(phase: LoadPhase, outcome: PhaseOutcome, micros: number): void {
    if (phase === 'session') this.recorder.sessionEnded(outcome, micros);
  }

  onMessage(outcome: PhaseOutcome): void {
    this.recorder.messageCounted(outcome);
  }

  onReply(): void {}

  onError(kind: LoadErrorKind): void {
    this.recorder.countError(kind);
  }

  onBytes(sent: number, received: number): void {
    this.recorder.countBytes(sent, received);
  }
}
