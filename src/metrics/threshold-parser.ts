import { didYouMean } from '../core/did-you-mean.js';
import { NAMED_HISTOGRAMS, PHASES } from './metric-names.js';
import {
  AGGREGATES,
  BARE_METRICS,
  COMPARATORS,
  COUNTER_NAMES,
  RATE_NAMES,
} from './threshold-model.js';
import type {
  Comparator,
  CountTarget,
  LatencyTarget,
  RateName,
  Threshold,
  ThresholdMetric,
} from './threshold-model.js';

/**
 * Threshold expressions, from a load profile's `thresholds:` or `--threshold` (after k6's
 * metrics/thresholds_parser.go). Spaces may separate any two tokens.
 *
 *   threshold  = metric comparator limit
 *   metric     = aggregate "(" name ")" | "throughput" | "dropped"
 *   aggregate  = "p" number | "min" | "max" | "mean" | "count" | "rate"   ; p0 … p100
 *   name       = (ALPHA | DIGIT) *(ALPHA | DIGIT | "-")
 *   comparator = "<=" | ">=" | "==" | "!=" | "<" | ">"
 *   limit      = number [unit]
 *   number     = 1*DIGIT ["." 1*DIGIT]
 *   unit       = "us" | "µs" | "ms" | "s" | "%" | "/s"
 *
 * What goes with what (the meanings: docs/metrics.md):
 *
 *   pN | min | max | mean (name)  name: a phase or named histogram; limit: a duration, unit required
 *   count(name)                   name: a phase or named histogram (values recorded), or a
 *                                 counter: errors, failed, dropped, 2xx, 4xx, 5xx; limit: a number
 *   rate(name)                    name: errors, failed, 2xx, 4xx, 5xx; limit: "%" or a fraction 0–1
 *   throughput                    messages accepted per second; limit: "/s" or a number
 *   dropped                       count(dropped); limit: a number
 *
 * Examples: `p99(eod) < 50ms`, `p99.9(message) < 100ms`, `max(connect) < 1s`,
 * `rate(errors) < 0.1%`, `count(errors) == 0`, `throughput > 500/s`, `dropped == 0`.
 *
 * Problems are data: each has the 1-based column and length of the offending text within the
 * expression, so the caller can add the expression's own position (`thresholdDiagnostic`). A
 * syntax error ends the parse; name and unit problems are all reported.
 */
export interface ThresholdProblem {
  column: number;
  length: number;
  message: string;
  hint?: string;
}

export type ThresholdParse =
  { ok: true; threshold: Threshold } | { ok: false; problems: ThresholdProblem[] };

const LATENCY_TARGETS: readonly string[] = [...PHASES, ...NAMED_HISTOGRAMS];
const COUNT_TARGETS: readonly string[] = [...LATENCY_TARGETS, ...COUNTER_NAMES];
const UNIT_POWER: Readonly<Record<string, number>> = { us: 0, µs: 0, μs: 0, ms: 3, s: 6 };
const UNITS = ['us', 'µs', 'ms', 's', '%', '/s'];
const ALIASES: Readonly<Record<string, string>> = {
  avg: 'mean',
  average: 'mean',
  median: 'p50',
  minimum: 'min',
  maximum: 'max',
};

/** A token: its text and 0-based offset in the expression. */
interface Token {
  text: string;
  at: number;
}

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  /** Reads the longest match of `pattern` (sticky) at the current position. */
  read(pattern: RegExp): Token | undefined {
    pattern.lastIndex = this.pos;
    const match = pattern.exec(this.text);
    if (match === null) return undefined;
    const token = { text: match[0], at: this.pos };
    this.pos += match[0].length;
    return token;
  }

  /** The rest of the expression from here, for "found …" messages. */
  rest(): Token {
    return { text: this.text.slice(this.pos).trimEnd(), at: this.pos };
  }
}

type MetricKind = ThresholdMetric['kind'];

/** A resolved metric, or only its kind (after a name problem), or neither. */
interface Resolved {
  metric?: ThresholdMetric | undefined;
  kind?: MetricKind;
}

function resolved(metric: ThresholdMetric): Resolved {
  return { metric, kind: metric.kind };
}

const METRIC_WORD = /[A-Za-z0-9][A-Za-z0-9.-]*/y;
const NAME_WORD = /[A-Za-z0-9][A-Za-z0-9-]*/y;
const COMPARATOR = /<=|>=|==|!=|<|>|=/y;
const NUMBER = /\d+(?:\.\d+)?/y;
const UNIT_WORD = /[A-Za-zµμ]+|%|\/[A-Za-z]*/y;

export function parseThreshold(expression: string): ThresholdParse {
  const problems: ThresholdProblem[] = [];
  const scanner = new Scanner(expression);
  scanner.skipSpaces();
  const parsed = parseMetric(scanner, problems);
  if (parsed === 'syntax') return failed(problems);
  const { metric, kind } = parsed;
  scanner.skipSpaces();
  const comparator = parseComparator(scanner, problems);
  if (comparator === undefined) return failed(problems);
  scanner.skipSpaces();
  const number = scanner.read(NUMBER);
  if (number === undefined) {
    problems.push(problemAt(scanner.rest(), 'expected a number after the comparison'));
    return failed(problems);
  }
  scanner.skipSpaces();
  const unit = scanner.read(UNIT_WORD);
  scanner.skipSpaces();
  if (scanner.pos < expression.length) {
    const rest = scanner.rest();
    problems.push(problemAt(rest, `unexpected '${rest.text}' after the limit`));
  }
  const unitKnown = unit === undefined || knownUnit(unit, problems);
  const limit =
    kind === undefined || !unitKnown ? undefined : resolveLimit(kind, number, unit, problems);
  if (metric === undefined || limit === undefined || problems.length > 0) {
    return failed(problems);
  }
  const limitText = expression.slice(
    number.at,
    unit ? unit.at + unit.text.length : number.at + number.text.length,
  );
  return { ok: true, threshold: { expression, metric, comparator, limit, limitText } };
}

/** All problems, in column order. */
function failed(problems: ThresholdProblem[]): ThresholdParse {
  return { ok: false, problems: problems.sort((a, b) => a.column - b.column) };
}

/**
 * The metric, or after a name problem (parsing goes on) only its kind when the aggregate tells
 * it, so the limit can still be checked; 'syntax' after a syntax error.
 */
function parseMetric(scanner: Scanner, problems: ThresholdProblem[]): Resolved | 'syntax' {
  const word = scanner.read(METRIC_WORD);
  if (word === undefined) {
    problems.push(
      problemAt(scanner.rest(), 'expected a metric, e.g. p99(eod), rate(errors) or throughput'),
    );
    return 'syntax';
  }
  scanner.skipSpaces();
  if (scanner.read(/\(/y) === undefined) return resolveBare(word, problems);
  scanner.skipSpaces();
  const name = scanner.read(NAME_WORD);
  if (name === undefined) {
    problems.push(problemAt(scanner.rest(), `expected a name after '${word.text}('`));
    return 'syntax';
  }
  scanner.skipSpaces();
  if (scanner.read(/\)/y) === undefined) {
    problems.push(problemAt(scanner.rest(), `expected ')' after '${word.text}(${name.text}'`));
    return 'syntax';
  }
  return resolveCall(word, name, problems);
}

function resolveBare(word: Token, problems: ThresholdProblem[]): Resolved {
  if (word.text === 'throughput') return resolved({ kind: 'throughput' });
  if (word.text === 'dropped') return resolved({ kind: 'count', target: 'dropped' });
  if (LATENCY_TARGETS.includes(word.text) || COUNT_TARGETS.includes(word.text)) {
    const example = LATENCY_TARGETS.includes(word.text)
      ? `p99(${word.text})`
      : `count(${word.text})`;
    problems.push(
      problemAt(word, `'${word.text}' needs an aggregate`, `did you mean '${example}'?`),
    );
    return {};
  }
  problems.push(
    problemAt(
      word,
      `unknown metric '${word.text}'`,
      didYouMean(word.text, BARE_METRICS) ??
        'write an aggregate and a name, e.g. p99(eod), or throughput or dropped',
    ),
  );
  return {};
}

function resolveCall(aggregate: Token, name: Token, problems: ThresholdProblem[]): Resolved {
  const text = aggregate.text;
  if ((BARE_METRICS as readonly string[]).includes(text)) {
    problems.push(problemAt(aggregate, `'${text}' takes no name`, `write e.g. '${text} > 0'`));
    return {};
  }
  if (text === 'count') return { kind: 'count', metric: countMetric(name, problems) };
  if (text === 'rate') return { kind: 'rate', metric: rateMetric(name, problems) };
  const percentile = /^p(\d+(?:\.\d+)?)$/.exec(text)?.[1];
  const stat =
    text === 'min' || text === 'max' || text === 'mean' ? text : percentile && 'percentile';
  if (!stat) {
    const alias = ALIASES[text.toLowerCase()];
    const hint = alias
      ? `did you mean '${alias}'?`
      : (didYouMean(text, AGGREGATES) ?? 'use pN (p50, p99.9), min, max, mean, count or rate');
    problems.push(problemAt(aggregate, `unknown aggregate '${text}'`, hint));
    return {};
  }
  const target = latencyTarget(name, problems);
  if (percentile !== undefined && Number(percentile) > 100) {
    const hint = percentileHint(percentile);
    problems.push(problemAt(aggregate, `percentile ${percentile} is above 100`, hint));
    return { kind: 'latency' };
  }
  if (target === undefined) return { kind: 'latency' };
  return {
    kind: 'latency',
    metric:
      percentile === undefined
        ? { kind: 'latency', stat, target }
        : { kind: 'latency', stat, percentile: Number(percentile), target },
  };
}

function latencyTarget(name: Token, problems: ThresholdProblem[]): LatencyTarget | undefined {
  if (LATENCY_TARGETS.includes(name.text)) return name.text as LatencyTarget;
  if ((COUNTER_NAMES as readonly string[]).includes(name.text)) {
    const hint = (RATE_NAMES as readonly string[]).includes(name.text)
      ? `use count(${name.text}) or rate(${name.text})`
      : `use count(${name.text})`;
    problems.push(problemAt(name, `'${name.text}' is a counter, not a latency`, hint));
    return undefined;
  }
  problems.push(
    problemAt(
      name,
      `unknown phase '${name.text}'`,
      didYouMean(name.text, LATENCY_TARGETS) ?? `phases: ${PHASES.join(', ')}`,
    ),
  );
  return undefined;
}

function countMetric(name: Token, problems: ThresholdProblem[]): ThresholdMetric | undefined {
  if (COUNT_TARGETS.includes(name.text)) return { kind: 'count', target: name.text as CountTarget };
  problems.push(
    problemAt(
      name,
      `unknown name '${name.text}' for count()`,
      didYouMean(name.text, COUNT_TARGETS) ?? `counters: ${COUNTER_NAMES.join(', ')}, or a phase`,
    ),
  );
  return undefined;
}

function rateMetric(name: Token, problems: ThresholdProblem[]): ThresholdMetric | undefined {
  if ((RATE_NAMES as readonly string[]).includes(name.text)) {
    return { kind: 'rate', target: name.text as RateName };
  }
  problems.push(
    problemAt(
      name,
      `rate() takes ${RATE_NAMES.join(', ')}; not '${name.text}'`,
      didYouMean(name.text, RATE_NAMES),
    ),
  );
  return undefined;
}

/** `p999` is almost always `p99.9`: the digits after the first two become the fraction. */
function percentileHint(digits: string): string | undefined {
  if (digits.includes('.') || digits.length < 3) return undefined;
  return `did you mean 'p${digits.slice(0, 2)}.${digits.slice(2)}'?`;
}

function parseComparator(scanner: Scanner, problems: ThresholdProblem[]): Comparator | undefined {
  const token = scanner.read(COMPARATOR);
  if (token === undefined) {
    const rest = scanner.rest();
    const found = rest.text === '' ? 'the end' : `'${rest.text}'`;
    problems.push(
      problemAt(rest, `expected a comparison (${COMPARATORS.join(' ')}), found ${found}`),
    );
    return undefined;
  }
  if (token.text === '=') {
    problems.push(problemAt(token, "'=' is not a comparison", "did you mean '=='?"));
    return undefined;
  }
  return token.text as Comparator;
}

function knownUnit(unit: Token, problems: ThresholdProblem[]): boolean {
  if (UNITS.includes(unit.text) || unit.text in UNIT_POWER) return true;
  const hint = didYouMean(unit.text, UNITS) ?? `units: ${UNITS.join(' ')}`;
  problems.push(problemAt(unit, `unknown unit '${unit.text}'`, hint));
  return false;
}

/** The limit in the base unit of a metric of `kind`, or undefined after recording a problem. */
function resolveLimit(
  kind: MetricKind,
  number: Token,
  unit: Token | undefined,
  problems: ThresholdProblem[],
): number | undefined {
  const u = unit?.text;
  switch (kind) {
    case 'latency': {
      const power = u === undefined ? undefined : UNIT_POWER[u];
      if (power !== undefined) return shiftDecimal(number.text, power);
      const where = unit ?? number;
      const message = u === undefined ? 'a latency needs a unit' : `'${u}' is not a duration unit`;
      problems.push(problemAt(where, message, `did you mean '${number.text}ms'? (us, µs, ms, s)`));
      return undefined;
    }
    case 'rate':
      if (u === '%') return shiftDecimal(number.text, -2);
      if (u === undefined && Number(number.text) <= 1) return Number(number.text);
      problems.push(
        u === undefined
          ? problemAt(
              number,
              'a rate without % is a fraction from 0 to 1',
              `did you mean '${number.text}%'?`,
            )
          : problemAt(unit!, `'${u}' is not a rate unit`, "use '%' or a fraction from 0 to 1"),
      );
      return undefined;
    case 'throughput':
      if (u === undefined || u === '/s') return Number(number.text);
      problems.push(problemAt(unit!, `'${u}' is not a throughput unit`, "use '/s', e.g. 500/s"));
      return undefined;
    case 'count':
      if (u === undefined) return Number(number.text);
      problems.push(problemAt(unit!, 'a count takes no unit', `write '${number.text}'`));
      return undefined;
  }
}

/**
 * `digits` × 10^power, exactly: the decimal point moves in the text, so `0.0015s` is 1500 µs,
 * not 1500.0000000000002.
 */
export function shiftDecimal(digits: string, power: number): number {
  const [whole = '', fraction = ''] = digits.split('.');
  const all = whole + fraction;
  const point = whole.length + power;
  if (point <= 0) return Number(`0.${'0'.repeat(-point)}${all}`);
  if (point >= all.length) return Number(all + '0'.repeat(point - all.length));
  return Number(`${all.slice(0, point)}.${all.slice(point)}`);
}

function problemAt(token: Token, message: string, hint?: string): ThresholdProblem {
  return {
    column: token.at + 1,
    length: Math.max(1, token.text.length),
    message,
    ...(hint !== undefined ? { hint } : {}),
  };
}
