import type { GaugeResult } from '../formats.js';
import { renderConformanceSection } from './conformance-section.js';
import { markup, type SafeHtml } from './html-template.js';
import { renderLoadSection } from './load-section.js';

/**
 * The page is a list of sections, one per part of the result (`conformance` for a run's
 * result, `load` for a load run's). A section renderer returns undefined when its part is
 * absent, so adding a part to the page is adding its renderer to SECTION_RENDERERS.
 *
 * ```html
 * <section class="part" id="conformance" aria-labelledby="conformance-title">
 * <h2 id="conformance-title">Conformance</h2>
 * …
 * </section>
 * ```
 */
export interface ReportSection {
  /** The element id, and the anchor the page's contents link to. */
  id: string;
  title: string;
  /** In-page links to the section's parts, for the contents line under the header. */
  contents: readonly { anchor: string; label: string }[];
  body: SafeHtml;
}

export type SectionRenderer = (result: GaugeResult) => ReportSection | undefined;

export const SECTION_RENDERERS: readonly SectionRenderer[] = [
  (result) => ('load' in result ? undefined : renderConformanceSection(result)),
  (result) => ('load' in result ? renderLoadSection(result) : undefined),
];

export function reportSections(report: GaugeResult): ReportSection[] {
  return SECTION_RENDERERS.flatMap((render) => render(report) ?? []);
}

export function renderSection(section: ReportSection): SafeHtml {
  return markup`<section class="part" id="${section.id}" aria-labelledby="${section.id}-title">
<h2 id="${section.id}-title">${section.title}</h2>
${section.body}
</section>`;
}

/** The contents line: each section, then its parts. */
export function renderContents(sections: readonly ReportSection[]): SafeHtml {
  const items = sections.map((s) => {
    const parts = s.contents.map((c) => markup`<li><a href="#${c.anchor}">${c.label}</a></li>`);
    return markup`<li><a href="#${s.id}">${s.title}</a>${parts.length > 0 ? markup`<ul>${parts}</ul>` : ''}</li>`;
  });
  return markup`<nav class="contents" aria-label="Contents"><ul>${items}</ul></nav>`;
}
