import type { CaseResult } from '../../dialogue/case-result.js';
import type { Level } from '../../suite/model.js';
import { isGated } from '../conformance-report.js';

/**
 * What the HTML report shows for a case: its status, with `failed` split by what the failure
 * does to the run, as the console's FAIL / WARN / KNOWN tags do:
 *
 * | verdict | case |
 * |---|---|
 * | `passed` | passed |
 * | `failed` | failed at or above the gate: fails the run |
 * | `warned` | failed below the gate (SHOULD under `--level must`; MAY, INFO): recorded, not gating |
 * | `known` | failed, accepted by the baseline as a known deviation |
 * | `skipped` | skipped, with its reason |
 * | `error` | could not be run |
 *
 * So `failed + warned + known` of a report is its `summary.counts.failed`, and `failed` alone is
 * `summary.gatingFailures`.
 */
export type CaseVerdict = 'passed' | 'failed' | 'warned' | 'known' | 'skipped' | 'error';

export const VERDICT_ORDER: readonly CaseVerdict[] = [
  'passed',
  'failed',
  'warned',
  'known',
  'skipped',
  'error',
];

export type VerdictCounts = Record<CaseVerdict, number>;

export function caseVerdict(result: CaseResult, gate: Level): CaseVerdict {
  if (result.status !== 'failed') return result.status;
  if (result.accepted) return 'known';
  return isGated(result.level, gate) ? 'failed' : 'warned';
}

export function countVerdicts(cases: readonly CaseResult[], gate: Level): VerdictCounts {
  const counts: VerdictCounts = { passed: 0, failed: 0, warned: 0, known: 0, skipped: 0, error: 0 };
  for (const result of cases) counts[caseVerdict(result, gate)]++;
  return counts;
}

/** The verdicts a table shows: all but `known`, which only a run with a baseline can have. */
export function shownVerdicts(anyKnown: boolean): CaseVerdict[] {
  return VERDICT_ORDER.filter((verdict) => verdict !== 'known' || anyKnown);
}

/** A one-line explanation of each verdict, for tooltips and the legend. */
export const VERDICT_MEANING: Record<CaseVerdict, string> = {
  passed: 'the server followed the rule',
  failed: 'failed at or above the gate: fails the run',
  warned: 'failed below the gate: recorded, does not fail the run',
  known: 'failed, accepted by the baseline as a known deviation',
  skipped: 'not run (a capability the target does not advertise, no credentials, …)',
  error: 'could not be run (the run broke, not the rule)',
};
