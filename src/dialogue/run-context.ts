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
  /** EHLO keywords the target advertised to the probe (upper-case). */
  capabilities: ReadonlySet<string>;
}

export const DEFAULT_TIMEOUTS: RunTimeouts = { connectMs: 5_000, replyMs: 10_000, caseMs: 60_000 };
