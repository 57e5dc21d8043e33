/**
 * HTML built by a tagged template that escapes by default: every interpolated string is text,
 * and only a `SafeHtml` (made by `markup` itself, or by `trustedHtml` for a renderer's own
 * output such as an SVG chart) is inserted as markup. A server's reply can then never become
 * markup by a forgotten call:
 *
 * ```ts
 * markup`<td>${reply}</td>`          // reply '<script>' → <td>&lt;script&gt;</td>
 * markup`<ul>${items.map(li)}</ul>`  // arrays are joined; null, undefined and false are nothing
 * ```
 *
 * (The tag is not called `html`: Prettier would reformat such templates as HTML, changing the
 * whitespace of `<pre>` content and of the inline script, whose hash the page's CSP pins.)
 */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

export type HtmlValue =
  SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

export function markup(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += htmlOf(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Markup the caller vouches for: a renderer's own output, never data from a result. */
export function trustedHtml(text: string): SafeHtml {
  return new SafeHtml(text);
}

function htmlOf(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(htmlOf).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Characters that would be invisible, or would change what is around them, shown as escapes:
 * C0 controls but TAB and LF, DEL, C1 controls, the bidi embedding, override and isolate
 * controls ("Trojan Source"), U+FFFE, U+FFFF and unpaired surrogates. The transcript already
 * arrives escaped; this covers every other string of a result (reasons, banners, titles).
 */
const INVISIBLE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text for element content or a quoted attribute value (also valid XML, for SVG). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!).replace(INVISIBLE, visibleEscape);
}

function visibleEscape(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code === 13) return '\\r';
  if (code === 0) return '\\0';
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}
