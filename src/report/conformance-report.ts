import type { CaseResult, CaseStatus, SuiteResult } from '../dialogue/case-result.js';
import type { Level } from '../suite/model.js';
import { applyBaseline, type AcceptedDeviation } from './baseline.js';

/**
 * The JSON result of a run (documented in docs/report-format.md). Versioned: a consumer checks
 * `schemaVersion`; fields are only ever added within one version.
 */
export const SCHEMA_VERSION = 1;

export const LEVEL_ORDER: readonly Level[] = ['must', 'should', 'may', 'info'];

export type StatusCounts = Record<CaseStatus, number>;

export interface RunSummary {
  /**
   * `passed`: no gating case failed; `failed`: one did; `error`: no gating case failed but the
   * run itself broke (cases that could not be run, or an interrupted run).
   */
  verdict: 'passed' | 'failed' | 'error';
  /** The lowest level whose failures fail the run (`must` gates only MUST cases). */
  gate: Level;
  total: number;
  counts: StatusCounts;
  byLevel: Record<Level, StatusCounts>;
  /** Failed cases at or above the gate, not counting accepted ones. */
  gatingFailures: number;
  /** Failed cases the baseline accepts as known deviations. */
  accepted: number;
  /** Baseline entries whose case now passes: remove them from the baseline. */
  staleBaseline: string[];
}

export interface TargetInfo {
  host: string;
  port: number;
  banner: string | null;
  capabilities: string[];
}

export interface ConformanceReport {
  schemaVersion: number;
  tool: { name: string; version: string };
  target: TargetInfo;
  startedAt: string;
  durationMs: number;
  interrupted: boolean;
  summary: RunSummary;
  conformance: { suites: SuiteResult[] };
}

export interface ReportInput {
  tool: { name: string; version: string };
  target: TargetInfo;
  startedAt: Date;
  durationMs: number;
  interrupted: boolean;
  gate: Level;
  suites: SuiteResult[];
  /** Known deviations (`--baseline`): accepted failures, and stale entries to report. */
  baseline?: readonly AcceptedDeviation[];
}

export function buildConformanceReport(input: ReportInput): ConformanceReport {
  const { suites, stale } = applyBaseline(input.suites, input.baseline ?? []);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: input.tool,
    target: input.target,
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.round(input.durationMs),
    interrupted: input.interrupted,
    summary: { ...summarise(suites, input.gate, input.interrupted), staleBaseline: stale },
    conformance: { suites },
  };
}

/** Is a case of `level` gated by `gate`? (`should` gates should and must.) */
export function isGated(level: Level, gate: Level): boolean {
  return LEVEL_ORDER.indexOf(level) <= LEVEL_ORDER.indexOf(gate);
}

export function summarise(
  suites: SuiteResult[],
  gate: Level,
  interrupted = false,
): Omit<RunSummary, 'staleBaseline'> {
  const counts = emptyCounts();
  const byLevel = Object.fromEntries(LEVEL_ORDER.map((level) => [level, emptyCounts()])) as Record<
    Level,
    StatusCounts
  >;
  let gatingFailures = 0;
  let accepted = 0;
  let errors = 0;
  const all: CaseResult[] = suites.flatMap((suite) => suite.cases);
  for (const result of all) {
    counts[result.status]++;
    byLevel[result.level][result.status]++;
    if (result.status === 'failed' && result.accepted) accepted++;
    else if (result.status === 'failed' && isGated(result.level, gate)) gatingFailures++;
    if (result.status === 'error') errors++;
  }
  const verdict = gatingFailures > 0 ? 'failed' : errors > 0 || interrupted ? 'error' : 'passed';
  return { verdict, gate, total: all.length, counts, byLevel, gatingFailures, accepted };
}

function emptyCounts(): StatusCounts {
  return { passed: 0, failed: 0, skipped: 0, error: 0 };
}

/** The report as written to report.json: two-space indented, newline-terminated. */
export function renderJson(report: object): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
