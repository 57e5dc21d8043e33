import { Cmd } from '../../src/load/load-sink.js';
import { RecorderSink } from '../../src/load/recorder-sink.js';
import { decodeHistogram, encodeHistogram } from '../../src/metrics/histogram-codec.js';
import { LatencyHistogram } from '../../src/metrics/latency-histogram.js';
import { mergeSnapshots } from '../../src/metrics/merge-snapshots.js';
import type { LoadSnapshot } from '../../src/metrics/load-snapshot.js';
import { PhaseRecorder } from '../../src/metrics/phase-recorder.js';
import type { BenchCase } from '../bench-case.js';

/**
 * The metrics layer on the load engine's hot path and at the end of a run:
 *
 * - `record` into one (phase, outcome) histogram, 1,000 calls per op;
 * - one message's full recording, 100 messages per op: session start, connect, greeting, EHLO,
 *   MAIL, RCPT, DATA, end of data, QUIT (each a `record` plus a `countReply`), schedule lag,
 *   `messageStarted`/`messageEnded` (message, message-service, counters, series) and
 *   `sessionEnded`: 22 recorder calls per message;
 * - the same message as a load session reports it, through `RecorderSink`: each reply one
 *   `onReply(command number, code, µs)` (the engine's hot path since change 14,
 *   docs/performance.md), against `record` plus `countReply` by name above;
 * - `snapshot` of a recorder that holds 20,000 messages over 60 one-second intervals
 *   (summaries and encoding of every histogram);
 * - `mergeSnapshots` of 4 such snapshots (decode, add, summarise, encode; series combined);
 * - `encodeHistogram` of one second's message latencies at 10,000/s (what closing an interval
 *   of the series costs on the generator's thread).
 *
 * Latencies are drawn once, before timing, from a seeded long-tailed distribution
 * (0.2–50 ms, most near the low end), so every run records the same values.
 */
const LATENCIES = drawLatencies(1 << 16, 42);
const MASK = LATENCIES.length - 1;
const STEPS = [
  ['connect', 220],
  ['greeting', 220],
  ['ehlo', 250],
  ['mail', 250],
  ['rcpt', 250],
  ['data', 354],
  ['eod', 250],
  ['quit', 221],
] as const;

export function metricsCases(): BenchCase[] {
  return [
    recordOnePhase(),
    recordFullMessage(),
    sinkFullMessage(),
    snapshotCase(),
    mergeCase(),
    encodeCase(),
  ];
}

function recordOnePhase(): BenchCase {
  const recorder = new PhaseRecorder({ startMicros: 0 });
  let at = 0;
  const fn = (): void => {
    for (let i = 0; i < 1000; i++) recorder.record('rcpt', '2xx', LATENCIES[at++ & MASK]!);
  };
  fn();
  if (recorder.snapshot(1).phases.rcpt?.count !== 1000) throw new Error('records lost');
  return {
    name: 'PhaseRecorder.record, one phase (1,000 calls)',
    fn,
    unitsPerOp: 1000,
    unit: 'records',
  };
}

function recordFullMessage(): BenchCase {
  const recorder = new PhaseRecorder({ startMicros: 0 });
  let at = 0;
  const fn = (): void => {
    for (let i = 0; i < 100; i++) at = recordMessage(recorder, at);
  };
  fn();
  if (recorder.snapshot(1).counters.messages.ok !== 100) throw new Error('messages lost');
  return {
    name: 'PhaseRecorder, one message, all phases (100 messages)',
    fn,
    unitsPerOp: 100,
    unit: 'messages',
  };
}

const SINK_STEPS = [
  [Cmd.greeting, 220],
  [Cmd.ehlo, 250],
  [Cmd.mail, 250],
  [Cmd.rcpt, 250],
  [Cmd.data, 354],
  [Cmd.eod, 250],
  [Cmd.quit, 221],
] as const;

function sinkFullMessage(): BenchCase {
  const recorder = new PhaseRecorder({ startMicros: 0 });
  const sink = new RecorderSink(recorder);
  let at = 0;
  const fn = (): void => {
    for (let i = 0; i < 100; i++) {
      let cursor = at;
      recorder.recordNamed('schedule-lag', LATENCIES[cursor++ & MASK]! >>> 4);
      recorder.sessionStarted();
      recorder.messageStarted();
      sink.onPhase('connect', '2xx', LATENCIES[cursor++ & MASK]!);
      for (const [command, code] of SINK_STEPS) {
        sink.onReply(command, code, LATENCIES[cursor++ & MASK]!);
      }
      const latency = LATENCIES[cursor++ & MASK]! * 4;
      sink.onMessage('2xx', latency, latency - 50);
      sink.onPhase('session', '2xx', latency + 300);
      sink.onBytes(4096, 180);
      at = cursor;
    }
  };
  fn();
  const snapshot = recorder.snapshot(1);
  if (snapshot.counters.messages.ok !== 100 || snapshot.phases.eod?.count !== 100) {
    throw new Error('messages lost');
  }
  return {
    name: 'RecorderSink, one message as a session reports it (100 messages)',
    fn,
    unitsPerOp: 100,
    unit: 'messages',
  };
}

/** The 22 calls the load engine makes for one message on a new session; returns the cursor. */
function recordMessage(recorder: PhaseRecorder, at: number): number {
  let cursor = at;
  recorder.recordNamed('schedule-lag', LATENCIES[cursor++ & MASK]! >>> 4);
  recorder.sessionStarted();
  recorder.messageStarted();
  for (const [phase, code] of STEPS) {
    recorder.record(phase, '2xx', LATENCIES[cursor++ & MASK]!);
    recorder.countReply(phase, code);
  }
  const latency = LATENCIES[cursor++ & MASK]! * 4;
  recorder.messageEnded('2xx', latency, latency - 50);
  recorder.sessionEnded('2xx', latency + 300, latency + 250);
  recorder.countBytes(4096, 180);
  return cursor;
}

/** A recorder after 20,000 messages spread over 60 one-second intervals. */
function filledRecorder(seedOffset: number): PhaseRecorder {
  const recorder = new PhaseRecorder({ startMicros: 0 });
  let at = seedOffset;
  for (let second = 0; second < 60; second++) {
    for (let m = 0; m < 20_000 / 60; m++) at = recordMessage(recorder, at);
    recorder.tick((second + 1) * 1_000_000);
  }
  return recorder;
}

function snapshotCase(): BenchCase {
  const recorder = filledRecorder(0);
  return {
    name: 'PhaseRecorder.snapshot, 20k messages, 60 intervals',
    fn: () => {
      const snapshot = recorder.snapshot(60_000_000);
      if (snapshot.series.intervals.length !== 60) throw new Error('intervals lost');
    },
  };
}

function mergeCase(): BenchCase {
  const shards: LoadSnapshot[] = [0, 1000, 2000, 3000].map((offset) =>
    filledRecorder(offset).snapshot(60_000_000),
  );
  const expected = shards.reduce((sum, s) => sum + (s.phases.message?.count ?? 0), 0);
  return {
    name: 'mergeSnapshots, 4 shards of 20k messages',
    fn: () => {
      const merged = mergeSnapshots(...shards);
      if (!merged.ok || merged.snapshot.phases.message?.count !== expected) {
        throw new Error('merge lost messages');
      }
    },
    unitsPerOp: 4,
    unit: 'shards',
  };
}

function encodeCase(): BenchCase {
  const histogram = new LatencyHistogram();
  for (let i = 0; i < 10_000; i++) histogram.record(LATENCIES[i]!);
  const decoded = decodeHistogram(encodeHistogram(histogram));
  if (!decoded.ok || decoded.histogram.count !== 10_000) throw new Error('encoding lost values');
  const length = encodeHistogram(histogram).length;
  return {
    name: 'encodeHistogram, 10,000 values (one interval at 10,000/s)',
    fn: () => {
      if (encodeHistogram(histogram).length !== length) throw new Error('encoding changed');
    },
  };
}

/** Microseconds, long-tailed: 200 µs + 50 ms × u³ with u uniform (mulberry32 PRNG). */
function drawLatencies(count: number, seed: number): Float64Array {
  const out = new Float64Array(count);
  let a = seed >>> 0;
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = Math.floor(200 + 50_000 * u ** 3);
  }
  return out;
}
