/**
 * The names a load run is recorded under. The lists are the single source: the types derive from
 * them, the snapshot is keyed by them and the threshold parser validates against them.
 */

/**
 * Timed phases, in the order a message goes through them. `connect` ends when the TCP
 * connection is up, `tls` covers STARTTLS (command and handshake) or the implicit-TLS handshake,
 * `greeting` is the wait for the 220, `data` is DATA up to its 354, `eod` is sending the body
 * and the final `.` up to its reply. `message` spans one message (MAIL FROM to the end-of-data
 * reply) and `session` one connection (connect to QUIT's reply or the close); both are
 * measured from the *intended* start (see `NAMED_HISTOGRAMS` for the service time).
 */
export const PHASES = [
  'connect',
  'tls',
  'greeting',
  'ehlo',
  'auth',
  'mail',
  'rcpt',
  'data',
  'eod',
  'quit',
  'message',
  'session',
] as const;
export type Phase = (typeof PHASES)[number];

/**
 * How a timed phase ended. `2xx` is a positive reply, intermediate ones included (354 to DATA,
 * 334 to AUTH, 220 to STARTTLS); `4xx` and `5xx` the negative classes; `timeout` no reply in
 * time; `conn-error` the connection failed (refused, reset, TLS failure).
 */
export const OUTCOMES = ['2xx', '4xx', '5xx', 'timeout', 'conn-error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * Histograms outside the phase × outcome grid, recorded with `PhaseRecorder.recordNamed`:
 * - `schedule-lag`: how late the open model started a unit against its intended start;
 * - `message-service`, `session-service`: the time from the *actual* start, so
 *   `message` minus `message-service` is the coordinated-omission share.
 */
export const NAMED_HISTOGRAMS = ['schedule-lag', 'message-service', 'session-service'] as const;
export type NamedHistogram = (typeof NAMED_HISTOGRAMS)[number];

/** The outcome of a reply code: 1xx-3xx are `2xx` (positive), 4xx and 5xx their own class. */
export function outcomeOfReply(code: number): Outcome {
  if (code >= 500) return '5xx';
  if (code >= 400) return '4xx';
  return '2xx';
}

/** Index tables for the recorder's hot path (a property read instead of `indexOf`). */
export const PHASE_INDEX = indexTable(PHASES);
export const OUTCOME_INDEX = indexTable(OUTCOMES);
export const NAMED_INDEX = indexTable(NAMED_HISTOGRAMS);

const [POSITIVE, TRANSIENT, PERMANENT] = [
  OUTCOME_INDEX['2xx'],
  OUTCOME_INDEX['4xx'],
  OUTCOME_INDEX['5xx'],
];

/** `OUTCOME_INDEX[outcomeOfReply(code)]`, without the name. */
export function outcomeIndexOfReply(code: number): number {
  return code >= 500 ? PERMANENT : code >= 400 ? TRANSIENT : POSITIVE;
}

function indexTable<T extends string>(names: readonly T[]): Readonly<Record<T, number>> {
  const table = {} as Record<T, number>;
  names.forEach((name, i) => (table[name] = i));
  return Object.freeze(table);
}
