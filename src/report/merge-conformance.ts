import type { SuiteResult } from '../dialogue/case-result.js';
import { buildConformanceReport, type ConformanceReport } from './conformance-report.js';

/**
 * Conformance shards (`--shard i/n` runs, or runs of different suites against one target)
 * combined into one result: the suites of all shards (a suite split over shards gets the union
 * of its cases; a case found twice keeps its first result and is reported in `duplicates`),
 * the earliest start, the longest duration, `interrupted` if any shard was, the first shard's
 * gate, and the summary counted again over the merged cases.
 */
export function mergeConformance(reports: readonly ConformanceReport[]): {
  report: ConformanceReport;
  duplicates: string[];
} {
  const first = reports[0]!;
  const suites = new Map<string, SuiteResult>();
  const duplicates: string[] = [];
  for (const report of reports) {
    for (const suite of report.conformance.suites) {
      const known = suites.get(suite.id);
      if (!known) {
        suites.set(suite.id, { ...suite, cases: [...suite.cases] });
        continue;
      }
      for (const result of suite.cases) {
        if (known.cases.some((c) => c.id === result.id))
          duplicates.push(`${suite.id}/${result.id}`);
        else known.cases.push(result);
      }
    }
  }
  const merged = buildConformanceReport({
    tool: first.tool,
    target: first.target,
    startedAt: new Date(Math.min(...reports.map((r) => Date.parse(r.startedAt)))),
    durationMs: Math.max(...reports.map((r) => r.durationMs)),
    interrupted: reports.some((r) => r.interrupted),
    gate: first.summary.gate,
    suites: [...suites.values()],
  });
  const stale = [...new Set(reports.flatMap((r) => r.summary.staleBaseline))];
  return {
    report: { ...merged, summary: { ...merged.summary, staleBaseline: stale } },
    duplicates,
  };
}
