import type { Level } from '../suite/model.js';
import type { AuditFinding } from '../protocol/reply.js';
import type { TranscriptEntry } from '../protocol/transcript-types.js';

/**
 * The outcome of one case. `failed` means the server broke the rule the case checks (an
 * assertion); `error` means the run itself broke (could not connect, internal problem), which
 * says nothing about conformance. `skipped` carries the reason (a missing capability).
 */
export type CaseStatus = 'passed' | 'failed' | 'skipped' | 'error';

export interface CaseFailure {
  /** 1-based index of the step that failed (0 = the greeting or the connection). */
  step: number;
  /** `file:line:col` of the step in the suite file. */
  location: string;
  expected: string;
  actual: string;
  /** Set when the failure was a deadline: the server did not answer in time. */
  timedOut?: boolean;
}

/** A reply-syntax finding, tied to the command that drew it. */
export interface ReplyFinding extends AuditFinding {
  /** The command (or `greeting`) whose reply had the problem. */
  command: string;
  /** The reply as received, escaped for display. */
  reply: string;
}

export interface CaseResult {
  id: string;
  title: string;
  rfc: string;
  section: string;
  level: Level;
  status: CaseStatus;
  /** One line: why the case did not pass (empty when it passed). */
  reason: string;
  failure?: CaseFailure;
  durationMs: number;
  transcript: TranscriptEntry[];
  findings: ReplyFinding[];
  /** Set on a failed case that the run's baseline lists: a known deviation, not gating. */
  accepted?: { reason: string };
}

export interface SuiteResult {
  id: string;
  title: string;
  file: string;
  rfc: string;
  cases: CaseResult[];
}
