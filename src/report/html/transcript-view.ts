import type { TranscriptEntry } from '../../protocol/transcript-types.js';
import { formatOffset } from './display-format.js';
import { markup, type SafeHtml } from './html-template.js';

/**
 * A case's conversation, one line per entry: the offset since the connection began (ms, to the
 * µs), who spoke (`C:` client, `S:` server, `*:` event), and the text as recorded (control
 * bytes already escaped, AUTH secrets already `<redacted>`). The escapes are marked, so a bare
 * LF or a NUL stands out from the text around it. Copied as text, it reads like the JUnit
 * `<system-out>`:
 *
 * ```html
 * <pre class="transcript" tabindex="0" aria-label="transcript"><span class="tl d-S"><span class="at" title="412 µs">0.412 ms</span>  <span class="dir">S:</span> 220 mx.example.test ESMTP</span>
 * <span class="tl d-C"><span class="at" title="530 µs">0.530 ms</span>  <span class="dir">C:</span> NOOP<span class="esc">\n</span></span>
 * </pre>
 * ```
 */
export function renderTranscript(entries: readonly TranscriptEntry[]): SafeHtml {
  if (entries.length === 0)
    return markup`<p class="muted">No transcript: nothing was exchanged.</p>`;
  const width = Math.max(...entries.map((e) => formatOffset(e.atMicros).length));
  const lines = entries.map(
    (entry) =>
      markup`<span class="tl d-${dirClass(entry.dir)}"><span class="at" title="${entry.atMicros} µs">${formatOffset(entry.atMicros).padStart(width)}</span>  <span class="dir">${entry.dir}:</span> ${markEscapes(entry.text)}</span>\n`,
  );
  return markup`<pre class="transcript" tabindex="0" aria-label="transcript">${lines}</pre>`;
}

function dirClass(dir: string): string {
  return dir === 'C' ? 'C' : dir === 'S' ? 'S' : 'E';
}

/** The recorder's escapes (`\r \n \t \0 \\ \xHH`) and the redaction marker, each in a span. */
const MARKED = /\\x[0-9a-fA-F]{2}|\\[rnt0\\]|<redacted>/g;

export function markEscapes(text: string): SafeHtml {
  const parts: SafeHtml[] = [];
  let last = 0;
  for (const match of text.matchAll(MARKED)) {
    parts.push(markup`${text.slice(last, match.index)}`);
    const kind = match[0] === '<redacted>' ? 'redacted' : 'esc';
    parts.push(markup`<span class="${kind}">${match[0]}</span>`);
    last = match.index + match[0].length;
  }
  parts.push(markup`${text.slice(last)}`);
  return markup`${parts}`;
}
