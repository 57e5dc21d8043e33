import type { SessionOptions } from '../protocol/session.js';
import type { CaptureView } from './capture-view.js';

/** Where and how a conformance run talks to its target. */
export interface RunTarget {
  host: string;
  port: number;
  /** `starttls`: every case upgrades right after the greeting (EHLO, STARTTLS) before its steps. */
  tls: 'none' | 'starttls' | 'implicit';
  servername?: string;
}

export interface Credentials {
  user: string;
  pass: string;
}

export interface RunTimeouts {
  connectMs: number;
  /** Longest wait for one reply. */
  replyMs: number;
  /** Deadline for a whole case unless the case sets its own. */
  caseMs: number;
}

export interface RunContext {
  target: RunTarget;
  /** Built-in variable defaults; a suite's `vars:` override them for its cases. */
  vars: Readonly<Record<string, string>>;
  /** `--var` values: they override the suite's defaults. */
  overrides: Readonly<Record<string, string>>;
  credentials?: Credentials;
  timeouts: RunTimeouts;
  /** What the probe's EHLO advertised, as `requires:` matches it (capabilityRequirements). */
  capabilities: ReadonlySet<string>;
  /** The fixed SIZE limit the target advertised, for `${size_max}` and `${size_over}`. */
  sizeLimit?: number;
  /** The protocol of this run: suites of the other one are skipped. */
  protocol: 'smtp' | 'lmtp';
  /** The capture sink the target relays to (`--capture`); cases with `expect-delivered` need it. */
  capture?: CaptureView;
}

export const DEFAULT_TIMEOUTS: RunTimeouts = { connectMs: 5_000, replyMs: 10_000, caseMs: 60_000 };

/** How to open a session to the run's target (TLS from the first byte only for `implicit`). */
export function sessionOptions(
  target: RunTarget,
  timeouts: RunTimeouts,
  secrets: string[] = [],
): SessionOptions {
  return {
    host: target.host,
    port: target.port,
    tls: target.tls === 'implicit' ? 'implicit' : 'none',
    connectTimeoutMs: timeouts.connectMs,
    servername: target.servername,
    secrets,
  };
}
