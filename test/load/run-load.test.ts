import { afterEach, describe, expect, it } from 'vitest';
import { decodeHistogram, encodeHistogram } from '../../src/metrics/histogram-codec.js';
import { LatencyHistogram } from '../../src/metrics/latency-histogram.js';
import type { HistogramSnapshot, LoadSnapshot } from '../../src/metrics/load-snapshot.js';
import { closeSinks, expectSettled, profileOf, runOn, sinkFor } from './load-run-helpers.js';

/**
 * runLoad across threads: with `workers: 2` the threads are real worker threads started from
 * dist/ (built by the global setup, test/support/build-dist.ts), each with its share of the
 * profile, merged losslessly; and how a run stops early (interrupt, aborting threshold).
 */
afterEach(closeSinks);

/** One histogram holding every value of the shards' encoded histograms: decode, add. */
function addEncoded(parts: (HistogramSnapshot | undefined)[]): LatencyHistogram {
  const all = new LatencyHistogram();
  for (const part of parts) {
    if (!part) continue;
    const decoded = decodeHistogram(part.histogram, part.clamped);
    if (!decoded.ok) throw new Error(decoded.message);
    all.add(decoded.histogram);
  }
  return all;
}

/** The merged figures equal those of the single histogram built from the shards. */
function expectLosslessMerge(merged: HistogramSnapshot, parts: (HistogramSnapshot | undefined)[]) {
  const all = addEncoded(parts);
  const { count, min, mean, p50, p90, p99, p999, max } = merged;
  expect({ count, min, mean, p50, p90, p99, p999, max }).toEqual(all.summarise());
  expect(merged.histogram).toBe(encodeHistogram(all));
}

function expectCountersSum(merged: LoadSnapshot, shards: LoadSnapshot[]): void {
  const total = (pick: (s: LoadSnapshot) => number) => shards.reduce((n, s) => n + pick(s), 0);
  const c = merged.counters;
  expect(c.messages.attempted).toBe(total((s) => s.counters.messages.attempted));
  expect(c.messages.ok).toBe(total((s) => s.counters.messages.ok));
  expect(c.sessions.started).toBe(total((s) => s.counters.sessions.started));
  expect(c.bytes.sent).toBe(total((s) => s.counters.bytes.sent));
  expect(c.dropped).toBe(total((s) => s.counters.dropped));
  for (const [command, codes] of Object.entries(c.codes))
    for (const [code, n] of Object.entries(codes))
      expect(n).toBe(total((s) => s.counters.codes[command]?.[code] ?? 0));
}

describe('runLoad on two worker threads', () => {
  it('splits the message budget exactly and merges the threads losslessly', async () => {
    const sink = await sinkFor({ delays: { rcpt: 1 } });
    const profile = profileOf(
      'title: two threads',
      'duration: 60s',
      'messages: 301',
      'model: { kind: closed, sessions: 4 }',
      'message: { size: 1KB, shapes: 4 }',
    );
    const { snapshot, shards, threads } = await runOn(profile, sink, { workers: 2 });
    expect(threads).toHaveLength(2);
    expect(shards.map((s) => s.counters.messages.attempted)).toEqual([151, 150]);
    expect(shards.map((s) => s.counters.sessions.started)).toEqual([2, 2]);
    expect(snapshot.counters.messages).toEqual({ attempted: 301, ok: 301, failed: 0 });
    expect(sink.stats().messages).toBe(301);
    expectSettled(snapshot);
    expectCountersSum(snapshot, shards);
    for (const [phase, merged] of Object.entries(snapshot.phases)) {
      const name = phase as keyof LoadSnapshot['phases'];
      expectLosslessMerge(
        merged,
        shards.map((s) => s.phases[name]),
      );
      for (const [outcome, part] of Object.entries(merged.byOutcome)) {
        const key = outcome as keyof typeof merged.byOutcome;
        expectLosslessMerge(
          part,
          shards.map((s) => s.phases[name]?.byOutcome[key]),
        );
      }
    }
    expect(snapshot.phases.eod?.count).toBe(301);
    for (const name of ['message-service', 'session-service'] as const)
      expectLosslessMerge(
        snapshot.named[name]!,
        shards.map((s) => s.named[name]),
      );
  });

  it('splits the open schedule between the threads without losing a start', async () => {
    const sink = await sinkFor();
    const profile = profileOf(
      'title: open on two threads',
      'duration: 1s',
      'model: { kind: open, rate: 100/s, max-sessions: 10 }',
      'message: { size: 1KB, shapes: 4 }',
    );
    const { snapshot, shards } = await runOn(profile, sink, { workers: 2 });
    const starts = (s: LoadSnapshot) => s.counters.messages.attempted + s.counters.dropped;
    expect(shards.map(starts)).toEqual([50, 50]);
    expect(starts(snapshot)).toBe(100);
    expectSettled(snapshot);
    expectLosslessMerge(
      snapshot.named['schedule-lag']!,
      shards.map((s) => s.named['schedule-lag']),
    );
  });

  it('stops every thread when one breaches an aborting threshold', async () => {
    const sink = await sinkFor({ delays: { eod: 20 } });
    const profile = profileOf(
      'title: abort',
      'duration: 20s',
      'model: { kind: closed, sessions: 2 }',
      'message: { size: 1KB, shapes: 4 }',
    );
    const outcome = await runOn(profile, sink, { workers: 2, abortOn: ['p99(eod) < 1ms'] });
    expect(outcome.abortedBy?.expression).toBe('p99(eod) < 1ms');
    expect(outcome.abortedBy?.reason).toMatch(/^p99\(eod\) = \d/);
    expect(outcome.interrupted).toBe(false);
    expect(outcome.shards).toHaveLength(2);
    // Stopped at the first check (about 1 s in), not at the 20 s duration.
    expect(outcome.snapshot.durationMs).toBeLessThan(15_000);
    for (const shard of outcome.shards) expect(shard.durationMs).toBeLessThan(15_000);
    expect(outcome.snapshot.counters.messages.ok).toBeGreaterThan(0);
  });
});

describe('runLoad on the calling thread', () => {
  it('never runs more threads than the model has sessions', async () => {
    const sink = await sinkFor();
    const profile = profileOf(
      'title: one session',
      'duration: 60s',
      'messages: 10',
      'model: { kind: closed, sessions: 1 }',
      'message: { size: 1KB, shapes: 4 }',
    );
    const { snapshot, threads } = await runOn(profile, sink, { workers: 2 });
    expect(threads).toHaveLength(1);
    expect(snapshot.counters.messages).toEqual({ attempted: 10, ok: 10, failed: 0 });
  });

  it('stops on an interrupt and returns what it measured', async () => {
    const sink = await sinkFor({ delays: { eod: 5 } });
    const profile = profileOf(
      'title: interrupted',
      'duration: 20s',
      'model: { kind: closed, sessions: 2 }',
      'message: { size: 1KB, shapes: 4 }',
    );
    const controller = new AbortController();
    const running = runOn(profile, sink, { signal: controller.signal });
    const deadline = Date.now() + 10_000;
    while (sink.stats().messages < 5 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    const outcome = await running;
    expect(outcome.interrupted).toBe(true);
    expect(outcome.abortedBy).toBeUndefined();
    expect(outcome.snapshot.counters.messages.ok).toBeGreaterThanOrEqual(5);
    expect(outcome.snapshot.durationMs).toBeLessThan(15_000);
    expectSettled(outcome.snapshot);
  });

  it('notices an interrupt between open-model starts a minute apart', async () => {
    const { outcome, tookMs } = await interruptAfter(
      400,
      'duration: 10m',
      '{ kind: open, rate: 1/m }',
    );
    expect(outcome.interrupted).toBe(true);
    // The wait for the first start (a minute off) is cut short, not slept through.
    expect(tookMs).toBeLessThan(5_000);
    expect(outcome.snapshot.counters.messages.attempted).toBe(0);
    expectSettled(outcome.snapshot);
  });

  it('measures nothing over 0 s when stopped before the start (during the lead)', async () => {
    const model = '{ kind: open, rate: 100/s, pre-open: 4 }';
    const { outcome, sink } = await interruptAfter(0, 'duration: 5s', model);
    expect(outcome.interrupted).toBe(true);
    expect(outcome.snapshot.durationMs).toBe(0);
    expect(outcome.snapshot.counters.messages.attempted).toBe(0);
    expect(sink.stats().connections).toBe(0); // no session is pre-opened for a stopped run
  });

  it('pre-opens at least one session in every thread by default', async () => {
    // 20/s over two threads needs one session each; greetings take 200 ms, inside the lead.
    // Had one thread pre-opened none, its first start would have waited for a greeting.
    const sink = await sinkFor({ delays: { greeting: 200 } });
    const profile = kilobyteProfile('duration: 1s', '{ kind: open, rate: 20/s }');
    const { snapshot, threads } = await runOn(profile, sink, { workers: 2 });
    expect(threads).toHaveLength(2);
    expect(snapshot.counters.messages.ok).toBe(20);
    expect(snapshot.counters.sessions.started).toBe(2);
    expect(snapshot.phases.message!.max).toBeLessThan(200);
  });

  it('notices an interrupt during a long think time of the closed model', async () => {
    const model = '{ kind: closed, sessions: 2, think-time: 1m }';
    const { outcome, tookMs } = await interruptAfter(400, 'duration: 10m', model);
    expect(outcome.interrupted).toBe(true);
    expect(tookMs).toBeLessThan(5_000);
    expect(outcome.snapshot.counters.messages.ok).toBe(2);
    expectSettled(outcome.snapshot);
  });

  it('stops on an aborting threshold', async () => {
    const sink = await sinkFor({ delays: { eod: 20 } });
    const profile = profileOf(
      'title: abort here',
      'duration: 20s',
      'model: { kind: closed, sessions: 1 }',
      'message: { size: 1KB, shapes: 4 }',
    );
    const outcome = await runOn(profile, sink, { abortOn: ['max(eod) < 2ms'] });
    expect(outcome.abortedBy?.expression).toBe('max(eod) < 2ms');
    expect(outcome.snapshot.durationMs).toBeLessThan(15_000);
    expectSettled(outcome.snapshot);
  });
});

/** A profile of `model` with 1 KB messages (few shapes: quick to build). */
function kilobyteProfile(bound: string, model: string) {
  return profileOf('title: t', bound, `model: ${model}`, 'message: { size: 1KB, shapes: 4 }');
}

/** Runs that profile on a fresh sink, interrupted `afterMs` after the call (0: at once). */
async function interruptAfter(afterMs: number, bound: string, model: string) {
  const sink = await sinkFor();
  const controller = new AbortController();
  const startedAt = Date.now();
  const running = runOn(kilobyteProfile(bound, model), sink, { signal: controller.signal });
  if (afterMs === 0) controller.abort();
  else setTimeout(() => controller.abort(), afterMs);
  const outcome = await running;
  return { outcome, sink, tookMs: Date.now() - startedAt };
}
