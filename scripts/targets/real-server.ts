/**
 * A real, independently written SMTP (or LMTP) server that the interop tier starts on loopback,
 * runs every built-in suite of its protocol against, and stops. One file per server in this
 * folder exports a `RealServer`; `install-<name>.sh` beside it installs the software
 * idempotently (the LMTP variants share the install script of their software).
 *
 * Rules every server keeps: listens on 127.0.0.1 only; accepts mail for the test domain
 * (`example.test`, any local part) and discards it or keeps it in a private temp spool; never
 * relays or delivers off the box; never makes a DNS query off loopback; is stopped by the PID
 * (or the control command) of what we started.
 */
export interface RealServer {
  /** Short id used in file names and reports: `postfix`, `exim`, `opensmtpd`, … */
  name: string;
  /**
   * The protocol it speaks (default `smtp`). An `lmtp` server gets only the LMTP suites, run
   * with `protocol: 'lmtp'` (LHLO instead of EHLO).
   */
  protocol?: 'smtp' | 'lmtp';
  /**
   * Its configuration offers STARTTLS and takes AUTH only inside TLS, so a plain run cannot
   * test AUTH: the tier adds a `--tls starttls` pass (test/interop/interop-passes.ts).
   */
  authAfterStartTls?: boolean;
  /** Whether the software is installed here (the install script has run). */
  isInstalled(): Promise<boolean>;
  /** Starts a private instance on a free loopback port; resolves once it sent its 220 greeting. */
  start(): Promise<RunningServer>;
}

export interface RunningServer {
  name: string;
  /** e.g. `Postfix 3.7.11` */
  version: string;
  host: '127.0.0.1';
  port: number;
  /** PIDs of the processes we started (the daemon's master process). */
  pids: number[];
  /** Test account for AUTH, when the server is configured with one. */
  credentials?: { user: string; pass: string };
  /** Extra `--var` values the suites need against this server (normally none). */
  vars?: Record<string, string>;
  /** Where accepted messages end up, when the server keeps them (else undefined). */
  spoolDir?: string;
  /** The server's own log output so far (for diagnosing a failure). */
  logs(): string;
  /** Stops what was started and removes its temp directory. Idempotent, never throws. */
  stop(): Promise<void>;
}
