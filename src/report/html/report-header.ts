import type { ConformanceReport } from '../conformance-report.js';
import type { GaugeResult } from '../formats.js';
import { formatDuration, formatHostPort, formatTimestamp, plural } from './display-format.js';
import { capabilities, metaItem } from './header-parts.js';
import { markup, type SafeHtml } from './html-template.js';
import { renderLoadHeader } from './load-header.js';

/** The page header of a result: a conformance run's (below) or a load run's (load-header.ts). */
export function renderReportHeader(result: GaugeResult): SafeHtml {
  return 'load' in result ? renderLoadHeader(result) : renderConformanceHeader(result);
}

/**
 * The page header of a conformance result: what was tested, by what, when, and the verdict.
 *
 * ```html
 * <header class="page-head">
 * <p class="eyebrow">smtpgauge 0.1.0 · SMTP conformance report</p>
 * <div class="headline"><h1>127.0.0.1:40123</h1>
 * <span class="verdict v-failed" data-verdict="failed">failed</span></div>
 * <p class="verdict-text">2 cases at or above the must level failed: the run fails (exit 1).</p>
 * <dl class="meta">
 * <div><dt>Banner</dt><dd><code>220 mx.example.test ESMTP</code></dd></div> … started, duration, gate, interrupted, tool
 * </dl>
 * <p class="caps"><span class="caps-label">EHLO</span> <code class="chip">PIPELINING</code> …</p>
 * </header>
 * ```
 */
function renderConformanceHeader(report: ConformanceReport): SafeHtml {
  const { summary, target, tool } = report;
  const banner =
    target.banner === null ? markup`<em>no greeting</em>` : markup`<code>${target.banner}</code>`;
  return markup`<header class="page-head">
<p class="eyebrow">${tool.name} ${tool.version} · SMTP conformance report</p>
<div class="headline"><h1>${formatHostPort(target)}</h1>
<span class="verdict v-${summary.verdict}" data-verdict="${summary.verdict}">${summary.verdict}</span></div>
<p class="verdict-text">${verdictText(report)}</p>
${report.interrupted ? markup`<p class="alert" role="note"><strong>Interrupted.</strong> The run was stopped before it ended: these are partial results, and cases that did not run are not listed.</p>` : ''}
<dl class="meta">
${metaItem('Banner', banner)}
${metaItem('Started', markup`<time datetime="${report.startedAt}">${formatTimestamp(report.startedAt)}</time>`)}
${metaItem('Duration', formatDuration(report.durationMs))}
${metaItem('Gate', markup`<span title="failures at this level or above fail the run">${summary.gate}</span>`)}
${metaItem('Interrupted', report.interrupted ? markup`<strong class="yes">yes</strong>` : 'no')}
${metaItem('Tool', `${tool.name} ${tool.version}`)}
</dl>
${capabilities(target.capabilities)}
</header>`;
}

/** One sentence on the verdict and what it does to the exit code. */
export function verdictText(report: ConformanceReport): string {
  const s = report.summary;
  const partial = report.interrupted ? ' The run was interrupted: partial results.' : '';
  if (s.verdict === 'failed')
    return `${plural(s.gatingFailures, 'case')} at or above the ${s.gate} level failed: the run fails (exit 1).${partial}`;
  if (s.verdict === 'error') {
    const broken =
      s.counts.error > 0 ? `${plural(s.counts.error, 'case')} could not be run` : 'No case failed';
    return `${broken}: the run is an error (exit 3).${partial}`;
  }
  const below = s.counts.failed - s.accepted;
  const notes = [
    below > 0 ? plural(below, 'failure') + ' below the gate' : '',
    s.accepted > 0 ? plural(s.accepted, 'known deviation') : '',
  ].filter((note) => note !== '');
  const extra = notes.length > 0 ? ` (${notes.join(', ')})` : '';
  return `No case at or above the ${s.gate} level failed${extra}: the run passes (exit 0).`;
}
