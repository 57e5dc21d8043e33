/**
 * What a load session emits. The metrics layer implements `LoadSink` (HDR phase recorder,
 * reply-code and error counters); the session calls it directly on the hot path, so the names
 * below are the recorder's own and no adapter sits in between.
 *
 * Latencies are whole microseconds from a monotonic clock (fast-clock.ts).
 */
export type LoadPhase =
  | 'connect'
  | 'tls'
  | 'greeting'
  | 'ehlo'
  | 'auth'
  | 'mail'
  | 'rcpt'
  | 'data'
  | 'eod'
  | 'quit'
  | 'message'
  | 'session';

/**
 * How a phase ended: the class of the reply that ended it, or no reply at all. A positive
 * intermediate reply where one is expected (354 to DATA, 334 to AUTH, 220 to STARTTLS) counts
 * as `2xx`.
 */
export type PhaseOutcome = '2xx' | '4xx' | '5xx' | 'timeout' | 'conn-error';

/** The commands whose reply codes are counted (`onReply`), by name. */
export type LoadCommand =
  | 'greeting'
  | 'EHLO'
  | 'STARTTLS'
  | 'AUTH'
  | 'MAIL'
  | 'RCPT'
  | 'DATA'
  | 'EOD'
  | 'BDAT'
  | 'RSET'
  | 'QUIT';

/**
 * The same commands as numbers: what a session tracks per command written (pending-replies.ts)
 * and what `onReply` gets, so the sink resolves a command's phase and counter by array index,
 * not by name, on the hot path. `COMMAND_NAMES[cmd]` is the name.
 */
export const Cmd = {
  greeting: 0,
  ehlo: 1,
  starttls: 2,
  auth: 3,
  mail: 4,
  rcpt: 5,
  data: 6,
  eod: 7,
  bdat: 8,
  rset: 9,
  quit: 10,
} as const;
export type Cmd = (typeof Cmd)[keyof typeof Cmd];

/** The name of each command. */
export const COMMAND_NAMES: readonly LoadCommand[] = [
  'greeting',
  'EHLO',
  'STARTTLS',
  'AUTH',
  'MAIL',
  'RCPT',
  'DATA',
  'EOD',
  'BDAT',
  'RSET',
  'QUIT',
];

/** The phase a reply to each command ends (none for STARTTLS and RSET). */
export const COMMAND_PHASES: readonly (LoadPhase | undefined)[] = [
  'greeting',
  'ehlo',
  undefined,
  'auth',
  'mail',
  'rcpt',
  'data',
  'eod',
  'eod',
  undefined,
  'quit',
];

/**
 * Why a session failed or a step was refused, one word each:
 *
 *   refused / unreachable   the TCP connection was refused / the host is unreachable
 *   connect-failed          any other failure to connect (the system's message says which)
 *   connect-timeout         no TCP connection (or implicit TLS handshake) within the time
 *   tls                     a TLS handshake failed (implicit TLS or STARTTLS)
 *   timeout                 no complete reply within the reply timeout
 *   closed                  the server closed the connection while a reply was expected
 *   reset                   the connection was reset (ECONNRESET, EPIPE, …)
 *   protocol                the server sent something that is not a reply (bad code, line too
 *                           long, a reply nobody asked for)
 *   rejected                the greeting or EHLO was refused (4xx/5xx)
 *   starttls-unavailable    STARTTLS required but not offered, or refused
 *   auth-unavailable        AUTH required but PLAIN not offered
 *   auth-failed             AUTH PLAIN refused
 */
export type LoadErrorKind =
  | 'refused'
  | 'unreachable'
  | 'connect-failed'
  | 'connect-timeout'
  | 'tls'
  | 'timeout'
  | 'closed'
  | 'reset'
  | 'protocol'
  | 'rejected'
  | 'starttls-unavailable'
  | 'auth-unavailable'
  | 'auth-failed';

export interface LoadSink {
  /**
   * A phase ended after `micros` µs with `outcome`. For the phases a reply ends, and that reply
   * arrived, the session calls `onReply` with the µs instead; this is for every other end:
   * `connect`, `tls`, `session`, and a phase cut short by a timeout or a connection error.
   */
  onPhase(phase: LoadPhase, outcome: PhaseOutcome, micros: number): void;
  /**
   * A message ended: `latencyMicros` from its intended start (the open model's schedule; else
   * the same as `serviceMicros`), `serviceMicros` from its first write.
   */
  onMessage(outcome: PhaseOutcome, latencyMicros: number, serviceMicros: number): void;
  /**
   * A reply with `code` arrived for `command`. With `micros`, the reply also ended the phase of
   * `command` (`COMMAND_PHASES`) after that many µs, under the code's class (`outcomeOfCode`);
   * without, it ended none (STARTTLS's 220, AUTH's 334, RSET's reply).
   */
  onReply(command: Cmd, code: number, micros?: number): void;
  /**
   * A failure, with a one-line description for the report. Never contains credentials: AUTH
   * lines are not quoted, and server text is passed through the session's redactor.
   */
  onError(kind: LoadErrorKind, message: string): void;
  /**
   * A session's connection closed, having carried `sent` and `received` octets on the wire
   * (TCP payload: TLS records included). Once per connection that was established.
   */
  onBytes?(sent: number, received: number): void;
}

/** The outcome class of a reply code: below 400 is positive. */
export function outcomeOfCode(code: number): PhaseOutcome {
  return code < 400 ? '2xx' : code < 500 ? '4xx' : '5xx';
}

/** A sink that drops everything (benchmarks, callers that only want the promise results). */
export const NULL_SINK: LoadSink = {
  onPhase: () => undefined,
  onMessage: () => undefined,
  onReply: () => undefined,
  onError: () => undefined,
};
