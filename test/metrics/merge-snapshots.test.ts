import { describe, expect, it } from 'vitest';
import { encodeHistogram } from '../../src/metrics/histogram-codec.js';
import { LatencyHistogram } from '../../src/metrics/latency-histogram.js';
import type { LoadSnapshot } from '../../src/metrics/load-snapshot.js';
import { mergeSnapshots } from '../../src/metrics/merge-snapshots.js';
import { OUTCOMES, PHASES } from '../../src/metrics/metric-names.js';
import { PhaseRecorder } from '../../src/metrics/phase-recorder.js';

/** mulberry32: a small seeded generator, so every run draws the same values. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;

/** A long-tailed latency in µs, now and then beyond the 1 h range or negative. */
function latency(random: () => number): number {
  const r = random();
  if (r < 0.001) return 4_000_000_000;
  if (r < 0.002) return -3;
  return Math.floor(50 + 2_000_000 * random() ** 6);
}

/** Applies the same random activity to every recorder given. */
function simulateSecond(random: () => number, recorders: readonly PhaseRecorder[]): void {
  const ops = 50 + Math.floor(random() * 100);
  for (let i = 0; i < ops; i++) {
    const kind = random();
    const us = latency(random);
    const phase = pick(random, PHASES);
    const outcome = random() < 0.9 ? '2xx' : pick(random, OUTCOMES);
    const code = pick(random, [220, 250, 250, 354, 421, 452, 550]);
    const error = pick(random, ['timeout', 'conn-reset', 'tls']);
    for (const r of recorders) {
      if (kind < 0.5) r.record(phase, outcome, us);
      else if (kind < 0.6) r.countReply(phase, code);
      else if (kind < 0.7) {
        r.messageStarted();
        r.messageEnded(outcome, us, Math.floor(us / 2));
      } else if (kind < 0.75) r.sessionStarted();
      else if (kind < 0.78) r.sessionEnded(outcome, us);
      else if (kind < 0.85) r.recordNamed('schedule-lag', Math.floor(us / 8));
      else if (kind < 0.88) r.countError(error);
      else if (kind < 0.9) r.countDropped();
      else r.countBytes(Math.abs(us % 4096), Math.abs(us % 256));
    }
  }
}

const stripHistograms = (snapshot: LoadSnapshot): unknown =>
  JSON.parse(JSON.stringify(snapshot, (key, value) => (key === 'histogram' ? undefined : value)));

describe('mergeSnapshots', () => {
  it.each([1, 2, 3])(
    'gives the figures of one recorder that saw everything (seed %i, several shards)',
    (seed) => {
      const random = seeded(seed);
      const shardCount = 2 + Math.floor(random() * 4);
      const options = { startMicros: 0, intervalMs: 1000, maxIntervals: 4 };
      const shards = Array.from({ length: shardCount }, () => new PhaseRecorder(options));
      const reference = new PhaseRecorder(options);
      const seconds = 9;
      for (let s = 0; s < seconds; s++) {
        for (const shard of shards) simulateSecond(random, [shard, reference]);
        for (const r of [...shards, reference]) r.tick((s + 1) * 1_000_000);
      }
      const end = seconds * 1_000_000 + 250_000;
      const merged = mergeSnapshots(...shards.map((shard) => shard.snapshot(end)));
      if (!merged.ok) throw new Error(merged.problems.join('\n'));
      const expected = reference.snapshot(end);
      // The data is not trivial: every phase, and shards whose own p99 differ from the whole.
      expect(Object.keys(expected.phases)).toHaveLength(PHASES.length);
      const p99s = shards.map((shard) => shard.snapshot(end).phases.rcpt?.p99);
      expect(p99s.some((p99) => p99 !== expected.phases.rcpt?.p99)).toBe(true);
      // Every summary, counter and series figure; the encodings are compared through them.
      expect(stripHistograms(merged.snapshot)).toEqual(stripHistograms(expected));
      expect(merged.snapshot.phases.eod?.histogram).toBe(expected.phases.eod?.histogram);
      expect(merged.snapshot.series.intervals.map((i) => i.durationMs)).toEqual([
        4000, 2000, 2000, 1000, 250,
      ]);
    },
  );

  it('is associative: merging merged shards gives the same result', () => {
    const random = seeded(11);
    const shards = Array.from({ length: 4 }, () => new PhaseRecorder({ startMicros: 0 }));
    for (const shard of shards) simulateSecond(random, [shard]);
    const snapshots = shards.map((shard) => shard.snapshot(800_000));
    const flat = mergeSnapshots(...snapshots);
    const left = mergeSnapshots(...snapshots.slice(0, 2));
    const right = mergeSnapshots(...snapshots.slice(2));
    if (!flat.ok || !left.ok || !right.ok) throw new Error('merge failed');
    const nested = mergeSnapshots(left.snapshot, right.snapshot);
    expect(nested.ok && nested.snapshot).toEqual(flat.snapshot);
  });

  it('aligns series by start offset and keeps the coarser interval where they nest', () => {
    const random = seeded(5);
    const long = new PhaseRecorder({ startMicros: 0, maxIntervals: 2 });
    const short = new PhaseRecorder({ startMicros: 0, maxIntervals: 100 });
    let messages = 0;
    for (let s = 0; s < 4; s++) {
      for (const r of s < 3 ? [long, short] : [long]) {
        simulateSecond(random, [r]);
        r.tick((s + 1) * 1_000_000);
      }
    }
    const a = long.snapshot(4_000_000);
    const b = short.snapshot(3_000_000);
    for (const snapshot of [a, b]) {
      messages += snapshot.series.intervals.reduce((sum, i) => sum + i.messages, 0);
    }
    expect(a.series.intervals.map((i) => i.durationMs)).toEqual([2000, 2000]);
    expect(b.series.intervals.map((i) => i.durationMs)).toEqual([1000, 1000, 1000]);
    const merged = mergeSnapshots(a, b);
    if (!merged.ok) throw new Error(merged.problems.join('\n'));
    const intervals = merged.snapshot.series.intervals;
    expect(intervals.map((i) => [i.startMs, i.durationMs])).toEqual([
      [0, 2000],
      [2000, 2000],
    ]);
    expect(intervals.reduce((sum, i) => sum + i.messages, 0)).toBe(messages);
    // Sessions open at 2 s: the long shard's value plus the short shard's at its 2 s mark.
    expect(intervals[0]!.activeSessions).toBe(
      a.series.intervals[0]!.activeSessions + b.series.intervals[1]!.activeSessions,
    );
    expect(merged.snapshot.durationMs).toBe(4000);
  });

  it('reports every unreadable histogram and a series interval mismatch as problems', () => {
    const recorder = new PhaseRecorder({ startMicros: 0 });
    recorder.record('eod', '2xx', 1000);
    recorder.recordNamed('schedule-lag', 10);
    const good = recorder.snapshot(1_000_000);
    const bad = structuredClone(good);
    bad.phases.eod!.byOutcome['2xx']!.histogram = 'garbage';
    bad.named['schedule-lag']!.histogram = '';
    const result = mergeSnapshots(good, bad);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(2);
      expect(result.problems[0]).toMatch(/^snapshot 2, phases\.eod\.byOutcome\.2xx\.histogram: /);
      expect(result.problems[1]).toMatch(/^snapshot 2, named\.schedule-lag\.histogram: /);
    }
    const other = new PhaseRecorder({ startMicros: 0, intervalMs: 500 }).snapshot(1_000_000);
    const mismatch = mergeSnapshots(good, other);
    expect(!mismatch.ok && mismatch.problems).toEqual([
      'the series have different intervals (1000 ms and 500 ms)',
    ]);
    expect(mergeSnapshots()).toEqual({ ok: false, problems: ['no snapshots to merge'] });
  });

  it('adds the clamped counts carried beside the histograms', () => {
    const h = new LatencyHistogram();
    h.record(5_000_000_000);
    const recorder = new PhaseRecorder({ startMicros: 0 });
    recorder.record('quit', 'timeout', 5_000_000_000);
    const snapshot = recorder.snapshot(10);
    expect(snapshot.phases.quit!.clamped).toBe(1);
    expect(snapshot.phases.quit!.histogram).toBe(encodeHistogram(h));
    const merged = mergeSnapshots(snapshot, snapshot);
    expect(merged.ok && merged.snapshot.phases.quit!.byOutcome.timeout!.clamped).toBe(2);
    expect(merged.ok && merged.snapshot.phases.quit!.clamped).toBe(2);
  });
});
