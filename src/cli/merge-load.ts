import type { GeneratorHealth } from '../load/generator-health.js';
import { mergeSnapshots } from '../metrics/merge-snapshots.js';
import { evaluateThresholds } from '../metrics/threshold-evaluator.js';
import { parseThreshold } from '../metrics/threshold-parser.js';
import { buildLoadReport, type LoadReport, type WarmUpInfo } from '../report/load-report.js';

/**
 * Load shards combined into one result: the histograms and counters merged losslessly
 * (metrics/merge-snapshots.ts), every threshold of any shard evaluated again on the merged data,
 * and the generators' health combined (threads and CPU summed, the worst delay and utilisation,
 * saturated if any shard was, each reason kept with its shard's number), and the warm-ups'
 * messages summed.
 */
export function mergeLoad(reports: readonly LoadReport[]): LoadReport | { problem: string } {
  const merged = mergeSnapshots(...reports.map((r) => r.load.snapshot));
  if (!merged.ok) return { problem: merged.problems.join('; ') };
  const expressions = [
    ...new Set(reports.flatMap((r) => r.load.thresholds.map((t) => t.expression))),
  ];
  const thresholds = expressions.flatMap((e) => {
    const parsed = parseThreshold(e);
    return parsed.ok ? [parsed.threshold] : [];
  });
  const first = reports[0]!;
  const abortedBy = reports.find((r) => r.summary.abortedBy)?.summary.abortedBy;
  return buildLoadReport({
    tool: first.tool,
    target: first.target,
    startedAt: new Date(Math.min(...reports.map((r) => Date.parse(r.startedAt)))),
    interrupted: reports.some((r) => r.interrupted),
    ...(abortedBy ? { abortedBy } : {}),
    load: {
      ...first.load,
      workers: reports.reduce((n, r) => n + r.load.workers, 0),
      recorded: reports.every((r) => r.load.recorded),
      snapshot: merged.snapshot,
      health: mergeHealth(reports, merged.snapshot.named['schedule-lag']?.p99),
      thresholds: evaluateThresholds(thresholds, merged.snapshot),
      errorSamples: mergeSamples(reports),
      ...mergeWarmUp(reports),
    },
  });
}

/** The shards' warm-ups together: what they all sent (the longest warm-up's length). */
function mergeWarmUp(reports: readonly LoadReport[]): { warmUp?: WarmUpInfo } {
  const all = reports.flatMap((r) => (r.load.warmUp ? [r.load.warmUp] : []));
  if (all.length === 0) return {};
  const sum = (pick: (w: WarmUpInfo) => number) => all.reduce((n, w) => n + pick(w), 0);
  const durationMs = Math.max(...all.map((w) => w.durationMs));
  return { warmUp: { durationMs, attempted: sum((w) => w.attempted), ok: sum((w) => w.ok) } };
}

function mergeHealth(
  reports: readonly LoadReport[],
  scheduleLagP99Ms: number | undefined,
): GeneratorHealth {
  const all = reports.map((r) => r.load.health);
  const max = (pick: (h: GeneratorHealth) => number) => Math.max(...all.map(pick));
  const sum = (pick: (h: GeneratorHealth) => number | undefined) =>
    all.reduce((n, h) => n + (pick(h) ?? 0), 0);
  const ok = reports.reduce((n, r) => n + r.load.snapshot.counters.messages.ok, 0);
  const cpuMicros = reports.reduce(
    (n, r) => n + (r.load.health.cpuMicrosPerMessage ?? 0) * r.load.snapshot.counters.messages.ok,
    0,
  );
  const rated = all.some((h) => h.targetRate !== undefined);
  const reasons = all.flatMap((h, i) => h.reasons.map((reason) => `shard ${i + 1}: ${reason}`));
  const notes = [...new Set(all.flatMap((h) => h.notes ?? []))];
  return {
    threads: sum((h) => h.threads),
    loopDelayP99Ms: max((h) => h.loopDelayP99Ms),
    loopDelayMaxMs: max((h) => h.loopDelayMaxMs),
    utilization: max((h) => h.utilization),
    cpuCores: sum((h) => h.cpuCores),
    ...(ok > 0 ? { cpuMicrosPerMessage: Math.round((cpuMicros / ok) * 1000) / 1000 } : {}),
    ...(rated
      ? {
          targetRate: sum((h) => h.targetRate),
          achievedRate: sum((h) => h.achievedRate),
          droppedRate: sum((h) => h.droppedRate),
        }
      : {}),
    ...(scheduleLagP99Ms !== undefined ? { scheduleLagP99Ms } : {}),
    saturated: all.some((h) => h.saturated),
    reasons,
    ...(notes.length > 0 ? { notes } : {}),
  };
}

function mergeSamples(reports: readonly LoadReport[]): Record<string, string[]> {
  const merged: Record<string, string[]> = {};
  for (const report of reports)
    for (const [kind, samples] of Object.entries(report.load.errorSamples))
      merged[kind] = [...(merged[kind] ?? []), ...samples].slice(0, 5);
  return merged;
}
