import { createHash } from 'node:crypto';
import { markup, trustedHtml, type SafeHtml } from './html-template.js';
import { PAGE_STYLE } from './page-style.js';

export interface PageParts {
  title: string;
  /** `passed`, `failed` or `error`: the favicon's colour. */
  verdict: 'passed' | 'failed' | 'error';
  generator: string;
  body: SafeHtml;
  /**
   * The page's one inline script; its hash is the only script the page's CSP allows. Without
   * one the page has no script and its CSP allows none (`script-src 'none'`).
   */
  script?: string;
  /** A stylesheet added after the page's own (PAGE_STYLE). */
  style?: string;
}

const FAVICON_COLOURS = { passed: '#1a7f37', failed: '#cf222e', error: '#bc4c00' } as const;

/**
 * The self-contained document around a report: inline style and script, and a Content Security
 * Policy that allows nothing to load (`default-src 'none'`; the favicon is a `data:` URL) and
 * no script but the page's own (by hash), so even markup that slipped past the escaping could
 * neither run nor fetch:
 *
 * ```html
 * <!doctype html>
 * <html lang="en">
 * <head>
 * <meta charset="utf-8">
 * <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-…'; base-uri 'none'; form-action 'none'">
 * … <title>…</title> <link rel="icon" href="data:image/svg+xml,…"> <style>…</style>
 * </head>
 * <body> … <script>…</script></body>
 * </html>
 * ```
 */
export function renderPageDocument(parts: PageParts): string {
  const script = parts.script;
  if (script !== undefined && /<\/script/i.test(script))
    throw new Error('the inline script must not contain </script');
  const scriptSource =
    script === undefined
      ? "'none'"
      : `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
  const csp = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    'img-src data:',
    `script-src ${scriptSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return markup`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="${parts.generator}">
<title>${parts.title}</title>
<link rel="icon" href="${favicon(parts.verdict)}">
<style>${trustedHtml(PAGE_STYLE + (parts.style ?? ''))}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the results</a>
${parts.body}
${script === undefined ? '' : markup`<script>${trustedHtml(script)}</script>`}
</body>
</html>
`.value;
}

function favicon(verdict: PageParts['verdict']): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${FAVICON_COLOURS[verdict]}"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
