import { describe, expect, it } from 'vitest';
import { renderDiagnostic } from '../../src/core/diagnostic.js';
import { thresholdDiagnostic } from '../../src/metrics/threshold-diagnostic.js';
import { formatMetric } from '../../src/metrics/threshold-model.js';
import type { Threshold } from '../../src/metrics/threshold-model.js';
import { parseThreshold, shiftDecimal } from '../../src/metrics/threshold-parser.js';
import type { ThresholdProblem } from '../../src/metrics/threshold-parser.js';

function parsed(expression: string): Threshold {
  const result = parseThreshold(expression);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.threshold;
}

function problems(expression: string): ThresholdProblem[] {
  const result = parseThreshold(expression);
  if (result.ok) throw new Error(`'${expression}' parsed`);
  return result.problems;
}

describe('parseThreshold: the documented examples', () => {
  it.each([
    ['p99(eod) < 50ms', 'p99(eod)', '<', 50_000],
    ['p50(message) <= 2.5ms', 'p50(message)', '<=', 2_500],
    ['max(connect) < 1s', 'max(connect)', '<', 1_000_000],
    ['mean(session) < 200ms', 'mean(session)', '<', 200_000],
    ['rate(errors) < 0.1%', 'rate(errors)', '<', 0.001],
    ['rate(5xx) < 1%', 'rate(5xx)', '<', 0.01],
    ['count(errors) == 0', 'count(errors)', '==', 0],
    ['throughput > 500/s', 'throughput', '>', 500],
    ['dropped == 0', 'dropped', '==', 0],
    ['p99.9(message) < 100ms', 'p99.9(message)', '<', 100_000],
  ])('%s', (expression, metric, comparator, limit) => {
    const threshold = parsed(expression);
    expect(formatMetric(threshold.metric)).toBe(metric);
    expect(threshold.comparator).toBe(comparator);
    expect(threshold.limit).toBe(limit);
    expect(threshold.expression).toBe(expression);
  });

  it('reads the metric structure', () => {
    expect(parsed('p99.9(message) < 100ms').metric).toEqual({
      kind: 'latency',
      stat: 'percentile',
      percentile: 99.9,
      target: 'message',
    });
    expect(parsed('dropped == 0').metric).toEqual({ kind: 'count', target: 'dropped' });
    expect(parsed('p95(schedule-lag) < 5ms').metric).toMatchObject({ target: 'schedule-lag' });
  });
});

describe('parseThreshold: units, spaces and exact limits', () => {
  it.each([
    ['p99(eod) < 500us', 500],
    ['p99(eod) < 500µs', 500],
    ['p99(eod) < 500μs', 500],
    ['p99(eod) < 0.0015s', 1500],
    ['p99(eod) < 1.5s', 1_500_000],
    ['  p99 ( eod )<50 ms  ', 50_000],
    ['rate(errors) < 0.001', 0.001],
    ['rate(failed) <= 1', 1],
    ['throughput >= 12.5', 12.5],
    ['count(eod) != 3', 3],
  ])('%s → %d in the base unit', (expression, limit) => {
    expect(parsed(expression).limit).toBe(limit);
  });

  it('keeps the limit as written', () => {
    expect(parsed('p99(eod) < 50 ms').limitText).toBe('50 ms');
    expect(parsed('rate(errors) < 0.1%').limitText).toBe('0.1%');
  });

  it('moves the decimal point in text, so no binary rounding creeps in', () => {
    expect(shiftDecimal('0.0015', 6)).toBe(1500);
    expect(shiftDecimal('0.1', -2)).toBe(0.001);
    expect(shiftDecimal('2.5', 3)).toBe(2500);
    expect(shiftDecimal('7', 0)).toBe(7);
    expect(shiftDecimal('123.456', 1)).toBe(1234.56);
  });
});

describe('parseThreshold: problems with their column', () => {
  it.each([
    ['p99(eom) < 50ms', 5, 3, "unknown phase 'eom'", "did you mean 'eod'?"],
    ['p99(rcp) < 50ms', 5, 3, "unknown phase 'rcp'", "did you mean 'rcpt'?"],
    ['p99(eod) < 50', 12, 2, 'a latency needs a unit', "did you mean '50ms'? (us, µs, ms, s)"],
    ['p99(eod) < 50%', 14, 1, "'%' is not a duration unit", "did you mean '50ms'? (us, µs, ms, s)"],
    ['p99(eod) < 50mss', 14, 3, "unknown unit 'mss'", "did you mean 'ms'?"],
    ['p999(message) < 100ms', 1, 4, 'percentile 999 is above 100', "did you mean 'p99.9'?"],
    ['avg(eod) < 5ms', 1, 3, "unknown aggregate 'avg'", "did you mean 'mean'?"],
    ['pp99(eod) < 5ms', 1, 4, "unknown aggregate 'pp99'", "did you mean 'p99'?"],
    ['throughtput > 500/s', 1, 11, "unknown metric 'throughtput'", "did you mean 'throughput'?"],
    ['eod < 5ms', 1, 3, "'eod' needs an aggregate", "did you mean 'p99(eod)'?"],
    ['errors == 0', 1, 6, "'errors' needs an aggregate", "did you mean 'count(errors)'?"],
    [
      'p99(errors) < 5ms',
      5,
      6,
      "'errors' is a counter, not a latency",
      'use count(errors) or rate(errors)',
    ],
    ['rate(eod) < 1%', 6, 3, "rate() takes errors, failed, 2xx, 4xx, 5xx; not 'eod'", undefined],
    [
      'rate(error) < 1%',
      6,
      5,
      "rate() takes errors, failed, 2xx, 4xx, 5xx; not 'error'",
      "did you mean 'errors'?",
    ],
    ['count(erors) == 0', 7, 5, "unknown name 'erors' for count()", "did you mean 'errors'?"],
    ['rate(errors) < 5', 16, 1, 'a rate without % is a fraction from 0 to 1', "did you mean '5%'?"],
    ['count(errors) == 0ms', 19, 2, 'a count takes no unit', "write '0'"],
    ['throughput > 5ms', 15, 2, "'ms' is not a throughput unit", "use '/s', e.g. 500/s"],
    ['throughput(message) > 5', 1, 10, "'throughput' takes no name", "write e.g. 'throughput > 0'"],
    ['p99(eod) = 5ms', 10, 1, "'=' is not a comparison", "did you mean '=='?"],
  ])('%s → column %d', (expression, column, length, message, hint) => {
    const [problem, ...more] = problems(expression);
    expect(more).toEqual([]);
    expect(problem).toEqual({ column, length, message, ...(hint ? { hint } : {}) });
  });

  it.each([
    ['', 1, 'expected a metric, e.g. p99(eod), rate(errors) or throughput'],
    ['< 5ms', 1, 'expected a metric, e.g. p99(eod), rate(errors) or throughput'],
    ['p99(eod < 50ms', 9, "expected ')' after 'p99(eod'"],
    ['p99() < 50ms', 5, "expected a name after 'p99('"],
    ['p99(eod) 50ms', 10, "expected a comparison (<= >= == != < >), found '50ms'"],
    ['p99(eod)', 9, 'expected a comparison (<= >= == != < >), found the end'],
    ['p99(eod) <', 11, 'expected a number after the comparison'],
    ['p99(eod) < -5ms', 12, 'expected a number after the comparison'],
    ['p99(eod) < 50ms and more', 17, "unexpected 'and more' after the limit"],
  ])('syntax: %j → column %d', (expression, column, message) => {
    expect(problems(expression)[0]).toMatchObject({ column, message });
  });

  it('reports a name problem and a limit problem together, in column order', () => {
    expect(problems('p99(eom) < 50').map((p) => [p.column, p.message])).toEqual([
      [5, "unknown phase 'eom'"],
      [12, 'a latency needs a unit'],
    ]);
  });

  it('never accepts an unknown metric silently', () => {
    for (const expression of ['p99(eom) < 1s', 'foo < 1', 'rate(bogus) < 1%', 'count(x) == 0']) {
      expect(parseThreshold(expression).ok, expression).toBe(false);
    }
  });

  it('maps a problem to file:line:col with a caret', () => {
    const source = 'thresholds:\n  - "p99(eom) < 50ms"\n';
    const [problem] = problems('p99(eom) < 50ms');
    const start = { file: 'profile.yaml', line: 2, col: 6, offset: 17, length: 15 };
    const diagnostic = thresholdDiagnostic(problem!, start);
    expect(diagnostic.span).toEqual({
      file: 'profile.yaml',
      line: 2,
      col: 10,
      offset: 21,
      length: 3,
    });
    expect(renderDiagnostic(diagnostic, source)).toBe(
      [
        'error: invalid threshold',
        ' --> profile.yaml:2:10',
        '  |',
        '2 |   - "p99(eom) < 50ms"',
        "  |          ^^^ unknown phase 'eom'",
        "  = hint: did you mean 'eod'?",
      ].join('\n'),
    );
  });
});
