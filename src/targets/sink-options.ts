import type { TlsIdentity } from './certificate.js';

/**
 * What the sink can be told: where to listen, which extensions to offer, and the faults and
 * delays to inject. Every field is optional; `resolveSinkConfig` fills in the defaults.
 */
export interface SinkTargetOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on; default 127.0.0.1. */
  host?: string;
  /** Server name in the greeting and the EHLO reply; default 'example.test'. */
  name?: string;
  /** SIZE in octets, advertised and enforced (MAIL SIZE= and the received message); 0 = no limit. Default 10 MiB. */
  size?: number;
  /** Offers STARTTLS with this certificate (e.g. from generateLoopbackCertificate()). */
  certificate?: TlsIdentity;
  /** Offers AUTH PLAIN and accepts exactly this account (AUTH stays optional for MAIL). */
  credentials?: { user: string; pass: string };
  /** Milliseconds to wait before each kind of reply (see SINK_DELAY_KEYS). */
  delays?: SinkDelays;
  /** Fraction (0–1) of MAIL, RCPT and end-of-data replies turned into 451. */
  tempFailRate?: number;
  /** Fraction (0–1) of MAIL, RCPT and end-of-data replies turned into 554. */
  permFailRate?: number;
  /** Fraction (0–1) of commands answered by dropping the connection instead. */
  disconnectRate?: number;
  /** Seed of the fault choices; the same seed gives each connection the same choices. Default 1. */
  seed?: number;
  /** Open connections at most; one more is greeted with 421 and closed. Default: no limit. */
  maxConnections?: number;
  /** A connection silent this long gets 421 and is closed; default 5 minutes (RFC 5321 §4.5.3.2.7). */
  idleTimeoutMs?: number;
}

/**
 * The replies a delay applies to:
 * - `greeting`: the 220 on connect;
 * - `ehlo`: EHLO and HELO; `mail`, `rcpt`, `quit`: those commands;
 * - `data`: the reply to the DATA command itself (354, or its refusal);
 * - `eod`: the reply after a message's end (the final "." of DATA, or BDAT … LAST);
 * - `bdat`: the reply to each BDAT chunk (so BDAT … LAST waits `bdat` + `eod`).
 */
export const SINK_DELAY_KEYS = [
  'greeting',
  'ehlo',
  'mail',
  'rcpt',
  'data',
  'eod',
  'quit',
  'bdat',
] as const;
export type SinkDelayKey = (typeof SINK_DELAY_KEYS)[number];
export type SinkDelays = Partial<Record<SinkDelayKey, number>>;

/** The options with every default applied, as the sessions read them. */
export interface SinkConfig {
  name: string;
  size: number;
  certificate: TlsIdentity | undefined;
  credentials: { user: string; pass: string } | undefined;
  delays: Record<SinkDelayKey, number>;
  tempFailRate: number;
  permFailRate: number;
  disconnectRate: number;
  seed: number;
  maxConnections: number;
  idleTimeoutMs: number;
}

export const SINK_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  name: 'example.test',
  size: 10 * 1024 * 1024,
  seed: 1,
  idleTimeoutMs: 5 * 60_000,
});

/** The longest delay or timeout a timer can wait (2^31 - 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

/** Every problem with `options`, one sentence each; empty when they are usable. */
export function sinkOptionProblems(options: SinkTargetOptions): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string): void => void (ok || problems.push(problem));
  const rate = (value: number | undefined, name: string): void =>
    check(value === undefined || (value >= 0 && value <= 1), `${name} must be between 0 and 1`);
  const count = (value: number | undefined, name: string, min: number, max: number): void =>
    check(
      value === undefined || (Number.isInteger(value) && value >= min && value <= max),
      `${name} must be an integer from ${min} to ${max}`,
    );
  count(options.port, 'port', 0, 65535);
  count(options.size, 'size', 0, Number.MAX_SAFE_INTEGER);
  count(options.seed, 'seed', 0, 0xffffffff);
  count(options.maxConnections, 'maxConnections', 1, Number.MAX_SAFE_INTEGER);
  count(options.idleTimeoutMs, 'idleTimeoutMs', 1, MAX_TIMER_MS);
  rate(options.tempFailRate, 'tempFailRate');
  rate(options.permFailRate, 'permFailRate');
  rate(options.disconnectRate, 'disconnectRate');
  check(
    (options.tempFailRate ?? 0) + (options.permFailRate ?? 0) <= 1,
    'tempFailRate + permFailRate must not exceed 1',
  );
  for (const [key, ms] of Object.entries(options.delays ?? {})) {
    check((SINK_DELAY_KEYS as readonly string[]).includes(key), `delays.${key} is not a delay`);
    check(
      ms === undefined || (Number.isFinite(ms) && ms >= 0 && ms <= MAX_TIMER_MS),
      `delays.${key} must be from 0 to ${MAX_TIMER_MS} ms`,
    );
  }
  check(!/[\r\n]/.test(options.name ?? ''), 'name must not contain CR or LF');
  return problems;
}

export function resolveSinkConfig(options: SinkTargetOptions): SinkConfig {
  const delays = Object.fromEntries(
    SINK_DELAY_KEYS.map((key) => [key, options.delays?.[key] ?? 0]),
  ) as Record<SinkDelayKey, number>;
  return {
    name: options.name ?? SINK_DEFAULTS.name,
    size: options.size ?? SINK_DEFAULTS.size,
    certificate: options.certificate,
    credentials: options.credentials,
    delays,
    tempFailRate: options.tempFailRate ?? 0,
    permFailRate: options.permFailRate ?? 0,
    disconnectRate: options.disconnectRate ?? 0,
    seed: options.seed ?? SINK_DEFAULTS.seed,
    maxConnections: options.maxConnections ?? Infinity,
    idleTimeoutMs: options.idleTimeoutMs ?? SINK_DEFAULTS.idleTimeoutMs,
  };
}
