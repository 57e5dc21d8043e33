import { decodeHistogram } from './histogram-codec.js';
import { LatencyHistogram } from './latency-histogram.js';
import { emptyCounters, mergeCounters } from './load-counters.js';
import { snapshotHistogram } from './load-snapshot.js';
import type { HistogramSnapshot, LoadSnapshot, PhaseSnapshot } from './load-snapshot.js';
import { mergeSeries } from './merge-series.js';
import { NAMED_HISTOGRAMS, OUTCOMES, PHASES } from './metric-names.js';

export type MergeResult = { ok: true; snapshot: LoadSnapshot } | { ok: false; problems: string[] };

/**
 * Merges the snapshots of shards (threads, pods) that ran side by side, losslessly: every
 * histogram is decoded, added bucket by bucket and summarised again (its figures and its
 * percentile `distribution`), so the merged p99 is the p99 a single histogram of all values
 * would give. A phase's all-outcomes histogram is rebuilt
 * from its `byOutcome` histograms. Counters are summed, `durationMs` is the longest, series are
 * merged by start offset (merge-series.ts).
 *
 * Problems (an unreadable histogram, series with different intervals) are returned, all of
 * them, each naming the snapshot (1-based) and the field.
 */
export function mergeSnapshots(...snapshots: LoadSnapshot[]): MergeResult {
  if (snapshots.length === 0) return { ok: false, problems: ['no snapshots to merge'] };
  const problems: string[] = [];
  const phases = mergePhases(snapshots, problems);
  const named = mergeNamed(snapshots, problems);
  const series = mergeSeries(snapshots.map((s) => s.series));
  if (!series.ok) problems.push(...series.problems);
  if (problems.length > 0 || !series.ok) return { ok: false, problems };
  return {
    ok: true,
    snapshot: {
      durationMs: Math.max(...snapshots.map((s) => s.durationMs)),
      phases,
      named,
      counters: snapshots.map((s) => s.counters).reduce(mergeCounters, emptyCounters()),
      series: series.series,
    },
  };
}

function mergePhases(
  snapshots: readonly LoadSnapshot[],
  problems: string[],
): LoadSnapshot['phases'] {
  const phases: LoadSnapshot['phases'] = {};
  for (const phase of PHASES) {
    const all = new LatencyHistogram();
    const byOutcome: PhaseSnapshot['byOutcome'] = {};
    for (const outcome of OUTCOMES) {
      const parts = snapshots.map((s) => s.phases[phase]?.byOutcome[outcome]);
      const merged = addAll(parts, `phases.${phase}.byOutcome.${outcome}`, problems);
      if (merged === undefined) continue;
      byOutcome[outcome] = snapshotHistogram(merged);
      all.add(merged);
    }
    if (all.count > 0) phases[phase] = { ...snapshotHistogram(all), byOutcome };
  }
  return phases;
}

function mergeNamed(snapshots: readonly LoadSnapshot[], problems: string[]): LoadSnapshot['named'] {
  const named: LoadSnapshot['named'] = {};
  for (const name of NAMED_HISTOGRAMS) {
    const merged = addAll(
      snapshots.map((s) => s.named[name]),
      `named.${name}`,
      problems,
    );
    if (merged !== undefined) named[name] = snapshotHistogram(merged);
  }
  return named;
}

/** Decodes and adds the histograms present; undefined when none holds a value. */
function addAll(
  parts: readonly (HistogramSnapshot | undefined)[],
  field: string,
  problems: string[],
): LatencyHistogram | undefined {
  const sum = new LatencyHistogram();
  parts.forEach((part, i) => {
    if (part === undefined) return;
    const decoded = decodeHistogram(part.histogram, part.clamped);
    if (decoded.ok) sum.add(decoded.histogram);
    else problems.push(`snapshot ${i + 1}, ${field}.histogram: ${decoded.message}`);
  });
  return sum.count > 0 ? sum : undefined;
}
