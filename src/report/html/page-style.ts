/**
 * The page's stylesheet, inlined in `<style>`: system fonts only, colours as custom properties
 * with a dark set under `prefers-color-scheme: dark`, one colour per verdict (`--passed`,
 * `--failed`, …) used by badges, table cells, bars and the case border alike.
 */
export const PAGE_STYLE = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --surface: #f6f8fa;
  --accent: #0969da;
  --passed: #1a7f37; --failed: #cf222e; --warned: #9a6700; --known: #8250df;
  --skipped: #6e7781; --error: #bc4c00;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --surface: #161b22;
    --accent: #4493f8;
    --passed: #3fb950; --failed: #f85149; --warned: #d29922; --known: #a371f7;
    --skipped: #9198a1; --error: #f0883e;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0 auto; max-width: 72rem; padding: 1.5rem 1.5rem 4rem;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre { font-family: var(--mono); font-size: 0.86em; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 0.5rem; padding-bottom: 0.3rem; border-bottom: 1px solid var(--border); }
h3 { font-size: 1.15rem; margin: 1.8rem 0 0.7rem; }
h4 { font-size: 1rem; margin: 0; }
h5 { font-size: 0.8rem; margin: 1rem 0 0.35rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
.muted, .sub { color: var(--muted); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: 0.3rem 0.6rem; z-index: 3; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
h2, h3, .suite, .case { scroll-margin-top: 6.5rem; }

.page-head .eyebrow { margin: 0; color: var(--muted); font-size: 0.85rem; letter-spacing: 0.02em; }
.headline { display: flex; align-items: center; gap: 0.9rem; flex-wrap: wrap; }
.headline h1 { margin: 0.15rem 0; font-size: 1.9rem; font-weight: 650; word-break: break-all; }
.verdict {
  text-transform: uppercase; font-weight: 700; letter-spacing: 0.06em; font-size: 0.85rem;
  padding: 0.25rem 0.7rem; border-radius: 999px; color: #fff; background: var(--c);
}
.v-passed { --c: var(--passed); } .v-failed { --c: var(--failed); } .v-warned { --c: var(--warned); }
.v-known { --c: var(--known); } .v-skipped { --c: var(--skipped); } .v-error { --c: var(--error); }
@media (prefers-color-scheme: dark) { .verdict { color: #0d1117; } }
.verdict-text { margin: 0.35rem 0 1rem; font-size: 1.05rem; }
.alert {
  border: 1px solid var(--error); border-left-width: 4px; border-radius: 6px; padding: 0.6rem 0.9rem;
  background: color-mix(in srgb, var(--error) 10%, transparent);
}
.meta { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: 0.6rem 1.5rem; margin: 0; }
.meta div:first-child { grid-column: 1 / -1; }
.meta dt { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.meta .yes { color: var(--error); }
.caps { margin: 0.8rem 0 0; line-height: 2; }
.caps-label { font-size: 0.75rem; letter-spacing: 0.05em; color: var(--muted); margin-right: 0.3rem; }
.chip { border: 1px solid var(--border); border-radius: 4px; padding: 0.05rem 0.35rem; background: var(--surface); white-space: nowrap; }

.contents { margin: 1.2rem 0 0; padding: 0.5rem 0; border-top: 1px solid var(--border); border-bottom: 1px solid var(--border); font-size: 0.9rem; }
.contents ul { display: inline; list-style: none; margin: 0; padding: 0; }
.contents li { display: inline; }
.contents > ul > li > a { font-weight: 600; }
.contents li li + li::before { content: "·"; margin: 0 0.5rem; color: var(--muted); }
.contents > ul > li > a + ul::before { content: ":"; margin-right: 0.5rem; color: var(--muted); }

.tiles { display: flex; flex-wrap: wrap; gap: 0.75rem; margin-bottom: 1.25rem; }
.tile {
  flex: 1 1 7rem; border: 1px solid var(--border); border-top: 4px solid var(--c, var(--fg));
  border-radius: 8px; padding: 0.55rem 0.85rem; background: var(--surface);
}
.tile .n { display: block; font-size: 1.7rem; font-weight: 650; font-variant-numeric: tabular-nums; line-height: 1.2; }
.tile .l { color: var(--muted); font-size: 0.85rem; }
.tile.zero .n { color: var(--muted); font-weight: 400; }
.t-total { --c: var(--fg); }
.t-passed { --c: var(--passed); } .t-failed { --c: var(--failed); } .t-warned { --c: var(--warned); }
.t-known { --c: var(--known); } .t-skipped { --c: var(--skipped); } .t-error { --c: var(--error); }

.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.4rem; }
th, td { padding: 0.32rem 0.7rem; border-bottom: 1px solid var(--border); text-align: left; vertical-align: baseline; }
thead th { white-space: nowrap; font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); font-weight: 600; }
.num { text-align: right; }
td.zero { color: color-mix(in srgb, var(--muted) 55%, transparent); }
td.c-failed:not(.zero), td.c-error:not(.zero) { color: var(--c); font-weight: 700; }
td.c-warned:not(.zero), td.c-known:not(.zero) { color: var(--c); font-weight: 600; }
td.c-failed { --c: var(--failed); } td.c-warned { --c: var(--warned); } td.c-known { --c: var(--known); } td.c-error { --c: var(--error); }
td.total, tfoot th, tfoot td { font-weight: 600; }
tfoot tr { border-top: 2px solid var(--border); }
.gated { font-size: 0.7rem; font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase; color: var(--muted); border: 1px solid var(--border); border-radius: 4px; padding: 0 0.3rem; margin-left: 0.3rem; }
#by-level { min-width: 28rem; }
.compliance { width: 100%; }
.compliance th[scope="row"] { padding-left: 1.6rem; font-weight: 500; }
.compliance th .sub { display: block; font-size: 0.8rem; font-weight: 400; }
.rfc-row th, .rfc-row td { background: var(--surface); font-weight: 650; border-top: 1px solid var(--border); }
.rfc-row th .sub { display: inline; margin-left: 0.6rem; }
.compliance .rfc-row th { padding-left: 0.7rem; }
.rfc-row.single th { font-weight: 650; }
.rfc-row.single th a { font-weight: 500; margin-left: 0.6rem; }
.rfc-row.single th .sub { display: block; margin-left: 0; font-weight: 400; }
td.rate { white-space: nowrap; }
.bar-col { width: 9rem; }
.stacked-bar { display: block; width: 8.5rem; height: 0.55rem; border-radius: 3px; overflow: hidden; color: var(--fg); }
.stacked-bar .v-passed { fill: var(--passed); } .stacked-bar .v-failed { fill: var(--failed); }
.stacked-bar .v-warned { fill: var(--warned); } .stacked-bar .v-known { fill: var(--known); }
.stacked-bar .v-skipped { fill: var(--skipped); fill-opacity: 0.45; } .stacked-bar .v-error { fill: var(--error); }

.baseline { border: 1px solid var(--known); border-left-width: 4px; border-radius: 6px; padding: 0.3rem 1rem 0.6rem; margin: 1.2rem 0 0; background: color-mix(in srgb, var(--known) 6%, transparent); }
.baseline h4 { margin: 0.5rem 0 0.2rem; }
.baseline p { margin: 0.35rem 0; }
.stale-list { margin: 0.2rem 0; }

.filters {
  position: sticky; top: 0; z-index: 2; background: var(--bg); display: flex; flex-wrap: wrap;
  gap: 0.5rem 1.25rem; align-items: center; padding: 0.6rem 0; border-bottom: 1px solid var(--border); margin-bottom: 0.8rem;
}
.filters[hidden] { display: none; }
.filter-group, .filter-actions { display: flex; flex-wrap: wrap; gap: 0.35rem; align-items: center; }
.filter-label { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); margin-right: 0.2rem; }
.filters button {
  font: inherit; font-size: 0.85rem; color: var(--fg); background: var(--surface); cursor: pointer;
  border: 1px solid var(--border); border-radius: 999px; padding: 0.15rem 0.7rem;
}
.filters button:hover { border-color: var(--fg); }
.filters .toggle .n { color: var(--muted); font-variant-numeric: tabular-nums; margin-left: 0.15rem; }
.filters .toggle[aria-pressed="true"] { background: var(--c, var(--fg)); border-color: var(--c, var(--fg)); color: var(--bg); }
.filters .toggle[aria-pressed="true"] .n { color: inherit; }
.filters .action { border-radius: 6px; }
.shown { color: var(--muted); font-size: 0.85rem; margin-left: 0.4rem; }
.filtered-out { display: none !important; }
.no-match { color: var(--muted); font-style: italic; }

.suite { margin: 1.4rem 0 0; }
.suite > h4 { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.2rem 0.6rem; padding-bottom: 0.35rem; }
.suite-id { color: var(--muted); font-weight: 400; }
.suite-file { color: var(--muted); font-weight: 400; font-size: 0.8rem; margin-left: auto; }
.cases { border: 1px solid var(--border); border-radius: 8px; overflow: hidden; }
.case { border-left: 4px solid var(--c); }
.case + .case { border-top: 1px solid var(--border); }
.case > summary {
  display: grid; grid-template-columns: 5.2rem 3.6rem minmax(0, 1fr) auto 4.2rem; gap: 0.75rem;
  align-items: baseline; padding: 0.45rem 0.8rem; cursor: pointer; list-style: none;
}
.case > summary::-webkit-details-marker { display: none; }
.case > summary:hover { background: var(--surface); }
.case[open] > summary { background: color-mix(in srgb, var(--c) 7%, transparent); }
.case > summary .title::before { content: "▸"; display: inline-block; width: 1em; color: var(--muted); }
.case[open] > summary .title::before { content: "▾"; }
.badge {
  display: inline-block; text-align: center; font-size: 0.72rem; font-weight: 700; text-transform: uppercase;
  letter-spacing: 0.04em; padding: 0.05rem 0.4rem; border-radius: 4px; color: var(--c);
  border: 1px solid color-mix(in srgb, var(--c) 45%, transparent); background: color-mix(in srgb, var(--c) 12%, transparent);
}
.badge.stale { --c: var(--known); border-style: dashed; text-transform: none; font-weight: 600; margin-left: 0.3rem; }
.case.stale { border-left-style: dashed; border-left-color: var(--known); }
.lvl { font-size: 0.72rem; font-weight: 600; letter-spacing: 0.05em; color: var(--muted); }
.lvl.l-must { color: var(--fg); }
.case .title { overflow-wrap: anywhere; }
.cid, .skip-reason { display: block; color: var(--muted); font-size: 0.78rem; margin-left: 1em; }
.skip-reason { font-style: italic; font-size: 0.82rem; }
.ref { font-size: 0.82rem; color: var(--muted); white-space: nowrap; }
.dur { font-size: 0.8rem; color: var(--muted); text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.case-body { padding: 0.2rem 0.9rem 0.9rem 1.2rem; border-top: 1px dashed var(--border); }
.reason { margin: 0.6rem 0; font-weight: 500; overflow-wrap: anywhere; }
.note, .known-reason { margin: 0.4rem 0; color: var(--muted); }
.known-reason strong { color: var(--known); }
.failure {
  display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.3rem 1rem; margin: 0.6rem 0;
  padding: 0.6rem 0.9rem; border-radius: 6px; background: var(--surface); border: 1px solid var(--border);
}
.failure dt { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); padding-top: 0.1rem; }
.failure dd { margin: 0; overflow-wrap: anywhere; }
.failure .actual { color: var(--failed); font-weight: 600; }
.timeout { color: var(--error); font-size: 0.85rem; }
.findings-block > summary { cursor: pointer; color: var(--muted); }
.findings-block > summary h5 { display: inline-block; margin: 1rem 0 0.35rem; }
.findings { font-size: 0.88rem; }
.findings td:first-child code { white-space: nowrap; }
.transcript {
  margin: 0; padding: 0.6rem 0.8rem; background: var(--surface); border: 1px solid var(--border);
  border-radius: 6px; overflow-x: auto; line-height: 1.45; font-size: 0.8rem; tab-size: 4;
}
.transcript .at { color: var(--muted); }
.transcript .dir { font-weight: 700; }
.transcript .d-C .dir { color: var(--accent); }
.transcript .d-S .dir { color: var(--passed); }
.transcript .d-E { color: var(--muted); font-style: italic; }
.esc { color: var(--warned); background: color-mix(in srgb, var(--warned) 14%, transparent); border-radius: 2px; }
.redacted { color: var(--known); font-style: italic; }

.chart { max-width: 100%; height: auto; color: var(--fg); }
.chart text { font-family: inherit; }
@media (prefers-color-scheme: dark) {
  .chart .series.s0 { stroke: #4aa3df; } .chart .s0:is(.swatch, circle) { fill: #4aa3df; }
  .chart .series.s1 { stroke: #f07d3a; } .chart .s1:is(.swatch, circle) { fill: #f07d3a; }
  .chart .series.s2 { stroke: #2fc09a; } .chart .s2:is(.swatch, circle) { fill: #2fc09a; }
  .chart .series.s3 { stroke: #e39bc7; } .chart .s3:is(.swatch, circle) { fill: #e39bc7; }
  .chart .series.s4 { stroke: #f5b942; } .chart .s4:is(.swatch, circle) { fill: #f5b942; }
  .chart .series.s5 { stroke: #8fd0f3; } .chart .s5:is(.swatch, circle) { fill: #8fd0f3; }
}

@media (max-width: 46rem) {
  body { padding: 1rem 0.8rem 3rem; }
  .case > summary { grid-template-columns: auto auto minmax(0, 1fr); }
  .case > summary .ref, .case > summary .dur { grid-column: 3; }
}
@media print {
  .filters, .skip { display: none; }
  .case > summary { break-inside: avoid; }
}
`;
