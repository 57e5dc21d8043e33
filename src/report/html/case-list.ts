import type { CaseResult, ReplyFinding, SuiteResult } from '../../dialogue/case-result.js';
import type { ConformanceReport } from '../conformance-report.js';
import { caseAnchor, suiteAnchor } from './case-anchors.js';
import { caseVerdict, VERDICT_MEANING, type CaseVerdict } from './case-verdict.js';
import { formatDuration, plural } from './display-format.js';
import { markup, type SafeHtml } from './html-template.js';
import { markEscapes, renderTranscript } from './transcript-view.js';

/**
 * Every case, suite by suite, as a `<details>` element: the summary line names its verdict,
 * level, title, RFC section and duration; the body holds the reason, the expected and actual
 * reply with the place in the suite file, reply-syntax findings and the transcript. A case that
 * failed (at, or below, the gate) or could not be run is open; the others, known deviations
 * included, open on a click. Each case carries `data-verdict` and `data-level` for the filters.
 *
 * ```html
 * <section class="suite" id="suite:rfc5321-rcpt" data-suite="rfc5321-rcpt">
 * <h4><span class="suite-title">RFC 5321: the RCPT command</span> <code class="suite-id">rfc5321-rcpt</code> <span class="suite-file">suites/rfc5321/rcpt.yaml · 9 cases</span></h4>
 * <div class="cases">
 * <details class="case v-failed" id="case:rfc5321-rcpt/rcpt-before-mail" data-verdict="failed" data-level="must" open>
 * <summary><span class="badge v-failed" title="…">failed</span><span class="lvl l-must">MUST</span><span class="title">RCPT without a transaction is refused with 503<code class="cid">rfc5321-rcpt/rcpt-before-mail</code></span><span class="ref">RFC 5321 §3.3</span><span class="dur">3.2 ms</span></summary>
 * <div class="case-body">
 * <p class="reason">expected 503 to RCPT TO:&lt;postmaster@example.test&gt;, got 250 OK</p>
 * <dl class="failure"><dt>expected</dt><dd><code>503 to RCPT TO:&lt;postmaster@example.test&gt;</code></dd><dt>actual</dt><dd><code class="actual">250 OK</code></dd><dt>at</dt><dd><code class="location">suites/rfc5321/rcpt.yaml:14:9</code> (step 2)</dd></dl>
 * <h5>Transcript</h5>
 * <pre class="transcript" …>…</pre>
 * </div>
 * </details>
 * …
 * ```
 */
export function renderCaseList(report: ConformanceReport): SafeHtml {
  const stale = new Set(report.summary.staleBaseline);
  return markup`${report.conformance.suites.map((suite) => renderSuite(suite, report, stale))}
<p class="no-match" id="no-match" hidden>No case matches the filters.</p>`;
}

function renderSuite(suite: SuiteResult, report: ConformanceReport, stale: Set<string>): SafeHtml {
  const cases = suite.cases.map((result) =>
    renderCase(suite, result, report, stale.has(`${suite.id}/${result.id}`)),
  );
  return markup`<section class="suite" id="${suiteAnchor(suite.id)}" data-suite="${suite.id}">
<h4><span class="suite-title">${suite.title}</span> <code class="suite-id">${suite.id}</code> <span class="suite-file">${suite.file} · ${plural(suite.cases.length, 'case')}</span></h4>
<div class="cases">
${cases}
</div>
</section>
`;
}

function renderCase(
  suite: SuiteResult,
  result: CaseResult,
  report: ConformanceReport,
  isStale: boolean,
): SafeHtml {
  const verdict = caseVerdict(result, report.summary.gate);
  const open = verdict === 'failed' || verdict === 'warned' || verdict === 'error';
  const staleBadge = isStale
    ? markup` <span class="badge stale" title="the baseline lists this case as a known deviation, but it passes now: remove the entry">stale baseline entry</span>`
    : '';
  const skipReason =
    verdict === 'skipped' && result.reason !== ''
      ? markup`<span class="skip-reason">${result.reason}</span>`
      : '';
  return markup`<details class="case v-${verdict}${isStale ? ' stale' : ''}" id="${caseAnchor(suite.id, result.id)}" data-verdict="${verdict}" data-level="${result.level}"${open ? ' open' : ''}>
<summary>${badge(verdict)}<span class="lvl l-${result.level}">${result.level.toUpperCase()}</span><span class="title">${result.title}${staleBadge}<code class="cid">${suite.id}/${result.id}</code>${skipReason}</span><span class="ref">RFC ${result.rfc} §${result.section}</span><span class="dur">${formatDuration(result.durationMs)}</span></summary>
<div class="case-body">
${caseBody(result, verdict, isStale)}
</div>
</details>
`;
}

function badge(verdict: CaseVerdict): SafeHtml {
  return markup`<span class="badge v-${verdict}" title="${VERDICT_MEANING[verdict]}">${verdict}</span>`;
}

function caseBody(result: CaseResult, verdict: CaseVerdict, isStale: boolean): SafeHtml {
  const notes = [
    result.reason !== '' ? markup`<p class="reason">${markEscapes(result.reason)}</p>\n` : '',
    verdict === 'warned'
      ? markup`<p class="note">Failed below the gate: recorded, does not fail the run.</p>\n`
      : '',
    result.accepted
      ? markup`<p class="known-reason"><strong>Known deviation</strong> (baseline): ${result.accepted.reason}</p>\n`
      : '',
    isStale
      ? markup`<p class="known-reason"><strong>Stale baseline entry:</strong> this case passes now; remove it from the baseline.</p>\n`
      : '',
  ];
  return markup`${notes}${failureDetails(result)}${findingsTable(result.findings)}<h5>Transcript</h5>
${renderTranscript(result.transcript)}`;
}

function failureDetails(result: CaseResult): SafeHtml {
  const f = result.failure;
  if (!f) return markup``;
  const step = f.step === 0 ? 'the greeting' : `step ${f.step}`;
  const timedOut = f.timedOut ? markup` <span class="timeout">no reply in time</span>` : '';
  return markup`<dl class="failure">
<dt>expected</dt><dd><code>${markEscapes(f.expected)}</code></dd>
<dt>actual</dt><dd><code class="actual">${markEscapes(f.actual)}</code>${timedOut}</dd>
<dt>at</dt><dd><code class="location">${f.location}</code> (${step})</dd>
</dl>
`;
}

const FINDINGS_SHOWN = 3;

function findingsTable(findings: readonly ReplyFinding[]): SafeHtml {
  if (findings.length === 0) return markup``;
  const rows = findings.map(
    (f) =>
      markup`<tr><td><code>${f.rule}</code></td><td>${f.message}</td><td><code>${markEscapes(f.command)}</code></td><td><code>${markEscapes(f.reply)}</code></td></tr>`,
  );
  // A few are shown; a long list (a server that breaks one rule in every reply) is a click away.
  return markup`<details class="findings-block"${findings.length <= FINDINGS_SHOWN ? ' open' : ''}><summary><h5>Reply-syntax findings (${findings.length})</h5></summary>
<div class="table-wrap"><table class="findings"><thead><tr><th scope="col">rule</th><th scope="col">problem</th><th scope="col">command</th><th scope="col">reply</th></tr></thead>
<tbody>${rows}</tbody></table></div>
</details>
`;
}
