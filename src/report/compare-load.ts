import type { LoadReport } from './load-report.js';

/**
 * The difference between two load results (a baseline and a current run): per phase latency
 * (p50, p99) and throughput, each with its change in percent, and thresholds whose verdict
 * changed. With `maxRegression` (a fraction, 0.1 = 10%), a p99 that rose by more, or a
 * throughput that fell by more, is a regression; a threshold that newly fails always is.
 */
export interface MetricChange {
  name: string;
  before: number | undefined;
  after: number | undefined;
  /** (after - before) / before; undefined when either side is missing or before is 0. */
  change: number | undefined;
  /** Worse beyond the allowed regression. */
  regressed: boolean;
}

export interface LoadComparison {
  before: { target: string; startedAt: string; profile: string };
  after: { target: string; startedAt: string; profile: string };
  metrics: MetricChange[];
  thresholds: { expression: string; before?: boolean; after?: boolean }[];
  regressions: number;
}

const PHASE_STATS = ['p50', 'p99'] as const;

export function compareLoad(
  before: LoadReport,
  after: LoadReport,
  maxRegression: number | undefined,
): LoadComparison {
  const metrics: MetricChange[] = [
    change(
      'throughput (/s)',
      before.summary.throughput,
      after.summary.throughput,
      'lower',
      maxRegression,
    ),
  ];
  const phases = new Set([
    ...Object.keys(before.load.snapshot.phases),
    ...Object.keys(after.load.snapshot.phases),
  ]);
  for (const phase of phases) {
    for (const stat of PHASE_STATS) {
      const b = before.load.snapshot.phases[phase as keyof typeof before.load.snapshot.phases];
      const a = after.load.snapshot.phases[phase as keyof typeof after.load.snapshot.phases];
      const gate = stat === 'p99' ? maxRegression : undefined;
      metrics.push(change(`${stat}(${phase}) (ms)`, b?.[stat], a?.[stat], 'higher', gate));
    }
  }
  const thresholds = thresholdChanges(before, after);
  const regressions =
    metrics.filter((m) => m.regressed).length +
    thresholds.filter((t) => t.before !== false && t.after === false).length;
  return { before: describe(before), after: describe(after), metrics, thresholds, regressions };
}

function change(
  name: string,
  before: number | undefined,
  after: number | undefined,
  worse: 'higher' | 'lower',
  maxRegression: number | undefined,
): MetricChange {
  const ratio =
    before === undefined || after === undefined || before === 0
      ? undefined
      : (after - before) / before;
  const worsened = ratio === undefined ? 0 : worse === 'higher' ? ratio : -ratio;
  const regressed = maxRegression !== undefined && worsened > maxRegression;
  return { name, before, after, change: ratio, regressed };
}

function thresholdChanges(before: LoadReport, after: LoadReport): LoadComparison['thresholds'] {
  const old = new Map(before.load.thresholds.map((t) => [t.expression, t.ok]));
  const now = new Map(after.load.thresholds.map((t) => [t.expression, t.ok]));
  return [...new Set([...old.keys(), ...now.keys()])]
    .filter((expression) => old.get(expression) !== now.get(expression))
    .map((expression) => ({
      expression,
      ...(old.has(expression) ? { before: old.get(expression) } : {}),
      ...(now.has(expression) ? { after: now.get(expression) } : {}),
    }));
}

function describe(report: LoadReport): LoadComparison['before'] {
  return {
    target: `${report.target.host}:${report.target.port}`,
    startedAt: report.startedAt,
    profile: report.load.profile.id,
  };
}

/**
 * The comparison for the console:
 *
 * ```
 * before  127.0.0.1:2525  2026-11-20T10:00:00.000Z  profile smoke
 * after   127.0.0.1:2525  2026-11-23T10:00:00.000Z  profile smoke
 *
 * metric                    before      after    change
 * throughput (/s)           5210.3     4620.1    -11.3%  REGRESSION
 * p99(eod) (ms)              1.203      1.251     +4.0%
 *
 * threshold p99(eod) < 2ms: passed → failed
 *
 * 2 regressions (max regression 10%)
 * ```
 */
export function renderLoadComparison(c: LoadComparison, maxRegression: number | undefined): string {
  const lines = [
    `before  ${c.before.target}  ${c.before.startedAt}  profile ${c.before.profile}`,
    `after   ${c.after.target}  ${c.after.startedAt}  profile ${c.after.profile}`,
    '',
  ];
  const width = Math.max(6, ...c.metrics.map((m) => m.name.length));
  lines.push(
    `${'metric'.padEnd(width)}  ${'before'.padStart(10)} ${'after'.padStart(10)}  ${'change'.padStart(8)}`,
  );
  for (const m of c.metrics) {
    const pct =
      m.change === undefined ? '-' : `${m.change >= 0 ? '+' : ''}${(m.change * 100).toFixed(1)}%`;
    lines.push(
      `${m.name.padEnd(width)}  ${num(m.before).padStart(10)} ${num(m.after).padStart(10)}  ${pct.padStart(8)}${m.regressed ? '  REGRESSION' : ''}`,
    );
  }
  if (c.thresholds.length > 0) lines.push('');
  for (const t of c.thresholds)
    lines.push(`threshold ${t.expression}: ${verdict(t.before)} → ${verdict(t.after)}`);
  const gate =
    maxRegression === undefined
      ? 'no --max-regression: only thresholds gate'
      : `max regression ${(maxRegression * 100).toFixed(0)}%`;
  lines.push('', `${c.regressions} regression${c.regressions === 1 ? '' : 's'} (${gate})`);
  return `${lines.join('\n')}\n`;
}

const num = (n: number | undefined) => (n === undefined ? '-' : String(n));
const verdict = (ok: boolean | undefined) =>
  ok === undefined ? 'absent' : ok ? 'passed' : 'failed';
