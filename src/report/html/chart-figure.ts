import { markup, trustedHtml, type SafeHtml } from './html-template.js';

/**
 * A chart on the page: its inline SVG (svg-chart.ts) and a caption saying what it shows, named
 * by `data-chart` so that tests and readers can find it:
 *
 * ```html
 * <figure class="chart-card" data-chart="throughput"><svg …>…</svg>
 * <figcaption>Messages that ended per second, per interval …</figcaption></figure>
 * ```
 */
export function chartFigure(name: string, svg: string, caption: SafeHtml | string): SafeHtml {
  return markup`<figure class="chart-card" data-chart="${name}">${trustedHtml(svg)}
<figcaption>${caption}</figcaption></figure>`;
}
