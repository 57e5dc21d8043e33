/**
 * The stylesheet a load result's page adds to PAGE_STYLE (page-style.ts): the saturation
 * alarm, chart grids and cards, the latency, threshold and reply tables, the generator's
 * figures and the numbered profile source. Colours are PAGE_STYLE's custom properties, so
 * light and dark follow the system as the rest of the page does.
 */
export const LOAD_STYLE = `
.tile.t-rate { --c: var(--accent); }
.alert.saturated {
  border-color: var(--failed); border-width: 2px; border-left-width: 8px; font-size: 1.02rem;
  background: color-mix(in srgb, var(--failed) 13%, transparent); margin: 0 0 1rem;
}
.alert.saturated p { margin: 0.2rem 0; }
.alert.saturated strong:first-child { color: var(--failed); text-transform: uppercase; letter-spacing: 0.06em; }
.alert.saturated ul { margin: 0.3rem 0 0.2rem; padding-left: 1.3rem; font-weight: 600; }
.alert + .alert { margin-top: 0.6rem; }
.page-head .alert { margin-bottom: 1rem; }

.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(27rem, 1fr)); gap: 1rem; margin: 1rem 0; }
.charts.wide { grid-template-columns: minmax(0, 1fr); }
.charts.multiples { grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 0.75rem; margin-top: 0.5rem; }
.chart-card { margin: 0; padding: 0.6rem 0.6rem 0.55rem; border: 1px solid var(--border); border-radius: 8px; background: var(--bg); min-width: 0; }
.chart-card .chart { display: block; width: 100%; height: auto; }
.chart-card figcaption { font-size: 0.82rem; color: var(--muted); margin: 0.35rem 0.4rem 0; line-height: 1.4; }
.multiples .chart-card figcaption { font-size: 0.76rem; }
h4 { margin: 1.4rem 0 0.3rem; }

table.latency, table.thresholds, table.codes, table.errors { width: 100%; }
table.latency td.num { font-family: var(--mono); font-size: 0.86rem; }
table.latency tr[data-phase="message"] th, table.latency tr[data-phase="message"] td { font-weight: 650; background: color-mix(in srgb, var(--accent) 6%, transparent); }
table.latency th[title] { cursor: help; text-decoration: underline dotted color-mix(in srgb, var(--muted) 60%, transparent); text-underline-offset: 3px; }
.group-row th { background: var(--surface); font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); font-weight: 600; }
.outcomes { font-size: 0.85rem; white-space: nowrap; }
.outcome { color: var(--warned); font-weight: 600; }
.outcome.o-5xx, .outcome.o-timeout, .outcome.o-conn-error { color: var(--failed); }

.thresholds code { font-size: 0.92rem; white-space: nowrap; }
.thresholds td.num { white-space: nowrap; font-weight: 600; }
.thresholds tr.v-failed td { background: color-mix(in srgb, var(--failed) 7%, transparent); }
.thresholds tr.v-failed td.num { color: var(--failed); }
.thresholds .reason { color: var(--muted); overflow-wrap: anywhere; }

.codes th.c-4xx, .codes td.c-4xx:not(.zero) { color: var(--warned); }
.codes th.c-5xx, .codes td.c-5xx:not(.zero) { color: var(--failed); font-weight: 600; }
.codes td.zero { color: color-mix(in srgb, var(--muted) 55%, transparent); }
.errors th code { white-space: nowrap; }
.samples { margin: 0; padding-left: 1.1rem; }
.samples code { white-space: pre-wrap; overflow-wrap: anywhere; }

.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: 0.7rem 1.2rem; margin: 0.9rem 0; }
.stats > div { border-left: 3px solid var(--border); padding-left: 0.65rem; min-width: 0; }
.stats dt { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
.stats dd { margin: 0; font-size: 1.05rem; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.health { border: 1px solid; border-left-width: 4px; border-radius: 6px; padding: 0.55rem 0.9rem; margin: 0.4rem 0; }
.health.ok { border-color: var(--passed); background: color-mix(in srgb, var(--passed) 8%, transparent); }
.health.ok strong { color: var(--passed); }
.health.saturated { border-color: var(--failed); border-left-width: 8px; background: color-mix(in srgb, var(--failed) 13%, transparent); }
.health.saturated strong { color: var(--failed); letter-spacing: 0.05em; }
.health p, .health ul { margin: 0.2rem 0; }
.health-note { font-size: 0.85rem; color: var(--muted); margin: 0.3rem 0; }

.overrides .chip { margin-right: 0.3rem; }
.source {
  counter-reset: line; margin: 0.6rem 0 0; padding: 0.6rem 0.8rem; background: var(--surface);
  border: 1px solid var(--border); border-radius: 6px; overflow-x: auto; line-height: 1.45; font-size: 0.82rem;
}
.source .line { counter-increment: line; }
.source .line::before { content: counter(line); display: inline-block; width: 2.2em; margin-right: 1.1em; text-align: right; color: var(--muted); user-select: none; }
@media print { .chart-card { break-inside: avoid; } }
`;
