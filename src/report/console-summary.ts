import type { CaseResult, SuiteResult } from '../dialogue/case-result.js';
import type { Level } from '../suite/model.js';
import { isGated, LEVEL_ORDER, type ConformanceReport } from './conformance-report.js';

/**
 * The console summary of a conformance run, for people and CI logs:
 *
 * ```
 * target   127.0.0.1:2525  220 mx.example.test ESMTP
 * level     passed  failed  skipped  error
 * must          61       1        0      0
 * should        12       0        0      0
 *
 * FAIL  rfc5321-rcpt/rcpt-before-mail  RFC 5321 §3.3 (must)
 *       RCPT without MAIL is refused with 503
 *       expected: 503 to RCPT TO:<postmaster@example.test>
 *       actual:   250 2.1.5 Accepted
 *       at suites/rfc5321/rcpt.yaml:12:9
 *
 * FAILED: 1 must-level case failed (gate: must). Report: reports/report.json
 * ```
 *
 * Failures below the gate are listed as WARN (SHOULD) or NOTE (MAY, INFO); errors as ERROR.
 */
export function renderConsoleSummary(report: ConformanceReport, reportPath?: string): string {
  const lines: string[] = [];
  const t = report.target;
  lines.push(`target   ${t.host}:${t.port}  ${t.banner ?? '(no greeting)'}`);
  lines.push(...levelTable(report));
  for (const suite of report.conformance.suites) {
    for (const result of suite.cases) {
      if (result.status === 'failed' || result.status === 'error')
        lines.push('', ...caseBlock(suite, result, report));
    }
  }
  for (const id of report.summary.staleBaseline) {
    lines.push('', `STALE ${id}: listed in the baseline but passes now; remove the entry`);
  }
  lines.push('', verdictLine(report, reportPath));
  return `${lines.join('\n')}\n`;
}

function levelTable(report: ConformanceReport): string[] {
  const rows = [
    `${'level'.padEnd(8)}${['passed', 'failed', 'skipped', 'error'].map((h) => h.padStart(8)).join('')}`,
  ];
  for (const level of LEVEL_ORDER) {
    const c = report.summary.byLevel[level];
    if (c.passed + c.failed + c.skipped + c.error === 0) continue;
    rows.push(
      `${level.padEnd(8)}${[c.passed, c.failed, c.skipped, c.error].map((n) => String(n).padStart(8)).join('')}`,
    );
  }
  return rows;
}

function caseBlock(suite: SuiteResult, result: CaseResult, report: ConformanceReport): string[] {
  const tag = statusTag(result, report.summary.gate);
  const head = `${tag} ${suite.id}/${result.id}  RFC ${result.rfc} §${result.section} (${result.level})`;
  const block = [head, `      ${result.title}`];
  if (result.accepted) block.push(`      known deviation: ${result.accepted.reason}`);
  if (result.failure) {
    block.push(
      `      expected: ${result.failure.expected}`,
      `      actual:   ${result.failure.actual}`,
    );
    block.push(`      at ${result.failure.location}`);
  } else {
    block.push(`      ${result.reason}`);
  }
  return block;
}

/**
 * FAIL: a failure at or above the gate; WARN: a SHOULD failure below it; NOTE: a MAY or INFO
 * case whose outcome is recorded rather than judged; KNOWN: a failure the baseline accepts;
 * ERROR: the case could not be run.
 */
function statusTag(result: CaseResult, gate: Level): string {
  if (result.status === 'error') return 'ERROR';
  if (result.accepted) return 'KNOWN';
  if (isGated(result.level, gate)) return 'FAIL ';
  return result.level === 'should' || result.level === 'must' ? 'WARN ' : 'NOTE ';
}

function verdictLine(report: ConformanceReport, reportPath?: string): string {
  const s = report.summary;
  const where = reportPath ? ` Report: ${reportPath}` : '';
  const interrupted = report.interrupted ? ' (interrupted: partial results)' : '';
  if (s.verdict === 'failed') {
    const n = s.gatingFailures;
    return `FAILED: ${n} case${n === 1 ? '' : 's'} at or above ${s.gate} level failed (gate: ${s.gate}).${interrupted}${where}`;
  }
  if (s.verdict === 'error' && report.interrupted && s.counts.error === 0) {
    return `INTERRUPTED: ${s.counts.passed} passed before the run was stopped; partial results.${where}`;
  }
  if (s.verdict === 'error') {
    return `ERROR: ${s.counts.error} case(s) could not be run.${interrupted}${where}`;
  }
  const below = s.counts.failed - s.accepted;
  const known = s.accepted > 0 ? `, ${s.accepted} known deviations` : '';
  return `PASSED: ${s.counts.passed} passed, ${s.counts.skipped} skipped, ${below} below-gate failures${known} (gate: ${s.gate}).${interrupted}${where}`;
}
