import type { SuiteResult } from '../../dialogue/case-result.js';
import type { Level } from '../../suite/model.js';
import { isGated, LEVEL_ORDER, type ConformanceReport } from '../conformance-report.js';
import { caseAnchor, suiteAnchor } from './case-anchors.js';
import {
  countVerdicts,
  shownVerdicts,
  VERDICT_MEANING,
  type CaseVerdict,
  type VerdictCounts,
} from './case-verdict.js';
import { plural } from './display-format.js';
import { markup, trustedHtml, type SafeHtml } from './html-template.js';
import { renderStackedBar } from './svg-chart.js';

/**
 * The conformance summary: a tile per verdict, a table by level, the baseline's accepted and
 * stale entries, and the compliance table by RFC (one row per suite, under a subtotal row for
 * an RFC of several suites; an RFC of one is one row). Every count cell carries `data-verdict` (and its row `data-level`, `data-suite` or
 * `data-rfc`), so tests and scripts can read the numbers back:
 *
 * ```html
 * <table class="counts" id="by-level"><caption>By level</caption>
 * <thead><tr><th scope="col">Level</th><th scope="col" class="num c-passed" title="…">passed</th>…</tr></thead>
 * <tbody><tr data-level="must"><th scope="row">MUST <span class="gated">gate</span></th><td class="num c-passed" data-verdict="passed">60</td>…</tr>…</tbody>
 * <tfoot><tr data-level="all">…</tr></tfoot>
 * </table>
 * ```
 */
export function renderConformanceSummary(report: ConformanceReport): SafeHtml {
  const gate = report.summary.gate;
  const suites = report.conformance.suites;
  const all = countVerdicts(
    suites.flatMap((suite) => suite.cases),
    gate,
  );
  const columns = shownVerdicts(all.known > 0);
  const tiles = columns.map(
    (verdict) =>
      markup`<div class="tile t-${verdict}${all[verdict] === 0 ? ' zero' : ''}" data-summary="${verdict}" title="${VERDICT_MEANING[verdict]}"><span class="n">${all[verdict]}</span><span class="l">${verdict}</span></div>`,
  );
  return markup`<div class="summary">
<h3 id="summary">Summary</h3>
<div class="tiles">
<div class="tile t-total" data-summary="total"><span class="n">${report.summary.total}</span><span class="l">cases</span></div>
${tiles}
</div>
${levelTable(suites, gate, columns, all)}
${baselineNote(report)}
</div>
<h3 id="compliance">Compliance by RFC</h3>
${complianceTable(suites, gate, columns)}`;
}

function levelTable(
  suites: readonly SuiteResult[],
  gate: Level,
  columns: readonly CaseVerdict[],
  all: VerdictCounts,
): SafeHtml {
  const cases = suites.flatMap((suite) => suite.cases);
  const rows = LEVEL_ORDER.map((level) => {
    const counts = countVerdicts(
      cases.filter((c) => c.level === level),
      gate,
    );
    const gated = isGated(level, gate)
      ? markup` <span class="gated" title="at or above the gate: failures fail the run">gate</span>`
      : '';
    return markup`<tr data-level="${level}"><th scope="row">${level.toUpperCase()}${gated}</th>${countCells(counts, columns)}</tr>\n`;
  });
  return markup`<table class="counts" id="by-level"><caption>By level</caption>
${header('Level', columns, false)}
<tbody>
${rows}</tbody>
<tfoot><tr data-level="all"><th scope="row">All levels</th>${countCells(all, columns)}</tr></tfoot>
</table>`;
}

function complianceTable(
  suites: readonly SuiteResult[],
  gate: Level,
  columns: readonly CaseVerdict[],
): SafeHtml {
  const groups = groupByRfc(suites).map(([rfc, members]) => {
    if (members.length === 1) return singleSuiteGroup(rfc, members[0]!, gate, columns);
    const subtotal = countVerdicts(
      members.flatMap((suite) => suite.cases),
      gate,
    );
    const rows = members.map((suite) => {
      const counts = countVerdicts(suite.cases, gate);
      return markup`<tr data-suite="${suite.id}"><th scope="row"><a href="#${suiteAnchor(suite.id)}">${suite.id}</a><span class="sub">${suite.title}</span></th>${countCells(counts, columns)}${resultCells(counts, columns)}</tr>\n`;
    });
    return markup`<tbody class="rfc-group" data-rfc="${rfc}">
<tr class="rfc-row" data-rfc="${rfc}"><th scope="rowgroup">RFC ${rfc}<span class="sub">${plural(members.length, 'suite')}</span></th>${countCells(subtotal, columns)}${resultCells(subtotal, columns)}</tr>
${rows}</tbody>
`;
  });
  return markup`<div class="table-wrap"><table class="counts compliance" id="by-rfc"><caption class="visually-hidden">Compliance by RFC and suite</caption>
${header('RFC / suite', columns, true)}
${groups}</table></div>`;
}

/** An RFC with one suite: a single row, the RFC's and the suite's at once. */
function singleSuiteGroup(
  rfc: string,
  suite: SuiteResult,
  gate: Level,
  columns: readonly CaseVerdict[],
): SafeHtml {
  const counts = countVerdicts(suite.cases, gate);
  return markup`<tbody class="rfc-group" data-rfc="${rfc}">
<tr class="rfc-row single" data-rfc="${rfc}" data-suite="${suite.id}"><th scope="row">RFC ${rfc}<a href="#${suiteAnchor(suite.id)}">${suite.id}</a><span class="sub">${suite.title}</span></th>${countCells(counts, columns)}${resultCells(counts, columns)}</tr>
</tbody>
`;
}

function header(first: string, columns: readonly CaseVerdict[], withResult: boolean): SafeHtml {
  const verdicts = columns.map(
    (verdict) =>
      markup`<th scope="col" class="num c-${verdict}" title="${VERDICT_MEANING[verdict]}">${verdict}</th>`,
  );
  const result = withResult
    ? markup`<th scope="col" class="num" title="passed ÷ (passed + failed + warned + known): skipped and errored cases do not count">pass rate</th><th scope="col" class="bar-col"><span class="visually-hidden">share of cases by verdict</span></th>`
    : '';
  return markup`<thead><tr><th scope="col">${first}</th>${verdicts}<th scope="col" class="num">total</th>${result}</tr></thead>`;
}

function countCells(counts: VerdictCounts, columns: readonly CaseVerdict[]): SafeHtml {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const cells = columns.map(
    (verdict) =>
      markup`<td class="num c-${verdict}${counts[verdict] === 0 ? ' zero' : ''}" data-verdict="${verdict}">${counts[verdict]}</td>`,
  );
  return markup`${cells}<td class="num total" data-verdict="total">${total}</td>`;
}

function resultCells(counts: VerdictCounts, columns: readonly CaseVerdict[]): SafeHtml {
  const judged = counts.passed + counts.failed + counts.warned + counts.known;
  const rate = judged === 0 ? '–' : `${Math.floor((counts.passed / judged) * 1000) / 10}%`;
  const bar = renderStackedBar(
    columns.map((verdict) => ({
      className: `v-${verdict}`,
      value: counts[verdict],
      label: verdict,
    })),
  );
  return markup`<td class="num rate">${rate}</td><td class="bar-col">${trustedHtml(bar)}</td>`;
}

/** Suites grouped by their RFC, RFCs in numeric order (others after, by name). */
function groupByRfc(suites: readonly SuiteResult[]): [string, SuiteResult[]][] {
  const groups = new Map<string, SuiteResult[]>();
  for (const suite of suites) groups.set(suite.rfc, [...(groups.get(suite.rfc) ?? []), suite]);
  return [...groups].sort(([a], [b]) => rfcOrder(a, b));
}

function rfcOrder(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  if (Number.isFinite(x) !== Number.isFinite(y)) return Number.isFinite(x) ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function baselineNote(report: ConformanceReport): SafeHtml {
  const { accepted, staleBaseline } = report.summary;
  if (accepted === 0 && staleBaseline.length === 0) return markup``;
  const acceptedNote =
    accepted > 0
      ? markup`<p>${accepted === 1 ? '1 failure accepted as a known deviation' : `${accepted} failures accepted as known deviations`}: shown as <span class="badge v-known">known</span> with the baseline's reason, not failing the run.</p>\n`
      : '';
  const stale = staleBaseline.map(
    (id) => markup`<li data-stale="${id}"><a href="#${caseAnchor(id)}"><code>${id}</code></a></li>`,
  );
  const staleNote =
    staleBaseline.length > 0
      ? markup`<p class="stale-note"><strong>${plural(staleBaseline.length, 'stale entry', 'stale entries')}:</strong> listed in the baseline, but the case passes now. Remove ${staleBaseline.length === 1 ? 'it' : 'them'} from the baseline file.</p>
<ul class="stale-list">${stale}</ul>\n`
      : '';
  return markup`<div class="baseline" id="baseline">
<h4>Baseline</h4>
${acceptedNote}${staleNote}</div>`;
}
