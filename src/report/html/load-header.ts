import type { LoadReport } from '../load-report.js';
import {
  formatDuration,
  formatHostPort,
  formatRate,
  formatTimestamp,
  plural,
} from './display-format.js';
import { capabilities, metaItem } from './header-parts.js';
import { markup, type SafeHtml } from './html-template.js';

/**
 * The page header of a load result: the target, the profile, the verdict with its exit code,
 * and, loudly, a saturated generator (its latencies measure itself):
 *
 * ```html
 * <header class="page-head">
 * <p class="eyebrow">smtpgauge 0.1.0 · SMTP load report</p>
 * <div class="headline"><h1>127.0.0.1:40125</h1>
 * <span class="verdict v-failed" data-verdict="failed">failed</span></div>
 * <p class="verdict-text">1 of 2 thresholds failed: the run fails (exit 1).</p>
 * <div class="alert saturated" id="saturated" role="alert"><p><strong>Saturated generator.</strong> …</p><ul><li>event-loop delay p99 31.2 ms</li></ul></div>
 * <dl class="meta">
 * <div><dt>Banner</dt>…</div> … profile, model, started, duration, threads, interrupted, tool
 * </dl>
 * <p class="caps">…</p>
 * </header>
 * ```
 */
export function renderLoadHeader(report: LoadReport): SafeHtml {
  const { summary, target, tool, load } = report;
  const { profile, health } = load;
  const banner =
    target.banner === null ? markup`<em>no greeting</em>` : markup`<code>${target.banner}</code>`;
  const rate =
    health.targetRate === undefined ? '' : ` · target ${formatRate(health.targetRate)} starts/s`;
  return markup`<header class="page-head">
<p class="eyebrow">${tool.name} ${tool.version} · SMTP load report</p>
<div class="headline"><h1>${formatHostPort(target)}</h1>
<span class="verdict v-${summary.verdict}" data-verdict="${summary.verdict}">${summary.verdict}</span></div>
<p class="verdict-text">${loadVerdictText(report)}</p>
${summary.saturated ? saturationAlert(health.reasons) : ''}
${abortNote(report)}
<dl class="meta">
${metaItem('Banner', banner)}
${metaItem('Profile', markup`<a href="#profile"><code>${profile.id}</code></a> ${profile.title}`)}
${metaItem('Model', `${profile.model}${rate}`)}
${metaItem('Started', markup`<time datetime="${report.startedAt}">${formatTimestamp(report.startedAt)}</time>`)}
${metaItem('Duration', markup`${formatDuration(report.durationMs)} <span class="muted">of ${formatDuration(profile.durationMs)} planned</span>`)}
${metaItem('Threads', String(load.workers))}
${metaItem('Interrupted', report.interrupted ? markup`<strong class="yes">yes</strong>` : 'no')}
${metaItem('Tool', `${tool.name} ${tool.version}`)}
</dl>
${capabilities(target.capabilities)}
</header>`;
}

/** One sentence on the verdict and what it does to the exit code. */
export function loadVerdictText(report: LoadReport): string {
  const { thresholds, verdict } = report.summary;
  const total = thresholds.passed + thresholds.failed;
  const partial = report.interrupted ? ' The run was interrupted: partial results.' : '';
  if (verdict === 'failed')
    return `${thresholds.failed} of ${plural(total, 'threshold')} failed: the run fails (exit 1).${partial}`;
  if (verdict === 'error') return `The run was interrupted: partial results (exit 3).`;
  if (total === 0) return 'No thresholds to check: the run passes (exit 0).';
  return `${total === 1 ? 'The threshold' : `All ${total} thresholds`} passed: the run passes (exit 0).`;
}

function saturationAlert(reasons: readonly string[]): SafeHtml {
  const items = reasons.map((reason) => markup`<li>${reason}</li>`);
  return markup`<div class="alert saturated" id="saturated" role="alert">
<p><strong>Saturated generator.</strong> The load generator itself was the bottleneck: the latencies and rates below include its own queueing, so they measure the generator as much as the server. Use more <code>--workers</code>, a lighter profile, or another machine.</p>
<ul>${items}</ul>
</div>`;
}

function abortNote(report: LoadReport): SafeHtml | '' {
  const by = report.summary.abortedBy;
  if (by !== undefined)
    return markup`<p class="alert" role="note"><strong>Stopped early.</strong> The threshold <code>${by}</code> was breached and aborts the run: these are the results up to that point.</p>`;
  if (report.interrupted)
    return markup`<p class="alert" role="note"><strong>Interrupted.</strong> The run was stopped before it ended: these are partial results.</p>`;
  return '';
}
