import type { SourceSpan } from '../core/span.js';

/**
 * The validated model of a suite file (the format is documented in docs/suite-format.md and
 * published as JSON Schema in docs/schema/suite.schema.json). Every node keeps the span of the
 * YAML node it came from, so any failure at run time can point back into the file.
 *
 * Strings marked `Template` may contain `${name}` references to variables; the dialogue runner
 * substitutes them at run time. Raw byte templates additionally contain escapes (`\r`, `\n`,
 * `\t`, `\0`, `\\`, `\xHH`) that are decoded to bytes after substitution.
 */
export type Template = string;

export const LEVELS = ['must', 'should', 'may', 'info'] as const;

export const PROTOCOLS = ['smtp', 'lmtp'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export type Level = (typeof LEVELS)[number];

export interface Suite {
  /** Stable suite id, e.g. `rfc5321-mail`; used as the JUnit classname. */
  id: string;
  title: string;
  /** Default RFC number for the cases, e.g. `5321`. */
  rfc: string;
  /** Path of the file as given to the loader. */
  file: string;
  /** Variable defaults declared by the suite (`vars:`); the command line overrides them. */
  vars: Record<string, string>;
  /** `smtp` (default) or `lmtp`: a run speaks one of them and skips the other's suites. */
  protocol: Protocol;
  cases: Case[];
  span: SourceSpan;
}

export interface Case {
  /** Unique within its suite, e.g. `mail-null-reverse-path`. */
  id: string;
  title: string;
  rfc: string;
  /** Section of the RFC, e.g. `4.5.5`. */
  section: string;
  level: Level;
  /**
   * EHLO keywords the target must advertise, else the case is skipped with the reason;
   * `KEYWORD=PARAM` also requires PARAM among the keyword's parameters (`AUTH=PLAIN`).
   */
  requires: string[];
  /** `auto`: the runner reads the greeting and requires 220 before the steps; `manual`: steps do. */
  greeting: 'auto' | 'manual';
  /** Deadline for the whole case; the runner's default applies when absent. */
  timeoutMs?: number;
  steps: Step[];
  span: SourceSpan;
}

/**
 * What a reply must look like. A reply matches when its code matches one of `codes` (all
 * codes when empty), none of `not`, and the `enhanced` and `text` conditions when given.
 */
export interface Expectation {
  /** Code patterns, any of which may match: three characters, each a digit or `x` (`250`, `2xx`, `55x`). */
  codes: string[];
  /** Code patterns that must not match. */
  not: string[];
  /** Enhanced status code pattern (`2.1.0`, `2.x.x`), or `*` for "any enhanced code present". */
  enhanced?: string;
  /** A regular expression (JavaScript syntax, no flags unless written `/…/i`) on the reply text. */
  text?: { source: string; flags: string };
  span: SourceSpan;
}

interface StepBase {
  span: SourceSpan;
}

/** `send`: one command line, or several written in one write (pipelining). CRLF is appended to each. */
export interface SendStep extends StepBase {
  kind: 'send';
  lines: Template[];
  /** One expectation per line, in order; absent = read one reply per line and accept any code. */
  expect?: Expectation[];
  /** Send the whole step this many times in lock-step; `${n}` is the 1-based round. */
  repeat?: number;
}

/** `raw`: bytes exactly as written (escapes decoded), nothing appended. */
export interface RawStep extends StepBase {
  kind: 'raw';
  bytes: Template;
  /** Replies to read after the write, in order; absent = read nothing. */
  expect?: Expectation[];
}

/** `expect`: read one reply (the greeting when `greeting: manual`, or a late reply). */
export interface ExpectStep extends StepBase {
  kind: 'expect';
  expect: Expectation;
}

/** `ehlo`: send EHLO, require the expectation (default 250), remember the capabilities. */
export interface EhloStep extends StepBase {
  kind: 'ehlo';
  domain: Template;
  expect: Expectation;
}

/** `data`: send DATA, require 354, send the body dot-stuffed and the final `.`, read the reply. */
export interface DataStep extends StepBase {
  kind: 'data';
  body: DataBody;
  /** Expectations on the replies after the final dot, one reply each (default: one 250). */
  expect: Expectation[];
}

export type DataBody =
  /** Text with `${var}` references; lines are joined with CRLF and dot-stuffed. */
  | { kind: 'text'; text: Template }
  /**
   * A generated message: headers, then lines of `lineLength` octets (CRLF excluded) up to
   * `size` octets; `size` is a number or a template such as `${size_over}`.
   */
  | { kind: 'generated'; size: number | Template; lineLength: number }
  /** Bytes sent as they are, with escapes decoded and no stuffing and no terminator added. */
  | { kind: 'raw'; bytes: Template };

/** `starttls`: send STARTTLS, require 220, then upgrade the connection. */
export interface StartTlsStep extends StepBase {
  kind: 'starttls';
}

/** `auth`: authenticate with the run's credentials; skipped-case when none are configured. */
export interface AuthStep extends StepBase {
  kind: 'auth';
  mechanism: 'PLAIN' | 'LOGIN';
  /** Expectation on the final reply (default 235). */
  expect: Expectation;
}

/** `pause`: wait without reading. */
export interface PauseStep extends StepBase {
  kind: 'pause';
  ms: number;
}

/** `expect-close`: the server must close the connection within `ms`; any reply meanwhile fails. */
export interface ExpectCloseStep extends StepBase {
  kind: 'expect-close';
  ms: number;
}

/**
 * `expect-silence`: no byte may arrive for `ms`. With `acceptRefusal`, a 4xx/5xx reply instead
 * ends the case as passed (a safe refusal), noted in its reason.
 */
export interface ExpectSilenceStep extends StepBase {
  kind: 'expect-silence';
  ms: number;
  acceptRefusal: boolean;
}

/** `tls-handshake`: start TLS without sending STARTTLS (the case sent it and read the 220). */
export interface TlsHandshakeStep extends StepBase {
  kind: 'tls-handshake';
}

/**
 * `expect-delivered`: the capture sink (`--capture`) must receive exactly `count` messages whose
 * raw bytes contain `match` (default `${token}`, unique to the case run): it waits up to
 * `withinMs` for them (and, with `from`, only those with that envelope sender), then `settleMs` more to see that no further one arrives (for
 * `count: 0`, the whole `withinMs`). Every matching message must contain each of `contains`
 * and none of `notContains` (byte strings with escapes).
 */
export interface ExpectDeliveredStep extends StepBase {
  kind: 'expect-delivered';
  match: Template;
  /** Only messages with this envelope sender count (compared case-insensitively). */
  from?: Template;
  count: number;
  withinMs: number;
  settleMs: number;
  contains: Template[];
  notContains: Template[];
}

/** `disconnect`: close the connection at once, without QUIT (a client dropped mid-session). */
export interface DisconnectStep extends StepBase {
  kind: 'disconnect';
}

export type Step =
  | SendStep
  | RawStep
  | ExpectStep
  | EhloStep
  | DataStep
  | StartTlsStep
  | AuthStep
  | PauseStep
  | ExpectCloseStep
  | ExpectSilenceStep
  | TlsHandshakeStep
  | ExpectDeliveredStep
  | DisconnectStep;

/** Variables every suite may use, with their defaults (overridable with `--var name=value`). */
export const DEFAULT_VARS: Readonly<Record<string, string>> = {
  domain: 'example.test',
  client: 'client.example.test',
  sender: 'sender@example.test',
  recipient: 'postmaster@${domain}',
};

/**
 * Variables the runner defines for every case run: `token` is unique to one run of one case
 * (letters and digits), for finding the case's own messages in the capture sink.
 */
export const CASE_VARS = ['token'] as const;

/** Variables the runner defines itself while running a step. */
export const RUNTIME_VARS = ['n'] as const;

/** Variables the runner derives from the credentials; always redacted in transcripts. */
export const AUTH_VARS = [
  'auth_user',
  'auth_pass',
  'auth_plain',
  'auth_user_b64',
  'auth_pass_b64',
] as const;

/** Variables the runner derives from the target's advertised SIZE limit. */
export const SIZE_VARS = ['size_max', 'size_over'] as const;
