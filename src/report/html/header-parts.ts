import { markup, type SafeHtml } from './html-template.js';

/**
 * Pieces shared by the conformance and the load header: a term of the meta list, and the
 * target's EHLO capabilities as chips.
 *
 * ```html
 * <div><dt>Started</dt><dd><time datetime="…">2026-11-23 10:00:00 UTC</time></dd></div>
 * <p class="caps"><span class="caps-label">EHLO</span> <code class="chip">PIPELINING</code> …</p>
 * ```
 */
export function metaItem(term: string, value: SafeHtml | string): SafeHtml {
  return markup`<div><dt>${term}</dt><dd>${value}</dd></div>`;
}

export function capabilities(list: readonly string[]): SafeHtml {
  const chips =
    list.length === 0
      ? markup`<em>no capabilities advertised</em>`
      : list.map((cap) => markup`<code class="chip">${cap}</code> `);
  return markup`<p class="caps"><span class="caps-label">EHLO</span> ${chips}</p>`;
}
