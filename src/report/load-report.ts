import type { GeneratorHealth } from '../load/generator-health.js';
import type { LoadSnapshot } from '../metrics/load-snapshot.js';
import type { ThresholdVerdict } from '../metrics/threshold-evaluator.js';
import { SCHEMA_VERSION } from './conformance-report.js';

/**
 * The JSON result of a load run (docs/report-format.md, "Load results"); the same top level as
 * a conformance result, with `load` in place of `conformance`:
 *
 * ```json
 * { "schemaVersion": 1, "tool": {…}, "target": {…}, "startedAt": "…", "durationMs": 10012,
 *   "interrupted": false,
 *   "summary": { "verdict": "passed", "messages": 52311, "ok": 52311, "failed": 0, "errors": 0,
 *                "throughput": 5228.1, "thresholds": { "passed": 2, "failed": 0 },
 *                "saturated": false },
 *   "load": { "profile": {…}, "workers": 2, "snapshot": {…}, "health": {…},
 *             "thresholds": [ { "expression": "p99(eod) < 50ms", "ok": true, … } ],
 *             "errorSamples": {}, "calibration": { "messagesPerSecond": 31000, … } } }
 * ```
 */
export interface LoadSummary {
  /** `failed`: a threshold was breached; `error`: the run was interrupted; else `passed`. */
  verdict: 'passed' | 'failed' | 'error';
  messages: number;
  ok: number;
  failed: number;
  errors: number;
  dropped: number;
  /** Accepted messages per second over the run. */
  throughput: number;
  thresholds: { passed: number; failed: number };
  /** The generator was saturated: latency figures measure the generator too. */
  saturated: boolean;
  /** The aborting threshold that ended the run early. */
  abortedBy?: string;
}

export interface LoadProfileInfo {
  id: string;
  title: string;
  file: string;
  model: 'closed' | 'open';
  /** The profile file as it was run (for the HTML report), with the command line's overrides. */
  source: string;
  overrides: Record<string, string>;
  seed: number;
  durationMs: number;
  /** The profile's `warm-up` (0: none); absent in results written before warm-up existed. */
  warmUpMs?: number;
}

/** What the warm-up sent before the measured run (none of it is in `snapshot`). */
export interface WarmUpInfo {
  durationMs: number;
  /** Messages started, and accepted at end of data. */
  attempted: number;
  ok: number;
}

export interface Calibration {
  /** Messages per second the generator reached against the embedded sink. */
  messagesPerSecond: number;
  durationMs: number;
  sessions: number;
}

export interface LoadSection {
  profile: LoadProfileInfo;
  workers: number;
  /** Recording per phase was on (off only to measure its cost). */
  recorded: boolean;
  snapshot: LoadSnapshot;
  health: GeneratorHealth;
  thresholds: ThresholdVerdict[];
  errorSamples: Record<string, string[]>;
  /** Present when the profile has a `warm-up`. */
  warmUp?: WarmUpInfo;
  calibration?: Calibration;
}

export interface LoadReport {
  schemaVersion: number;
  tool: { name: string; version: string };
  target: { host: string; port: number; banner: string | null; capabilities: string[] };
  startedAt: string;
  durationMs: number;
  interrupted: boolean;
  summary: LoadSummary;
  load: LoadSection;
}

export interface LoadReportInput {
  tool: LoadReport['tool'];
  target: LoadReport['target'];
  startedAt: Date;
  interrupted: boolean;
  abortedBy?: string;
  load: LoadSection;
}

export function buildLoadReport(input: LoadReportInput): LoadReport {
  const { snapshot, thresholds, health } = input.load;
  const { messages, dropped, errors } = snapshot.counters;
  const errorTotal = Object.values(errors).reduce((n, k) => n + k, 0);
  const failedThresholds = thresholds.filter((t) => !t.ok).length;
  const verdict = failedThresholds > 0 ? 'failed' : input.interrupted ? 'error' : 'passed';
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: input.tool,
    target: input.target,
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.round(snapshot.durationMs),
    interrupted: input.interrupted,
    summary: {
      verdict,
      messages: messages.attempted,
      ok: messages.ok,
      failed: messages.failed,
      errors: errorTotal,
      dropped,
      throughput: perSecond(messages.ok, snapshot.durationMs),
      thresholds: { passed: thresholds.length - failedThresholds, failed: failedThresholds },
      saturated: health.saturated,
      ...(input.abortedBy ? { abortedBy: input.abortedBy } : {}),
    },
    load: input.load,
  };
}

function perSecond(count: number, ms: number): number {
  return ms > 0 ? Math.round((count / ms) * 1000 * 10) / 10 : 0;
}
