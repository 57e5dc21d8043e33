import type { HistogramSnapshot, LoadSnapshot } from '../../metrics/load-snapshot.js';
import type { NamedHistogram, Outcome, Phase } from '../../metrics/metric-names.js';
import { chartFigure } from './chart-figure.js';
import { formatCount, formatMs } from './display-format.js';
import { markup, type SafeHtml } from './html-template.js';
import { renderPercentileChart, type ChartPoint } from './svg-chart.js';

/**
 * Latency of a load run: the table per phase, the `message` distribution by percentile
 * (HdrHistogram-style log axis), and one small distribution chart per other phase, each on its
 * own scale (a session lasts seconds, a RCPT a fraction of a ms).
 *
 * ```html
 * <div class="table-wrap"><table class="latency" id="phase-table"><caption>…</caption>
 * <thead><tr><th scope="col">phase</th><th scope="col" class="num">count</th><th scope="col" class="num">p50</th>…</tr></thead>
 * <tbody><tr data-phase="eod"><th scope="row" title="…">eod</th><td class="num" data-stat="count" data-value="299">299</td><td class="num" data-stat="p50" data-value="0.152">0.152</td>…</tr>…</tbody>
 * <tbody class="named"><tr data-phase="schedule-lag">…</tr></tbody></table></div>
 * <div class="charts"><figure class="chart-card wide" data-chart="distribution">…</figure></div>
 * <div class="charts multiples"><figure class="chart-card" data-chart="distribution-eod">…</figure>…</div>
 * ```
 */
const PHASE_MEANING: Record<Phase | NamedHistogram, string> = {
  connect: 'connect call → TCP connection up',
  tls: 'STARTTLS sent (or the connection up, for implicit TLS) → handshake done',
  greeting: 'connection (or TLS) up → the 220',
  ehlo: 'EHLO sent → its final reply',
  auth: 'AUTH sent → its final reply',
  mail: 'MAIL FROM sent → its reply',
  rcpt: 'RCPT TO sent → its reply',
  data: 'DATA sent → its reply (354)',
  eod: "first body octet sent → the reply to the final '.'",
  quit: 'QUIT sent → its reply',
  message: "the message's intended start → its end-of-data reply or failure",
  session: "the session's intended start → QUIT's reply or the close",
  'schedule-lag': 'open model: actual start − intended start of each unit',
  'message-service': 'as message, from the actual start',
  'session-service': 'as session, from the actual start',
};

const STATS = ['p50', 'p90', 'p99', 'p999', 'max'] as const;
const STAT_LABELS = { p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9', max: 'max' } as const;

export function renderLatency(snapshot: LoadSnapshot): SafeHtml {
  return markup`${phaseTable(snapshot)}
${distributionCharts(snapshot)}`;
}

function phaseTable(snapshot: LoadSnapshot): SafeHtml {
  const phases = Object.entries(snapshot.phases).map(([name, phase]) =>
    phaseRow(name, phase, outcomesOf(phase.byOutcome)),
  );
  const named = Object.entries(snapshot.named).map(([name, h]) => phaseRow(name, h, ''));
  const head = STATS.map((s) => markup`<th scope="col" class="num">${STAT_LABELS[s]}</th>`);
  const body =
    phases.length === 0
      ? markup`<tbody><tr><td colspan="8" class="muted">No latency was recorded.</td></tr></tbody>`
      : markup`<tbody>${phases}</tbody>`;
  const namedBody =
    named.length === 0
      ? ''
      : markup`<tbody class="named"><tr class="group-row"><th scope="rowgroup" colspan="8">Named histograms</th></tr>${named}</tbody>`;
  return markup`<div class="table-wrap"><table class="latency" id="phase-table"><caption>Latency per phase, in ms (HdrHistogram figures: a percentile is the highest value of its bucket, within 0.1%)</caption>
<thead><tr><th scope="col">phase</th><th scope="col" class="num">count</th>${head}<th scope="col">not 2xx</th></tr></thead>
${body}
${namedBody}
</table></div>`;
}

function phaseRow(name: string, h: HistogramSnapshot, outcomes: SafeHtml | string): SafeHtml {
  const meaning = PHASE_MEANING[name as Phase] ?? '';
  const cells = STATS.map(
    (s) => markup`<td class="num" data-stat="${s}" data-value="${h[s]}">${formatMs(h[s])}</td>`,
  );
  return markup`<tr data-phase="${name}"><th scope="row" title="${meaning}">${name}</th><td class="num" data-stat="count" data-value="${h.count}">${formatCount(h.count)}</td>${cells}<td class="outcomes">${outcomes}</td></tr>\n`;
}

/** The outcomes other than 2xx, with their counts: `4xx 3 · timeout 1`. */
function outcomesOf(byOutcome: Partial<Record<Outcome, HistogramSnapshot>>): SafeHtml {
  const other = Object.entries(byOutcome ?? {}).filter(([outcome]) => outcome !== '2xx');
  return markup`${other.map(
    ([outcome, h], i) =>
      markup`${i > 0 ? ' · ' : ''}<span class="outcome o-${outcome}" data-outcome="${outcome}">${outcome} ${formatCount(h.count)}</span>`,
  )}`;
}

/**
 * The points of a histogram's percentile distribution, for a chart. Of n values the maximum is
 * every percentile above 100 × (1 − 1/n): so the maximum is drawn from there on, flat to the
 * edge, rather than as a slope from the last resolvable percentile to the edge, which would
 * suggest values that were never seen. A result written before snapshots had `distribution`
 * falls back on the summary's percentiles.
 */
export function distributionPoints(h: HistogramSnapshot): ChartPoint[] {
  if (h.count === 0) return [];
  const stored = (h as Partial<HistogramSnapshot>).distribution;
  const pairs: readonly (readonly [number, number])[] =
    Array.isArray(stored) && stored.length > 0
      ? stored
      : [
          [0, h.min],
          [50, h.p50],
          [90, h.p90],
          [99, h.p99],
          [99.9, h.p999],
          [100, h.max],
        ];
  const maxFrom = 100 * (1 - 1 / h.count);
  const body = pairs.filter(([p]) => p < 100 && p <= maxFrom).map(([x, y]) => ({ x, y }));
  return [...body, { x: maxFrom, y: h.max }, { x: 100, y: h.max }];
}

function distributionCharts(snapshot: LoadSnapshot): SafeHtml {
  const message = snapshot.phases.message;
  const service = snapshot.named['message-service'];
  const main = message
    ? chartFigure(
        'distribution',
        renderPercentileChart({
          title: 'Message latency by percentile',
          yLabel: 'latency (ms)',
          width: 1100,
          height: 330,
          series: [
            { name: 'message (from the intended start)', points: distributionPoints(message) },
            ...(service
              ? [
                  {
                    name: 'message-service (from the actual start)',
                    points: distributionPoints(service),
                  },
                ]
              : []),
          ],
        }),
        markup`The whole distribution, HdrHistogram-style: each decade of nines (90%, 99%, 99.9%, …) gets the same width, and the right edge is the maximum.${service ? markup` <code>message</code> counts from each message's intended start, <code>message-service</code> from its actual start: a gap between them is time spent waiting for the generator (coordinated omission, made visible).` : ''}`,
      )
    : '';
  const others = Object.entries(snapshot.phases)
    .filter(([name]) => name !== 'message')
    .map(([name, phase]) =>
      chartFigure(
        `distribution-${name}`,
        renderPercentileChart({
          title: `${name} · ${formatCount(phase.count)} ${phase.count === 1 ? 'value' : 'values'}`,
          yLabel: 'ms',
          width: 352,
          height: 220,
          legend: false,
          series: [{ name, points: distributionPoints(phase) }],
        }),
        PHASE_MEANING[name as Phase] ?? '',
      ),
    );
  return markup`<div class="charts wide">${main}</div>
${others.length > 0 ? markup`<h4 id="latency-by-phase">By phase</h4>\n<div class="charts multiples">${others}</div>` : ''}`;
}
