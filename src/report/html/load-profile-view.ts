import type { LoadReport } from '../load-report.js';
import { formatDuration } from './display-format.js';
import { markup, type SafeHtml } from './html-template.js';

/**
 * The profile that produced the run: its facts, the command line's overrides, and the file as
 * it was run, one numbered line per `<span>` (the numbers are CSS counters, so copying the
 * text copies the YAML alone):
 *
 * ```html
 * <dl class="stats profile-facts"><div><dt>file</dt><dd><code>suites/load/smoke.yaml</code></dd></div> … id, model, seed, planned duration</dl>
 * <p class="overrides">Overridden on the command line: <code class="chip" data-override="duration">duration: 3s</code></p>
 * <pre class="source" id="profile-source"><code><span class="line">id: smoke</span>
 * …</code></pre>
 * ```
 */
export function renderProfile(report: LoadReport): SafeHtml {
  const { profile } = report.load;
  const facts: [string, SafeHtml | string][] = [
    ['file', markup`<code>${profile.file}</code>`],
    ['id', markup`<code>${profile.id}</code>`],
    ['model', profile.model],
    ['seed', String(profile.seed)],
    ['planned duration', formatDuration(profile.durationMs)],
  ];
  const items = facts.map(([term, value]) => markup`<div><dt>${term}</dt><dd>${value}</dd></div>`);
  const overrides = Object.entries(profile.overrides ?? {});
  const overridden =
    overrides.length === 0
      ? markup`<p class="overrides muted">No overrides: the file ran as written.</p>`
      : markup`<p class="overrides">Overridden on the command line: ${overrides.map(
          ([key, value]) =>
            markup`<code class="chip" data-override="${key}">${key}: ${value}</code> `,
        )}</p>`;
  const lines = (profile.source ?? '').replace(/\r?\n$/, '').split(/\r?\n/);
  const source = lines.map((line) => markup`<span class="line">${line}</span>\n`);
  return markup`<dl class="stats profile-facts">${items}</dl>
${overridden}
<pre class="source" id="profile-source"><code>${source}</code></pre>`;
}
