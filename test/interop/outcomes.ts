import type { ConformanceRun } from '../../src/dialogue/run-suites.js';

/**
 * Expected outcomes of the interop tier: per pass (interop-passes.ts), the status of every case,
 * kept in `test/interop/expected/<pass id>.json`:
 *
 * ```json
 * { "server": "aiosmtpd", "version": "aiosmtpd 1.4.3", "options": "--tls starttls",
 *   "outcomes": { "rfc4954-auth/auth-plain-accepted": "passed", … } }
 * ```
 *
 * The version and the options (absent for a plain pass) are informative; only `outcomes` is
 * compared.
 */
export interface ExpectedOutcomes {
  server: string;
  version: string;
  options?: string;
  outcomes: Record<string, string>;
}

export interface CaseRow {
  id: string;
  suite: string;
  level: string;
  status: string;
  reason: string;
}

export function caseRows(run: ConformanceRun): CaseRow[] {
  return run.suites.flatMap((suite) =>
    suite.cases.map((c) => ({
      id: `${suite.id}/${c.id}`,
      suite: suite.id,
      level: c.level,
      status: c.status,
      reason: c.reason,
    })),
  );
}

export function toExpected(
  server: string,
  version: string,
  rows: CaseRow[],
  options = '',
): ExpectedOutcomes {
  const outcomes = Object.fromEntries(
    [...rows].sort((a, b) => a.id.localeCompare(b.id)).map((r) => [r.id, r.status]),
  );
  return { server, version, ...(options ? { options } : {}), outcomes };
}

/** One line per difference: `~ id: expected passed, got failed (reason)`, `+ id` new, `- id` gone. */
export function diffOutcomes(expected: ExpectedOutcomes, rows: CaseRow[]): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    seen.add(row.id);
    const want = expected.outcomes[row.id];
    if (want === undefined) lines.push(`+ ${row.id}: new case, got ${row.status}`);
    else if (want !== row.status)
      lines.push(
        `~ ${row.id}: expected ${want}, got ${row.status}${row.reason ? ` (${row.reason})` : ''}`,
      );
  }
  for (const id of Object.keys(expected.outcomes))
    if (!seen.has(id)) lines.push(`- ${id}: no longer run`);
  return lines;
}

/** Cell counts: passed / failed (MUST) / warned (a failure below MUST) / skipped. */
export interface Cell {
  passed: number;
  failed: number;
  warned: number;
  skipped: number;
  error: number;
}

export function tally(rows: CaseRow[]): Cell {
  const cell: Cell = { passed: 0, failed: 0, warned: 0, skipped: 0, error: 0 };
  for (const row of rows) {
    if (row.status === 'failed') cell[row.level === 'must' ? 'failed' : 'warned']++;
    else if (row.status in cell) cell[row.status as keyof Cell]++;
  }
  return cell;
}

/**
 * The pass × suite table of docs/interop.md, from the run's rows and the case levels, one
 * column per pass (interop-passes.ts):
 *
 * ```
 * | suite | postfix (Postfix 3.7.11) | aiosmtpd --tls starttls (aiosmtpd 1.4.3) |
 * |---|---|---|
 * | rfc4954-auth | 17 / 5 / 2 / 2 | 20 / 2 / 1 / 3 |
 * | rfc5321-mail | 8 / 1 / 1 / 0 | — |
 * ```
 * Each cell is passed / failed / warned / skipped; `—` where the pass does not run the suite.
 */
export function renderTable(servers: { name: string; version: string; rows: CaseRow[] }[]): string {
  const suites = [...new Set(servers.flatMap((s) => s.rows.map((r) => r.suite)))].sort();
  const head = `| suite | ${servers.map((s) => `${s.name} (${s.version})`).join(' | ')} |`;
  const rule = `|---|${servers.map(() => '---').join('|')}|`;
  const format = (c: Cell) =>
    `${c.passed} / ${c.failed} / ${c.warned} / ${c.skipped}${c.error ? ` / **${c.error} error**` : ''}`;
  const cell = (rows: CaseRow[]) => (rows.length ? format(tally(rows)) : '—');
  const body = suites.map(
    (suite) =>
      `| ${suite} | ${servers.map((s) => cell(s.rows.filter((r) => r.suite === suite))).join(' | ')} |`,
  );
  const total = `| **all** | ${servers.map((s) => `**${format(tally(s.rows))}**`).join(' | ')} |`;
  return [head, rule, ...body, total].join('\n');
}
