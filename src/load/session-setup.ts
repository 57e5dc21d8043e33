import { showable } from '../protocol/reply.js';
import { type EhloCapabilities, parseEhloLines } from './ehlo-capabilities.js';
import type { TlsMode } from '../suite/profile-model.js';
import type { LoadErrorKind, LoadSink, PhaseOutcome } from './load-sink.js';
import { Cmd, outcomeOfCode } from './load-sink.js';
import type { SessionScript } from './session-script.js';

/**
 * Opening a load session once it is connected, as async steps (once per session, not per
 * message, so promises are fine here):
 *
 *   greeting ─ EHLO ─ [STARTTLS ─ 220 ─ TLS handshake ─ EHLO] ─ [AUTH PLAIN ─ (334 ─ response) ─ 235]
 *
 * Each step records its phase and reply code. A refusal ends the session through
 * `host.failSetup` with a one-line reason; the AUTH line is never quoted and server text is
 * redacted (a hostile server may echo the credentials).
 */
export interface SetupReply {
  code: number;
  lines: string[] | undefined;
  /** From the write (or, for the greeting, from the connection) to the reply. */
  micros: number;
}

export interface SetupHost {
  readonly sink: LoadSink;
  readonly script: SessionScript;
  readonly tlsMode: TlsMode;
  readonly authenticate: boolean;
  /**
   * Writes `bytes` (if any) and waits for the reply to `kind`; undefined when the session died
   * first (the failure is already recorded). `keepText` keeps every reply line (EHLO).
   */
  command(
    kind: Cmd,
    bytes: Buffer | undefined,
    keepText?: boolean,
  ): Promise<SetupReply | undefined>;
  /** The TLS handshake after STARTTLS's 220; records the `tls` phase; false when it failed. */
  upgradeTls(): Promise<boolean>;
  failSetup(outcome: PhaseOutcome, kind: LoadErrorKind, message: string): void;
  redact(text: string): string;
}

/** Runs the steps; the server's capabilities once the session is ready, else undefined. */
export async function runSetup(host: SetupHost): Promise<EhloCapabilities | undefined> {
  const greeting = await host.command(Cmd.greeting, undefined);
  if (!greeting) return undefined;
  host.sink.onReply(Cmd.greeting, greeting.code, greeting.micros);
  if (!isPositive(greeting.code, 2)) {
    return refuse(host, greeting, 'rejected', 'greeting refused');
  }
  let caps = await ehlo(host);
  if (caps && host.tlsMode === 'starttls') caps = await startTls(host, caps);
  if (caps && host.authenticate && !(await authenticate(host, caps))) return undefined;
  return caps;
}

async function ehlo(host: SetupHost): Promise<EhloCapabilities | undefined> {
  const reply = await host.command(Cmd.ehlo, host.script.ehlo, true);
  if (!reply) return undefined;
  host.sink.onReply(Cmd.ehlo, reply.code, reply.micros);
  if (!isPositive(reply.code, 2)) return refuse(host, reply, 'rejected', 'EHLO refused');
  return parseEhloLines(reply.lines ?? []);
}

async function startTls(
  host: SetupHost,
  caps: EhloCapabilities,
): Promise<EhloCapabilities | undefined> {
  if (!caps.starttls) {
    host.failSetup('5xx', 'starttls-unavailable', 'the server does not offer STARTTLS');
    return undefined;
  }
  const reply = await host.command(Cmd.starttls, host.script.starttls);
  if (!reply) return undefined;
  host.sink.onReply(Cmd.starttls, reply.code);
  if (!isPositive(reply.code, 2)) {
    return refuse(host, reply, 'starttls-unavailable', 'STARTTLS refused');
  }
  if (!(await host.upgradeTls())) return undefined;
  return ehlo(host);
}

async function authenticate(host: SetupHost, caps: EhloCapabilities): Promise<boolean> {
  const { authPlain, authResponse } = host.script;
  if (!authPlain || !authResponse) {
    host.failSetup('5xx', 'auth-unavailable', 'AUTH requested but no credentials were given');
    return false;
  }
  if (!caps.auth.includes('PLAIN')) {
    const offered = caps.auth.length > 0 ? caps.auth.join(' ') : 'no AUTH';
    host.failSetup('5xx', 'auth-unavailable', `the server offers no AUTH PLAIN (${offered})`);
    return false;
  }
  let reply = await host.command(Cmd.auth, authPlain);
  if (!reply) return false;
  let micros = reply.micros;
  if (reply.code === 334) {
    host.sink.onReply(Cmd.auth, reply.code);
    reply = await host.command(Cmd.auth, authResponse);
    if (!reply) return false;
    micros += reply.micros;
  }
  host.sink.onReply(Cmd.auth, reply.code, micros);
  if (isPositive(reply.code, 2)) return true;
  refuse(host, reply, 'auth-failed', 'AUTH PLAIN refused');
  return false;
}

function isPositive(code: number, digit: number): boolean {
  return Math.floor(code / 100) === digit;
}

function refuse(host: SetupHost, reply: SetupReply, kind: LoadErrorKind, what: string): undefined {
  const outcome = reply.code >= 400 ? outcomeOfCode(reply.code) : '5xx';
  host.failSetup(outcome, kind, `${what}: ${describeReply(host, reply)}`);
  return undefined;
}

/** `550 5.7.1 go away` (first line, escaped and redacted, at most 200 characters). */
function describeReply(host: SetupHost, reply: SetupReply): string {
  const first = host.redact(showable(reply.lines?.[0] ?? '')).slice(0, 200);
  const more = (reply.lines?.length ?? 0) > 1 ? ` (+${reply.lines!.length - 1} lines)` : '';
  return `${reply.code} ${first}`.trimEnd() + more;
}
