import type { LoadReport } from '../load-report.js';
import { formatCount, formatDuration, formatRate, plural } from './display-format.js';
import { markup, type SafeHtml } from './html-template.js';
import { renderGenerator } from './load-generator.js';
import { renderLatency } from './load-latency.js';
import { renderProfile } from './load-profile-view.js';
import { renderReplies } from './load-replies.js';
import { renderThresholds } from './load-thresholds.js';
import { renderTimeline } from './load-timeline.js';
import type { ReportSection } from './report-sections.js';

/**
 * The `load` part of a result: summary tiles, thresholds, latency, the run over time, replies
 * and errors, the generator's health and the profile that produced it.
 *
 * ```html
 * <div class="summary"><h3 id="load-summary">Summary</h3>
 * <div class="tiles"><div class="tile t-total" data-summary="messages" data-value="299"><span class="n">299</span><span class="l">messages</span></div> … accepted, failed, errors, dropped, throughput</div>
 * <p class="sub" id="sessions">…</p></div>
 * <h3 id="thresholds">Thresholds</h3> <table id="threshold-table">…</table>
 * <h3 id="latency">Latency</h3> <table id="phase-table">…</table> charts
 * <h3 id="over-time">Over time</h3> <div class="charts timeline">…</div>
 * <h3 id="replies">Replies and errors</h3> <table id="code-table">…</table> <h4 id="errors">Errors</h4> …
 * <h3 id="generator">Generator</h3> …
 * <h3 id="profile">Profile</h3> … <pre class="source" id="profile-source">…</pre>
 * ```
 */
export function renderLoadSection(report: LoadReport): ReportSection {
  const { load, summary } = report;
  return {
    id: 'load',
    title: 'Load',
    contents: [
      { anchor: 'load-summary', label: 'Summary' },
      { anchor: 'thresholds', label: 'Thresholds' },
      { anchor: 'latency', label: 'Latency' },
      { anchor: 'over-time', label: 'Over time' },
      { anchor: 'replies', label: 'Replies and errors' },
      { anchor: 'generator', label: 'Generator' },
      { anchor: 'profile', label: 'Profile' },
    ],
    body: markup`${renderSummary(report)}
<h3 id="thresholds">Thresholds</h3>
${renderThresholds(load.thresholds, summary.abortedBy)}
<h3 id="latency">Latency</h3>
${load.recorded === false ? markup`<p class="muted">Recorded with <code>--no-record</code>: messages were counted, latency per phase was not.</p>` : ''}
${renderLatency(load.snapshot)}
<h3 id="over-time">Over time</h3>
${renderTimeline(report)}
<h3 id="replies">Replies and errors</h3>
${renderReplies(load.snapshot.counters, load.errorSamples)}
<h3 id="generator">Generator</h3>
${renderGenerator(report)}
<h3 id="profile">Profile</h3>
${renderProfile(report)}`,
  };
}

interface Tile {
  key: string;
  label: string;
  value: number;
  shown: string;
  /** The tile's colour class (`t-…`), when the value is not 0. */
  tone: string;
}

function renderSummary(report: LoadReport): SafeHtml {
  const s = report.summary;
  const tiles: Tile[] = [
    {
      key: 'messages',
      label: 'messages',
      value: s.messages,
      shown: formatCount(s.messages),
      tone: 'total',
    },
    { key: 'ok', label: 'accepted', value: s.ok, shown: formatCount(s.ok), tone: 'passed' },
    {
      key: 'failed',
      label: 'failed',
      value: s.failed,
      shown: formatCount(s.failed),
      tone: 'failed',
    },
    {
      key: 'errors',
      label: 'errors',
      value: s.errors,
      shown: formatCount(s.errors),
      tone: 'error',
    },
    {
      key: 'dropped',
      label: 'dropped',
      value: s.dropped,
      shown: formatCount(s.dropped),
      tone: 'warned',
    },
    {
      key: 'throughput',
      label: 'accepted/s',
      value: s.throughput,
      shown: formatRate(s.throughput),
      tone: 'rate',
    },
  ];
  const items = tiles.map(
    (t) =>
      markup`<div class="tile t-${t.tone}${t.value === 0 ? ' zero' : ''}" data-summary="${t.key}" data-value="${t.value}"><span class="n">${t.shown}</span><span class="l">${t.label}</span></div>`,
  );
  const { sessions, bytes } = report.load.snapshot.counters;
  const traffic =
    bytes.sent > 0 || bytes.received > 0
      ? `; ${formatCount(bytes.sent)} bytes sent, ${formatCount(bytes.received)} received`
      : '';
  const warmUp = report.load.warmUp;
  const warm = warmUp
    ? ` Before it, a warm-up of ${formatDuration(warmUp.durationMs)} sent ${plural(warmUp.attempted, 'message')} (${formatCount(warmUp.ok)} accepted), which are in none of these figures.`
    : '';
  return markup`<div class="summary">
<h3 id="load-summary">Summary</h3>
<div class="tiles">
${items}
</div>
<p class="sub" id="sessions">Measured over ${formatDuration(report.load.snapshot.durationMs)} on ${report.load.workers} ${report.load.workers === 1 ? 'thread' : 'threads'}: ${plural(sessions.started, 'session')} started, ${formatCount(sessions.ok)} ended well, ${formatCount(sessions.failed)} failed${traffic}. Throughput counts accepted messages per second.${warm}</p>
</div>`;
}
