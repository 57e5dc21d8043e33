import type { CaseResult } from '../../dialogue/case-result.js';
import type { Level } from '../../suite/model.js';
import { LEVEL_ORDER } from '../conformance-report.js';
import { countVerdicts, VERDICT_MEANING, VERDICT_ORDER } from './case-verdict.js';
import { markup, type SafeHtml } from './html-template.js';

/**
 * The filter bar above the case list: toggle buttons per verdict and per level (only those the
 * run has), with their counts. No button pressed in a group means all of it; pressed buttons
 * show the cases that match any of them, and the two groups combine (verdict AND level). The
 * bar is `hidden` in the file and shown by FILTER_SCRIPT, so with JavaScript off the page
 * shows every case and no dead controls.
 *
 * ```html
 * <div class="filters" id="filters" hidden>
 * <div class="filter-group" role="group" aria-label="Filter by verdict"><span class="filter-label">Verdict</span><button type="button" class="toggle v-failed" data-filter="verdict" data-value="failed" aria-pressed="false" title="…">failed <span class="n">2</span></button>…</div>
 * <div class="filter-group" role="group" aria-label="Filter by level"><span class="filter-label">Level</span><button type="button" class="toggle" data-filter="level" data-value="must" aria-pressed="false">MUST <span class="n">60</span></button>…</div>
 * <div class="filter-actions"><button type="button" class="action" data-action="clear">Show all</button>…<span class="shown" id="shown-count" aria-live="polite">Showing all 97 cases</span></div>
 * </div>
 * ```
 */
export function renderCaseFilters(cases: readonly CaseResult[], gate: Level): SafeHtml {
  const verdicts = countVerdicts(cases, gate);
  const verdictButtons = VERDICT_ORDER.filter((v) => verdicts[v] > 0).map(
    (verdict) =>
      markup`<button type="button" class="toggle v-${verdict}" data-filter="verdict" data-value="${verdict}" aria-pressed="false" title="${VERDICT_MEANING[verdict]}">${verdict} <span class="n">${verdicts[verdict]}</span></button>`,
  );
  const levelButtons = LEVEL_ORDER.map((level) => ({
    level,
    count: cases.filter((c) => c.level === level).length,
  }))
    .filter(({ count }) => count > 0)
    .map(
      ({ level, count }) =>
        markup`<button type="button" class="toggle" data-filter="level" data-value="${level}" aria-pressed="false">${level.toUpperCase()} <span class="n">${count}</span></button>`,
    );
  return markup`<div class="filters" id="filters" hidden>
<div class="filter-group" role="group" aria-label="Filter by verdict"><span class="filter-label">Verdict</span>${verdictButtons}</div>
<div class="filter-group" role="group" aria-label="Filter by level"><span class="filter-label">Level</span>${levelButtons}</div>
<div class="filter-actions"><button type="button" class="action" data-action="clear">Show all</button><button type="button" class="action" data-action="expand">Expand all</button><button type="button" class="action" data-action="collapse">Collapse all</button><span class="shown" id="shown-count" aria-live="polite">Showing all ${cases.length} cases</span></div>
</div>`;
}

/**
 * The page's only script (its SHA-256 is the page's `script-src`): shows the filter bar, and
 * on a click toggles `aria-pressed`, then the class `filtered-out` on each case and suite.
 */
export const FILTER_SCRIPT = `(() => {
  'use strict';
  const bar = document.getElementById('filters');
  if (!bar) return;
  const cases = [...document.querySelectorAll('details.case')];
  const suites = [...document.querySelectorAll('section.suite')];
  const count = document.getElementById('shown-count');
  const noMatch = document.getElementById('no-match');
  const pressed = (name) =>
    [...bar.querySelectorAll('button[data-filter="' + name + '"][aria-pressed="true"]')].map(
      (button) => button.dataset.value,
    );
  const apply = () => {
    const verdicts = pressed('verdict');
    const levels = pressed('level');
    let shown = 0;
    for (const item of cases) {
      const show =
        (verdicts.length === 0 || verdicts.includes(item.dataset.verdict)) &&
        (levels.length === 0 || levels.includes(item.dataset.level));
      item.classList.toggle('filtered-out', !show);
      if (show) shown++;
    }
    for (const suite of suites)
      suite.classList.toggle('filtered-out', !suite.querySelector('details.case:not(.filtered-out)'));
    noMatch.hidden = shown > 0;
    count.textContent =
      shown === cases.length
        ? 'Showing all ' + cases.length + ' cases'
        : 'Showing ' + shown + ' of ' + cases.length + ' cases';
  };
  bar.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    const action = button.dataset.action;
    if (button.dataset.filter)
      button.setAttribute('aria-pressed', String(button.getAttribute('aria-pressed') !== 'true'));
    else if (action === 'clear')
      for (const b of bar.querySelectorAll('button[aria-pressed]')) b.setAttribute('aria-pressed', 'false');
    else if (action === 'expand' || action === 'collapse')
      for (const item of cases) if (!item.classList.contains('filtered-out')) item.open = action === 'expand';
    apply();
  });
  bar.hidden = false;
  apply();
})();
`;
