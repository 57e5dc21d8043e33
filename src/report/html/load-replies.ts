import type { CountersSnapshot } from '../../metrics/load-counters.js';
import { formatCount } from './display-format.js';
import { markup, type SafeHtml } from './html-template.js';

/**
 * What the server answered and what went wrong: replies per command and code, then the errors
 * by kind (failures that are not a reply) with up to five sample descriptions each.
 *
 * ```html
 * <div class="table-wrap"><table class="codes" id="code-table"><caption>Replies per command</caption>
 * <thead><tr><th scope="col">command</th><th scope="col" class="num c-2xx">250</th>…<th scope="col" class="num">total</th></tr></thead>
 * <tbody><tr data-command="rcpt"><th scope="row">rcpt</th><td class="num" data-code="250">1190</td><td class="num zero" data-code="452">–</td>…</tr></tbody></table></div>
 * <h4 id="errors">Errors</h4>
 * <div class="table-wrap"><table class="errors" id="error-table">
 * <tbody><tr data-error="timeout"><th scope="row"><code>timeout</code></th><td class="num">2</td>
 * <td><ul class="samples"><li><code>no reply to RCPT within 5000 ms</code></li></ul></td></tr></tbody></table></div>
 * ```
 */
export function renderReplies(
  counters: CountersSnapshot,
  errorSamples: Record<string, readonly string[]>,
): SafeHtml {
  return markup`${codeTable(counters.codes ?? {})}
<h4 id="errors">Errors</h4>
${errorTable(counters, errorSamples ?? {})}`;
}

function codeTable(codes: Record<string, Record<string, number>>): SafeHtml {
  const commands = Object.keys(codes);
  if (commands.length === 0) return markup`<p class="muted">No replies were counted.</p>`;
  const all = [...new Set(commands.flatMap((c) => Object.keys(codes[c]!)))].sort();
  const head = all.map(
    (code) => markup`<th scope="col" class="num c-${codeClass(code)}">${code}</th>`,
  );
  const rows = commands.map((command) => {
    const byCode = codes[command]!;
    const total = Object.values(byCode).reduce((sum, n) => sum + n, 0);
    const cells = all.map((code) => {
      const n = byCode[code] ?? 0;
      return markup`<td class="num c-${codeClass(code)}${n === 0 ? ' zero' : ''}" data-code="${code}">${n === 0 ? '–' : formatCount(n)}</td>`;
    });
    return markup`<tr data-command="${command}"><th scope="row">${command}</th>${cells}<td class="num total">${formatCount(total)}</td></tr>\n`;
  });
  return markup`<div class="table-wrap"><table class="codes" id="code-table"><caption>Replies per command and code</caption>
<thead><tr><th scope="col">command</th>${head}<th scope="col" class="num">total</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>`;
}

/** `2xx` (positive: 1xx-3xx), `4xx` or `5xx`. */
function codeClass(code: string): '2xx' | '4xx' | '5xx' {
  const n = Number(code);
  return n >= 500 ? '5xx' : n >= 400 ? '4xx' : '2xx';
}

function errorTable(
  counters: CountersSnapshot,
  samples: Record<string, readonly string[]>,
): SafeHtml {
  const errors = counters.errors ?? {};
  const kinds = [...new Set([...Object.keys(errors), ...Object.keys(samples)])];
  const failed = counters.messages.failed;
  const failedNote =
    failed > 0
      ? markup`<p>${formatCount(failed)} ${failed === 1 ? 'message' : 'messages'} failed (a negative reply, or an error below); the reply codes are counted above.</p>`
      : '';
  if (kinds.length === 0)
    return markup`${failedNote}<p class="muted" id="error-table">No errors: every failure, if any, was a reply from the server.</p>`;
  const rows = kinds.map((kind) => {
    const list = (samples[kind] ?? []).map((sample) => markup`<li><code>${sample}</code></li>`);
    const shown =
      list.length > 0 ? markup`<ul class="samples">${list}</ul>` : markup`<em>no sample</em>`;
    return markup`<tr data-error="${kind}"><th scope="row"><code>${kind}</code></th><td class="num" data-value="${errors[kind] ?? 0}">${formatCount(errors[kind] ?? 0)}</td><td>${shown}</td></tr>\n`;
  });
  return markup`${failedNote}<div class="table-wrap"><table class="errors" id="error-table"><caption class="visually-hidden">Errors by kind, with samples</caption>
<thead><tr><th scope="col">kind</th><th scope="col" class="num">count</th><th scope="col">samples (up to five)</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>`;
}
