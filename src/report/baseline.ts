import type { SuiteResult } from '../dialogue/case-result.js';

/** A known deviation as the report needs it (src/suite/load-baseline.ts parses the file). */
export interface AcceptedDeviation {
  caseId: string;
  reason: string;
}

/**
 * Marks each failed case that the baseline lists as `accepted` (it stays `failed`, visible, but
 * no longer gates), and returns the entries whose case now passes: stale entries the user
 * should remove. An entry whose case was skipped or not run is neither.
 */
export function applyBaseline(
  suites: SuiteResult[],
  deviations: readonly AcceptedDeviation[],
): { suites: SuiteResult[]; stale: string[] } {
  const reasons = new Map(deviations.map((d) => [d.caseId, d.reason]));
  const stale: string[] = [];
  const marked = suites.map((suite) => ({
    ...suite,
    cases: suite.cases.map((result) => {
      const reason = reasons.get(`${suite.id}/${result.id}`);
      if (reason === undefined) return result;
      if (result.status === 'passed') stale.push(`${suite.id}/${result.id}`);
      return result.status === 'failed' ? { ...result, accepted: { reason } } : result;
    }),
  }));
  return { suites: marked, stale };
}
