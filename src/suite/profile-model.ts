import type { SourceSpan } from '../core/span.js';

/**
 * The validated model of a load profile file (`suites/load/*.yaml`; the format is documented in
 * docs/load-profile.md and published as JSON Schema in docs/schema/profile.schema.json).
 *
 * A profile is always bounded: by `durationMs` (default 10 s) and optionally by `messages`;
 * the run stops at whichever comes first. Sizes are octets, times milliseconds, rates per second.
 */
export interface LoadProfile {
  /** Stable id, e.g. `smoke`; defaults to the file name without extension. */
  id: string;
  title: string;
  /** Path of the file as given to the loader. */
  file: string;
  /**
   * The time bound, always set: `duration`, else the stages' total for a ramping open model,
   * else 10 s. Past the last stage of a ramp, the last stage's rate holds.
   */
  durationMs: number;
  /**
   * Run the model this long before the measured run, recording nothing (0: no warm-up). The
   * warm-up's sessions are closed before the measured run opens its own; its messages reach
   * the server and are counted apart (`load.warmUp` in the report).
   */
  warmUpMs: number;
  /** Stop after this many messages have been started (all models). */
  messages?: number;
  /** Seed of every random choice (sizes, recipients, TLS mix); same seed, same run. 0..2^32-1. */
  seed: number;
  model: WorkloadModel;
  message: MessageMix;
  connection: ConnectionOptions;
  envelope: EnvelopeOptions;
  thresholds: ThresholdSpec[];
  span: SourceSpan;
}

/** Closed model: a fixed number of concurrent sessions, each sending one message after another. */
export interface ClosedModel {
  kind: 'closed';
  /** Concurrent sessions (virtual users). */
  sessions: number;
  /**
   * Messages per session before it QUITs and reconnects; absent = reuse until the run ends.
   * With `connection.reuse: false` every message has its own session (the loader refuses a
   * value above 1 there).
   */
  messagesPerSession?: number;
  /** Pause between two messages of one session. */
  thinkTimeMs: number;
  span: SourceSpan;
}

/** One stage of a ramping open model: move linearly to `rate` over `durationMs`. */
export interface RateStage {
  durationMs: number;
  /** Target rate per second at the end of the stage. */
  rate: number;
  span: SourceSpan;
}

/**
 * Open model: starts are scheduled at absolute times from the run's start, at a constant rate
 * or through ramping stages. A start that cannot be served (no free session within
 * `maxSessions`) is counted as dropped, never delayed.
 */
export interface OpenModel {
  kind: 'open';
  /** What a start is: a new session sending `messagesPerSession` messages, or one message. */
  unit: 'message' | 'session';
  /** Constant rate per second; absent when `stages` are given. */
  rate?: number;
  /** Ramping stages, empty when `rate` is given; the ramp starts from `startRate`. */
  stages: RateStage[];
  /** Rate per second at the start of the first stage (default 0; 0 without stages). */
  startRate: number;
  /** Cap on concurrent sessions; starts beyond it are dropped. */
  maxSessions: number;
  /** For `unit: session`: messages each started session sends (default 1); 1 for `message`. */
  messagesPerSession: number;
  /** `pre-open` as given; absent: the default (preOpenSessions). */
  preOpen?: number;
  span: SourceSpan;
}

/**
 * Sessions the open model opens before its schedule starts, so the first starts find a warm
 * pool: only a pool of reused sessions (`unit: message`, `reuse`) has them. `pre-open` as
 * given, else the sessions the peak rate keeps busy if each message takes
 * PROFILE_DEFAULTS.preOpenMessageMs; never more than `maxSessions`.
 */
export function preOpenSessions(model: OpenModel, reuse: boolean): number {
  if (model.unit !== 'message' || !reuse) return 0;
  const peakRate = Math.max(model.rate ?? 0, model.startRate, ...model.stages.map((s) => s.rate));
  const busy = Math.max(1, Math.ceil((peakRate * PROFILE_DEFAULTS.preOpenMessageMs) / 1000));
  return Math.min(model.maxSessions, model.preOpen ?? busy);
}

export type WorkloadModel = ClosedModel | OpenModel;

/** A numeric choice: a fixed value, uniform in [min, max], or an empirical cumulative table. */
export type Distribution =
  | { kind: 'fixed'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  /**
   * Points with rising `upTo` and `cumulative` rising to 1: P(X < upTo) = cumulative. Only sizes
   * use it; the first interval starts at `PROFILE_LIMITS.minMessageSize`.
   */
  | { kind: 'empirical'; points: { upTo: number; cumulative: number }[] };

export interface MessageMix {
  /** Message size in octets (headers included). */
  size: Distribution;
  recipients: Distribution;
  /** Attachments per message (base64 parts of the generated size share). */
  attachments: Distribution;
  /** How many distinct message shapes are composed up front and reused (default 64). */
  shapes: number;
  /** Send 8-bit bytes in the body with BODY=8BITMIME. */
  eightBit: boolean;
}

export type TlsMode = 'none' | 'starttls' | 'implicit';

export interface ConnectionOptions {
  /**
   * TLS mode per session, chosen by weight (weights sum to 1); one entry = always. `implicit`
   * is never mixed with the others: it needs a port of its own.
   */
  tls: { mode: TlsMode; weight: number }[];
  /** Authenticate each session (AUTH PLAIN) with the run's credentials. */
  auth: boolean;
  /** Pipeline MAIL/RCPT/DATA when the server offers PIPELINING. */
  pipelining: boolean;
  /** Send the body with BDAT when the server offers CHUNKING. */
  chunking: boolean;
  /** false: a new connection for every message. */
  reuse: boolean;
  /** EHLO domain. */
  helo: string;
}

export interface EnvelopeOptions {
  /** Reverse-path (`local@domain`); empty for the null reverse-path `<>`. */
  sender: string;
  /** Recipient local parts are `${recipientPrefix}${n}@${domain}`. */
  recipientPrefix: string;
  domain: string;
}

/** A threshold as written; parsed by metrics/threshold-parser at run time. */
export interface ThresholdSpec {
  expression: string;
  /** Stop the run as soon as this threshold is breached. */
  abortOnBreach: boolean;
  /**
   * Where the expression is written. For a plain scalar, or a quoted one without escapes, it
   * covers the text itself (quotes excluded), so `span.offset + i` is the expression's i-th
   * character; otherwise it covers the whole scalar.
   */
  span: SourceSpan;
}

/** The bounds the loader enforces (docs/load-profile.md). Sizes in octets, rates per second. */
export const PROFILE_LIMITS = {
  maxSessions: 100_000,
  maxRate: 1_000_000,
  /** A generated message carries about 250 octets of headers; smaller sizes cannot be honoured. */
  minMessageSize: 512,
  maxMessageSize: 100 * 1024 * 1024,
  maxRecipients: 1_000,
  maxAttachments: 100,
  maxShapes: 4_096,
  maxSeed: 0xffff_ffff,
  maxWarmUpMs: 600_000,
} as const;

/** Defaults the loader fills in. */
export const PROFILE_DEFAULTS = {
  durationMs: 10_000,
  seed: 1,
  shapes: 64,
  maxSessions: 1_000,
  preOpenMessageMs: 2,
  helo: 'client.example.test',
  sender: 'load@example.test',
  recipientPrefix: 'user',
  domain: 'example.test',
} as const;

/**
 * The default size mix: median about 4 KB with a long tail (cumulative share below each size).
 */
export const DEFAULT_SIZE_DISTRIBUTION: Distribution = {
  kind: 'empirical',
  points: [
    { upTo: 2 * 1024, cumulative: 0.235 },
    { upTo: 4 * 1024, cumulative: 0.492 },
    { upTo: 8 * 1024, cumulative: 0.676 },
    { upTo: 16 * 1024, cumulative: 0.796 },
    { upTo: 32 * 1024, cumulative: 0.854 },
    { upTo: 64 * 1024, cumulative: 0.905 },
    { upTo: 128 * 1024, cumulative: 0.933 },
    { upTo: 256 * 1024, cumulative: 0.957 },
    { upTo: 512 * 1024, cumulative: 0.972 },
    { upTo: 1024 * 1024, cumulative: 0.985 },
    { upTo: 10 * 1024 * 1024, cumulative: 1 },
  ],
};
