import type { ConformanceReport } from '../conformance-report.js';
import { renderCaseFilters } from './case-filters.js';
import { renderCaseList } from './case-list.js';
import { renderConformanceSummary } from './conformance-summary.js';
import { markup } from './html-template.js';
import type { ReportSection } from './report-sections.js';

/**
 * The `conformance` part of a result: the summary tables, then the filter bar and every case.
 *
 * ```html
 * <div class="summary"><h3 id="summary">Summary</h3> …</div>
 * <h3 id="compliance">Compliance by RFC</h3> <div class="table-wrap"><table id="by-rfc">…</table></div>
 * <h3 id="cases">Cases</h3>
 * <div class="filters" id="filters" hidden>…</div>
 * <noscript><p class="muted">The filters need JavaScript; every case is shown.</p></noscript>
 * <section class="suite" id="suite:rfc5321-rcpt">…</section> …
 * ```
 */
export function renderConformanceSection(report: ConformanceReport): ReportSection {
  const cases = report.conformance.suites.flatMap((suite) => suite.cases);
  return {
    id: 'conformance',
    title: 'Conformance',
    contents: [
      { anchor: 'summary', label: 'Summary' },
      { anchor: 'compliance', label: 'Compliance by RFC' },
      { anchor: 'cases', label: 'Cases' },
    ],
    body: markup`${renderConformanceSummary(report)}
<h3 id="cases">Cases</h3>
${renderCaseFilters(cases, report.summary.gate)}
<noscript><p class="muted">The filters need JavaScript; every case is shown.</p></noscript>
${renderCaseList(report)}`,
  };
}
