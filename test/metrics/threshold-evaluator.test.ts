import { describe, expect, it } from 'vitest';
import { encodeHistogram } from '../../src/metrics/histogram-codec.js';
import { LatencyHistogram } from '../../src/metrics/latency-histogram.js';
import type { LatencySummary } from '../../src/metrics/latency-histogram.js';
import { emptyCounters } from '../../src/metrics/load-counters.js';
import type { LoadSnapshot, PhaseSnapshot } from '../../src/metrics/load-snapshot.js';
import { snapshotHistogram } from '../../src/metrics/load-snapshot.js';
import { evaluateThreshold, evaluateThresholds } from '../../src/metrics/threshold-evaluator.js';
import type { Threshold } from '../../src/metrics/threshold-model.js';
import { parseThreshold } from '../../src/metrics/threshold-parser.js';

function threshold(expression: string): Threshold {
  const result = parseThreshold(expression);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.threshold;
}

/** A hand-made phase: the figures given, the rest plausible; no real histogram behind it. */
function phase(figures: Partial<LatencySummary>): PhaseSnapshot {
  return {
    count: 1000,
    min: 0.1,
    mean: 1,
    p50: 1,
    p90: 2,
    p99: 3,
    p999: 4,
    max: 5,
    ...figures,
    clamped: 0,
    histogram: '',
    distribution: [],
    byOutcome: {},
  };
}

/** A snapshot on which every documented example passes, right next to its limit. */
function passing(): LoadSnapshot {
  const counters = emptyCounters();
  counters.messages = { attempted: 10_000, ok: 5010, failed: 4990 };
  counters.errors = { timeout: 3, 'conn-reset': 2 }; // 0.05 %
  counters.codes = { rcpt: { '250': 991, '550': 9 } }; // 0.9 % 5xx
  return {
    durationMs: 10_000, // 501 accepted/s
    phases: {
      eod: phase({ p99: 49.999 }),
      message: phase({ p50: 2.5, p999: 99.999 }),
      connect: phase({ max: 999.999 }),
      session: phase({ mean: 199.999 }),
    },
    named: {},
    counters,
    series: { intervalMs: 1000, intervals: [] },
  };
}

/** The same, each figure just over its limit. */
function failing(): LoadSnapshot {
  const s = passing();
  s.phases.eod!.p99 = 50;
  s.phases.message!.p50 = 2.501;
  s.phases.message!.p999 = 100;
  s.phases.connect!.max = 1000;
  s.phases.session!.mean = 200;
  s.counters.errors = { timeout: 10 };
  s.counters.codes = { rcpt: { '250': 990, '550': 10 } };
  s.counters.messages.ok = 5000;
  s.counters.dropped = 2;
  return s;
}

describe('evaluateThreshold on the documented examples', () => {
  it.each([
    ['p99(eod) < 50ms', 49.999, 50, 'ms'],
    ['p50(message) <= 2.5ms', 2.5, 2.501, 'ms'],
    ['max(connect) < 1s', 999.999, 1000, 'ms'],
    ['mean(session) < 200ms', 199.999, 200, 'ms'],
    ['rate(errors) < 0.1%', 0.05, 0.1, '%'],
    ['rate(5xx) < 1%', 0.9, 1, '%'],
    ['throughput > 500/s', 501, 500, '/s'],
    ['dropped == 0', 0, 2, 'count'],
    ['p99.9(message) < 100ms', 99.999, 100, 'ms'],
  ])('%s passes at %d and fails at %d', (expression, good, bad, unit) => {
    const pass = evaluateThreshold(threshold(expression), passing());
    expect(pass).toMatchObject({ expression, ok: true, actual: good, unit });
    const fail = evaluateThreshold(threshold(expression), failing());
    expect(fail).toMatchObject({ expression, ok: false, actual: bad, unit });
  });

  it('count(errors) == 0 passes on no errors and fails on any', () => {
    const clean = passing();
    clean.counters.errors = {};
    const pass = evaluateThreshold(threshold('count(errors) == 0'), clean);
    expect(pass).toEqual({
      expression: 'count(errors) == 0',
      ok: true,
      actual: 0,
      unit: 'count',
      reason: 'count(errors) = 0, within == 0',
    });
    const fail = evaluateThreshold(threshold('count(errors) == 0'), passing());
    expect(fail).toMatchObject({ ok: false, actual: 5, reason: 'count(errors) = 5, not == 0' });
  });

  it('explains the verdict with the measured value and what it was measured from', () => {
    const [latency, rate, throughput] = evaluateThresholds(
      ['p99(eod) < 50ms', 'rate(errors) < 0.1%', 'throughput > 500/s'].map(threshold),
      failing(),
    );
    expect(latency!.reason).toBe('p99(eod) = 50 ms, not < 50ms');
    expect(rate!.reason).toBe('rate(errors) = 0.1% (10 of 10000 messages attempted), not < 0.1%');
    expect(throughput!.reason).toBe(
      'throughput = 500/s (5000 messages accepted in 10000 ms), not > 500/s',
    );
  });
});

describe('evaluateThreshold: definitions', () => {
  it('rate(failed) is failed over attempted; rate(2xx) counts every code below 400', () => {
    const s = passing();
    s.counters.codes = { data: { '354': 3 }, eod: { '250': 5, '451': 2 } };
    expect(evaluateThreshold(threshold('rate(failed) < 50%'), s)).toMatchObject({
      ok: true,
      actual: 49.9,
    });
    expect(evaluateThreshold(threshold('rate(2xx) >= 80%'), s)).toMatchObject({
      ok: true,
      actual: 80,
    });
    expect(evaluateThreshold(threshold('count(4xx) == 2'), s).ok).toBe(true);
  });

  it('count(phase) is the number of values recorded for it', () => {
    expect(evaluateThreshold(threshold('count(eod) >= 1000'), passing()).ok).toBe(true);
    expect(evaluateThreshold(threshold('count(quit) == 0'), passing()).ok).toBe(true);
  });

  it('computes other percentiles from the encoded histogram', () => {
    const h = new LatencyHistogram();
    for (let v = 1; v <= 1000; v++) h.record(v * 1000); // 1 … 1000 ms
    const s = passing();
    s.phases.message = { ...snapshotHistogram(h), byOutcome: {} };
    s.named['schedule-lag'] = snapshotHistogram(h);
    const p95 = evaluateThreshold(threshold('p95(message) < 1s'), s);
    expect(p95.ok).toBe(true);
    expect(p95.actual).toBeCloseTo(950, -1);
    expect(evaluateThreshold(threshold('p75(schedule-lag) > 700ms'), s).ok).toBe(true);
    expect(evaluateThreshold(threshold('p100(message) == 1000.447ms'), s).ok).toBe(true);
    expect(encodeHistogram(h)).toBe(s.phases.message.histogram);
  });
});

describe('evaluateThreshold: no data is a failure, never a pass', () => {
  it.each([
    ['p99(quit) < 50ms', passing(), 'no data: no quit values were recorded'],
    ['max(schedule-lag) < 1s', passing(), 'no data: no schedule-lag values were recorded'],
    [
      'rate(errors) < 1%',
      { ...passing(), counters: emptyCounters() },
      'no data: no messages were attempted',
    ],
    [
      'rate(5xx) < 1%',
      { ...passing(), counters: emptyCounters() },
      'no data: no replies were counted',
    ],
    ['throughput > 0/s', { ...passing(), durationMs: 0 }, 'no data: the run has no duration'],
  ])('%s', (expression, snapshot, reason) => {
    expect(evaluateThreshold(threshold(expression), snapshot)).toEqual({
      expression,
      ok: false,
      actual: undefined,
      unit: expect.any(String),
      reason,
    });
  });

  it('treats a phase listed with count 0 as no data', () => {
    const s = passing();
    s.phases.eod = phase({ count: 0, p99: 0 });
    expect(evaluateThreshold(threshold('p99(eod) < 50ms'), s)).toMatchObject({
      ok: false,
      reason: 'no data: no eod values were recorded',
    });
  });

  it('fails, with the reason, when a percentile needs an unreadable histogram', () => {
    const verdict = evaluateThreshold(threshold('p95(eod) < 50ms'), passing());
    expect(verdict.ok).toBe(false);
    expect(verdict.reason).toMatch(/^no data: the eod histogram: not an encoded HdrHistogram/);
  });
});
