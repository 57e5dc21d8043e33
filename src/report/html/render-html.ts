import type { GaugeResult } from '../formats.js';
import { FILTER_SCRIPT } from './case-filters.js';
import { formatHostPort } from './display-format.js';
import { markup } from './html-template.js';
import { LOAD_STYLE } from './load-style.js';
import { renderPageDocument } from './page-document.js';
import { renderReportHeader } from './report-header.js';
import { renderContents, renderSection, reportSections } from './report-sections.js';

/**
 * `report.html`: one self-contained file (inline CSS and script, no request of any kind, opens
 * offline) for people to read a result in a browser (docs/report-format.md, "HTML"). A pure
 * function of the result, so `smtpgauge report` re-renders it byte for byte. Abridged:
 *
 * ```html
 * <!doctype html>
 * <html lang="en"><head><meta charset="utf-8">
 * <meta http-equiv="Content-Security-Policy" content="default-src 'none'; …; script-src 'sha256-…'; …">
 * <title>smtpgauge: failed · 127.0.0.1:40123</title><style>…</style></head>
 * <body>
 * <header class="page-head"><p class="eyebrow">smtpgauge 0.1.0 · SMTP conformance report</p>
 *   <div class="headline"><h1>127.0.0.1:40123</h1><span class="verdict v-failed">failed</span></div>
 *   <p class="verdict-text">1 case at or above the must level failed: the run fails (exit 1).</p>
 *   <dl class="meta">…banner, started, duration, gate, interrupted, tool…</dl></header>
 * <nav class="contents">…</nav>
 * <main id="main">
 * <section class="part" id="conformance"><h2 id="conformance-title">Conformance</h2>
 *   <h3 id="summary">Summary</h3> tiles, <table id="by-level">, baseline
 *   <h3 id="compliance">Compliance by RFC</h3> <table id="by-rfc">
 *   <h3 id="cases">Cases</h3> <div class="filters" id="filters" hidden>…</div>
 *   <section class="suite" id="suite:rfc5321-rcpt"><h4>…</h4><div class="cases">
 *     <details class="case v-failed" data-verdict="failed" data-level="must" open>…</details> …
 * </section>
 * </main>
 * <script>(() => { … })();</script>
 * </body></html>
 * ```
 *
 * A load result's page has the same frame with a `load` section (load-section.ts): tiles,
 * thresholds, latency tables and charts, the run over time, replies and errors, the
 * generator's health and the profile; it needs no script (its CSP allows none) and adds its
 * stylesheet (load-style.ts).
 */
export function renderHtml(report: GaugeResult): string {
  const sections = reportSections(report);
  const target = formatHostPort(report.target);
  const load = 'load' in report;
  return renderPageDocument({
    title: `${report.tool.name}${load ? ' load' : ''}: ${report.summary.verdict} · ${target}`,
    verdict: report.summary.verdict,
    generator: `${report.tool.name} ${report.tool.version}`,
    ...(load ? { style: LOAD_STYLE } : { script: FILTER_SCRIPT }),
    body: markup`${renderReportHeader(report)}
${renderContents(sections)}
<main id="main">
${sections.map(renderSection)}
</main>`,
  });
}
