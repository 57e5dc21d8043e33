import type { CaseStatus } from '../dialogue/case-result.js';
import type { Level } from '../suite/model.js';
import { isGated, type ConformanceReport } from './conformance-report.js';

/**
 * The difference between two conformance results (a baseline and a current run, or two
 * targets): every case whose outcome differs, in suite order.
 */
export type CaseChange = 'newly failing' | 'newly passing' | 'changed' | 'new' | 'gone';

export interface CaseDifference {
  id: string;
  level: Level;
  before?: CaseStatus;
  after?: CaseStatus;
  change: CaseChange;
  /** The current reason (or the baseline's, for a case that is gone). */
  reason: string;
}

export interface Comparison {
  before: { target: string; startedAt: string };
  after: { target: string; startedAt: string };
  differences: CaseDifference[];
  /** Newly failing cases at or above the gate: these fail `smtpgauge compare`. */
  regressions: number;
}

export function compareResults(
  before: ConformanceReport,
  after: ConformanceReport,
  gate: Level,
): Comparison {
  const old = caseMap(before);
  const now = caseMap(after);
  const differences: CaseDifference[] = [];
  for (const [id, current] of now) {
    const previous = old.get(id);
    if (previous?.status === current.status) continue;
    differences.push({
      id,
      level: current.level,
      before: previous?.status,
      after: current.status,
      change: changeOf(previous?.status, current.status),
      reason: current.reason,
    });
  }
  for (const [id, previous] of old) {
    if (!now.has(id))
      differences.push({
        id,
        level: previous.level,
        before: previous.status,
        change: 'gone',
        reason: previous.reason,
      });
  }
  const regressions = differences.filter(
    (d) => d.change === 'newly failing' && isGated(d.level, gate),
  ).length;
  return { before: describe(before), after: describe(after), differences, regressions };
}

function changeOf(before: CaseStatus | undefined, after: CaseStatus): CaseChange {
  if (before === undefined) return 'new';
  if (after === 'failed') return 'newly failing';
  if (after === 'passed' && before === 'failed') return 'newly passing';
  return 'changed';
}

function caseMap(
  report: ConformanceReport,
): Map<string, { status: CaseStatus; level: Level; reason: string }> {
  const map = new Map<string, { status: CaseStatus; level: Level; reason: string }>();
  for (const suite of report.conformance.suites) {
    for (const c of suite.cases)
      map.set(`${suite.id}/${c.id}`, { status: c.status, level: c.level, reason: c.reason });
  }
  return map;
}

function describe(report: ConformanceReport): { target: string; startedAt: string } {
  const banner = report.target.banner ? ` (${report.target.banner})` : '';
  return {
    target: `${report.target.host}:${report.target.port}${banner}`,
    startedAt: report.startedAt,
  };
}

/**
 * The comparison for the console:
 *
 * ```
 * before  127.0.0.1:25 (220 mx ESMTP Postfix)  2026-11-20T10:00:00.000Z
 * after   127.0.0.1:25 (220 mx ESMTP Postfix)  2026-11-23T10:00:00.000Z
 *
 * case                                   level   before  after   change
 * rfc5321-mail/mail-null-reverse-path    must    passed  failed  newly failing
 *     expected 250 to MAIL FROM:<>, got 501 5.1.7 Bad sender address syntax
 *
 * 1 difference: 1 newly failing (1 at or above must)
 * ```
 */
export function renderComparison(comparison: Comparison, gate: Level): string {
  const lines = [
    `before  ${comparison.before.target}  ${comparison.before.startedAt}`,
    `after   ${comparison.after.target}  ${comparison.after.startedAt}`,
    '',
  ];
  const diffs = comparison.differences;
  if (diffs.length === 0)
    return `${lines.join('\n')}no differences: every case has the same outcome\n`;
  const width = Math.max(4, ...diffs.map((d) => d.id.length));
  lines.push(
    `${'case'.padEnd(width)}  ${'level'.padEnd(6)}  ${'before'.padEnd(7)} ${'after'.padEnd(7)} change`,
  );
  for (const d of diffs) {
    lines.push(
      `${d.id.padEnd(width)}  ${d.level.padEnd(6)}  ${(d.before ?? '-').padEnd(7)} ${(d.after ?? '-').padEnd(7)} ${d.change}`,
    );
    if (d.change === 'newly failing' && d.reason) lines.push(`    ${d.reason}`);
  }
  const counts = (['newly failing', 'newly passing', 'changed', 'new', 'gone'] as const)
    .map((change) => [change, diffs.filter((d) => d.change === change).length] as const)
    .filter(([, n]) => n > 0)
    .map(([change, n]) =>
      change === 'newly failing'
        ? `${n} ${change} (${comparison.regressions} at or above ${gate})`
        : `${n} ${change}`,
    );
  lines.push(
    '',
    `${diffs.length} difference${diffs.length === 1 ? '' : 's'}: ${counts.join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}
