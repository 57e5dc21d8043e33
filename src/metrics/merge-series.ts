import { combineIntervals } from './series-interval.js';
import type { IntervalPart, SeriesInterval, SeriesSnapshot } from './series-interval.js';

export type SeriesMergeResult =
  { ok: true; series: SeriesSnapshot } | { ok: false; problems: string[] };

/**
 * Merges the series of shards that ran at the same time. Intervals are aligned by their start
 * offset (each shard's offsets count from its own start). Intervals that overlap, from any
 * shards, are combined into one spanning them all (`combineIntervals`: counts summed, latency
 * histograms added, active sessions summed over shards). Series compacted by the rule of
 * interval-series.ts are nested or disjoint, so an overlap is always a wider interval holding
 * narrower ones, and the result has the coarser interval there.
 *
 * The shards must share the base interval; otherwise that is the one problem returned.
 */
export function mergeSeries(all: readonly SeriesSnapshot[]): SeriesMergeResult {
  const intervalMs = all[0]?.intervalMs ?? 0;
  const other = all.find((series) => series.intervalMs !== intervalMs);
  if (other !== undefined) {
    return {
      ok: false,
      problems: [
        `the series have different intervals (${intervalMs} ms and ${other.intervalMs} ms)`,
      ],
    };
  }
  const intervals: SeriesInterval[] = [];
  const problems: string[] = [];
  for (const group of overlapGroups(all)) {
    const combined = combineIntervals(group);
    if (combined.ok) intervals.push(combined.interval);
    else problems.push(`series: ${combined.message}`);
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, series: { intervalMs, intervals } };
}

/** All intervals of all shards, grouped into runs whose spans overlap, in time order. */
function overlapGroups(all: readonly SeriesSnapshot[]): IntervalPart[][] {
  const parts = all.flatMap((series, shard) =>
    series.intervals.map((interval) => ({ interval, shard })),
  );
  parts.sort(
    (a, b) =>
      a.interval.startMs - b.interval.startMs || b.interval.durationMs - a.interval.durationMs,
  );
  const groups: IntervalPart[][] = [];
  let groupEnd = -Infinity;
  for (const part of parts) {
    const { startMs, durationMs } = part.interval;
    if (startMs < groupEnd) {
      groups.at(-1)!.push(part);
    } else {
      groups.push([part]);
    }
    groupEnd = Math.max(groupEnd, startMs + durationMs);
  }
  return groups;
}
