import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import type { GeneratorHealth } from '../../src/load/generator-health.js';
import type { LoadSnapshot } from '../../src/metrics/load-snapshot.js';
import { mergeSnapshots } from '../../src/metrics/merge-snapshots.js';
import { PhaseRecorder } from '../../src/metrics/phase-recorder.js';
import { evaluateThresholds } from '../../src/metrics/threshold-evaluator.js';
import { parseThreshold } from '../../src/metrics/threshold-parser.js';
import type { ThresholdVerdict } from '../../src/metrics/threshold-evaluator.js';
import { formatsFor, REPORT_FORMATS } from '../../src/report/formats.js';
import { escapeHtml } from '../../src/report/html/html-template.js';
import { renderHtml } from '../../src/report/html/render-html.js';
import { reportSections } from '../../src/report/html/report-sections.js';
import { buildLoadReport, type LoadReport } from '../../src/report/load-report.js';
import { parseStoredResult } from '../../src/report/stored-result.js';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>\x00\x1b[2K\u202e';
const SECOND = 1_000_000;

/**
 * Five seconds of a run, then a quarter second more: 100 messages a second whose latency grows
 * with the second, a few 4xx and two timeouts, one session per second. The last interval is cut
 * short at the snapshot (250 ms, no message ended in it).
 */
function recordRun(seed = 0): LoadSnapshot {
  const recorder = new PhaseRecorder({ startMicros: 0, intervalMs: 1000 });
  for (let s = 0; s < 5; s++) {
    recorder.sessionStarted();
    recorder.countReply('greeting', 220);
    recorder.record('connect', '2xx', 300 + s * 10 + seed);
    for (let m = 0; m < 100; m++) {
      const us = 400 + ((m * 37 + s * 11 + seed) % 100) * (10 + s * 5);
      const outcome = m % 50 === 7 ? '4xx' : '2xx';
      recorder.messageStarted();
      recorder.record('rcpt', outcome, us / 4);
      recorder.countReply('rcpt', outcome === '2xx' ? 250 : 452);
      recorder.record('eod', '2xx', us / 2);
      if (outcome === '2xx') recorder.countReply('eod', 250);
      recorder.recordNamed('schedule-lag', (m % 10) * 20);
      recorder.messageEnded(outcome, us, us - (m % 10) * 20);
    }
    if (s === 3) {
      recorder.countError('timeout');
      recorder.countError('timeout');
    }
    recorder.sessionEnded('2xx', 900_000);
    recorder.countBytes(120_000, 9_000);
    recorder.tick((s + 1) * SECOND);
  }
  return recorder.snapshot(5.25 * SECOND);
}

const HEALTH: GeneratorHealth = {
  threads: 2,
  loopDelayP99Ms: 31.2,
  loopDelayMaxMs: 48.5,
  utilization: 0.95,
  cpuCores: 1.93,
  cpuMicrosPerMessage: 3860.1,
  targetRate: 120,
  achievedRate: 99.2,
  droppedRate: 20.8,
  scheduleLagP99Ms: 12.4,
  saturated: true,
  reasons: ['event loop busy 95% of the time', `event-loop delay p99 31.2 ms ${HOSTILE}`],
  notes: ['open model: judged by schedule lag'],
};

function thresholds(snapshot: LoadSnapshot): ThresholdVerdict[] {
  const parsed = ['p99(message) < 2ms', 'rate(errors) < 1%', 'throughput > 50/s'].map((e) => {
    const result = parseThreshold(e);
    if (!result.ok) throw new Error(e);
    return result.threshold;
  });
  return [
    ...evaluateThresholds(parsed, snapshot),
    // A stored result is only shallowly checked: its strings are anyone's.
    {
      expression: `count(x) < 1 ${HOSTILE}`,
      ok: false,
      actual: undefined,
      unit: 'count',
      reason: HOSTILE,
    },
  ];
}

const SOURCE = `id: hostile\ntitle: "</pre><script>alert(3)</script>"\n# ${HOSTILE}\nduration: 5s\n`;

function loadReport(
  snapshot = recordRun(),
  options: { health?: GeneratorHealth; abortedBy?: string; interrupted?: boolean } = {},
): LoadReport {
  return buildLoadReport({
    tool: { name: 'smtpgauge', version: '0.1.0' },
    target: {
      host: '127.0.0.1',
      port: 40125,
      banner: `220 ${HOSTILE} ESMTP`,
      capabilities: ['PIPELINING', 'SIZE 1000'],
    },
    startedAt: new Date('2026-11-23T10:00:00.000Z'),
    interrupted: options.interrupted ?? false,
    ...(options.abortedBy ? { abortedBy: options.abortedBy } : {}),
    load: {
      profile: {
        id: 'hostile',
        title: `</pre><script>alert(3)</script>`,
        file: 'profiles/hostile.yaml',
        model: 'open',
        source: SOURCE,
        overrides: { duration: '5s', rate: `120/s ${HOSTILE}` },
        seed: 42,
        durationMs: 5000,
        warmUpMs: 0,
      },
      workers: 2,
      recorded: true,
      snapshot,
      health: options.health ?? HEALTH,
      thresholds: thresholds(snapshot),
      errorSamples: { timeout: [`no reply to RCPT within 5000 ms ${HOSTILE}`], [HOSTILE]: ['x'] },
    },
  });
}

const REPORT = loadReport(recordRun(), { abortedBy: 'p99(message) < 2ms' });
const PAGE = renderHtml(REPORT);

/** `<tag …>` start tags, without the text of style and script. */
function startTags(page: string, tag: string): string[] {
  const body = page.replace(/<(style|script)>[\s\S]*?<\/\1>/g, '<$1></$1>');
  return [...body.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'g'))].map((m) => m[0]);
}

/** Elements are closed in order (void elements excepted). */
function nestingProblems(page: string): string[] {
  const VOID = new Set(['meta', 'link', 'br', 'img', 'input', 'hr']);
  const body = page.replace(/<(style|script)>[\s\S]*?<\/\1>/g, '<$1></$1>');
  const stack: string[] = [];
  const problems: string[] = [];
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w-]*)\b[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (!closing && (VOID.has(name!) || selfClosing)) continue;
    if (!closing) stack.push(name!);
    else if (stack.pop() !== name) problems.push(`</${name}> at ${m.index}`);
  }
  return [...problems, ...stack.map((name) => `<${name}> never closed`)];
}

/** The markup of the chart figure named `name`. */
function chart(page: string, name: string): string {
  const start = page.indexOf(`<figure class="chart-card" data-chart="${name}">`);
  expect(start, name).toBeGreaterThan(0);
  return page.slice(start, page.indexOf('</figure>', start));
}

/** Per series path (by its title), the number of points it is drawn through. */
function pathPoints(svg: string): Record<string, number> {
  return Object.fromEntries(
    [...svg.matchAll(/<path class="series s\d" d="([^"]*)"[^>]*><title>([^<]*)<\/title>/g)].map(
      (m) => [m[2]!, (m[1]!.match(/[ML]/g) ?? []).length],
    ),
  );
}

const dots = (svg: string) => (svg.match(/<circle class="series point/g) ?? []).length;

describe('the load page: a self-contained document', () => {
  it('is one well-nested document of one load section, with no script and nothing to load', () => {
    expect(PAGE.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(nestingProblems(PAGE)).toEqual([]);
    expect(reportSections(REPORT).map((s) => s.id)).toEqual(['load']);
    expect(PAGE).toContain('<section class="part" id="load" aria-labelledby="load-title">');
    expect(PAGE).not.toContain('id="conformance"');
    expect(startTags(PAGE, 'script')).toEqual([]);
    for (const tag of ['img', 'iframe', 'object', 'embed', 'form', 'base', 'image', 'use'])
      expect(startTags(PAGE, tag), tag).toEqual([]);
    // No src or xlink:href attribute (hostile text inside an attribute's value is no attribute).
    expect(PAGE.replace(/"[^"]*"/g, '""')).not.toMatch(/<[a-z][^>]*\s(src|xlink:href)=/);
    expect(PAGE).not.toMatch(/url\(|@import|@font-face/);
    const hrefs = [...PAGE.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    for (const href of hrefs) expect(href, href).toMatch(/^(#|data:image\/svg\+xml,)/);
    const urls = PAGE.replace(/<style>[\s\S]*?<\/style>/g, '').match(/https?:\/\/[^\s"<]+/g);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    const csp = PAGE.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)![1]!;
    expect(csp.replace(/&#39;/g, "'")).toContain("default-src 'none'; style-src 'unsafe-inline'");
    expect(csp.replace(/&#39;/g, "'")).toContain("script-src 'none'");
  });

  it('links every contents entry to an element of the page', () => {
    const anchors = [...PAGE.matchAll(/<nav class="contents"[\s\S]*?<\/nav>/g)][0]![0].matchAll(
      /href="#([^"]+)"/g,
    );
    const ids = [...anchors].map((m) => m[1]!);
    expect(ids).toEqual([
      'load',
      'load-summary',
      'thresholds',
      'latency',
      'over-time',
      'replies',
      'generator',
      'profile',
    ]);
    for (const id of ids) expect(PAGE, id).toContain(`id="${id}"`);
  });

  it('is a pure function of the result, and what `report --format html` renders from the JSON', () => {
    expect(renderHtml(loadReport(recordRun(), { abortedBy: 'p99(message) < 2ms' }))).toBe(PAGE);
    const stored = parseStoredResult(REPORT_FORMATS.json.render(REPORT));
    expect(stored.ok && REPORT_FORMATS.html.render(stored.report)).toBe(PAGE);
    expect(REPORT_FORMATS.html.kinds).toEqual(['conformance', 'load']);
    expect(formatsFor('load')).toEqual(['json', 'junit', 'html']);
  });
});

describe('the load page: escaping', () => {
  it('shows hostile banners, samples, profile text, reasons and overrides as text', () => {
    expect(PAGE).not.toContain('<script>alert');
    expect(PAGE).not.toContain('<img');
    expect(PAGE).not.toContain('</pre><script>');
    expect(PAGE).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]/);
    const shown =
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;\\0\\x1b[2K\\u202e';
    expect(PAGE).toContain(`<code>220 ${shown} ESMTP</code>`);
    expect(PAGE).toContain(`<li><code>no reply to RCPT within 5000 ms ${shown}</code></li>`);
    expect(PAGE).toContain(`<tr data-error="${shown}"><th scope="row"><code>${shown}</code>`);
    expect(PAGE).toContain(`<span class="line"># ${shown}</span>`);
    expect(PAGE).toContain(
      '<span class="line">title: &quot;&lt;/pre&gt;&lt;script&gt;alert(3)&lt;/script&gt;&quot;</span>',
    );
    expect(PAGE).toContain(`<td class="reason">${shown}</td>`);
    expect(PAGE).toContain(`<li>event-loop delay p99 31.2 ms ${shown}</li>`);
    expect(PAGE).toContain(`data-override="rate">rate: 120/s ${shown}</code>`);
  });
});

describe('the load page: header and summary', () => {
  const head = PAGE.slice(PAGE.indexOf('<header'), PAGE.indexOf('</header>'));

  it('heads the page with target, profile, model, verdict and exit code', () => {
    expect(head).toContain('SMTP load report');
    expect(head).toContain('<h1>127.0.0.1:40125</h1>');
    expect(head).toContain('<span class="verdict v-failed" data-verdict="failed">failed</span>');
    expect(head).toContain('2 of 4 thresholds failed: the run fails (exit 1).');
    expect(head).toContain('<dt>Threads</dt><dd>2</dd>');
    expect(head).toContain('<dt>Model</dt><dd>open · target 120.0 starts/s</dd>');
    expect(head).toContain('<code>p99(message) &lt; 2ms</code> was breached and aborts the run');
  });

  it('announces a saturated generator loudly, with its reasons; not otherwise', () => {
    expect(head).toContain('<div class="alert saturated" id="saturated" role="alert">');
    expect(head).toContain('<li>event loop busy 95% of the time</li>');
    expect(PAGE).toContain('data-saturated="true"><p><strong>SATURATED.</strong>');
    const calm = renderHtml(
      loadReport(recordRun(), { health: { ...HEALTH, saturated: false, reasons: [] } }),
    );
    expect(calm).not.toContain('id="saturated"');
    expect(calm).toContain('data-saturated="false"><strong>Not saturated.</strong>');
  });

  it('shows the dropped start rate and how the health was judged', () => {
    expect(PAGE).toContain(
      '<div data-health="droppedRate" data-value="20.8"><dt>dropped start rate</dt><dd>20.8/s</dd></div>',
    );
    expect(PAGE).toContain('<p class="health-note">open model: judged by schedule lag</p>');
  });

  it('says what an interruption means', () => {
    const snapshot = recordRun();
    const report = loadReport(snapshot, { interrupted: true });
    report.load.thresholds = [];
    report.summary = { ...report.summary, verdict: 'error', thresholds: { passed: 0, failed: 0 } };
    const page = renderHtml(report);
    expect(page).toContain('The run was interrupted: partial results (exit 3).');
    expect(page).toContain('<strong>Interrupted.</strong>');
    expect(page).toContain('No thresholds: nothing gates this run.');
  });

  it('shows the summary counts and the throughput of the report in its tiles', () => {
    const s = REPORT.summary;
    const expected = {
      messages: s.messages,
      ok: s.ok,
      failed: s.failed,
      errors: s.errors,
      dropped: s.dropped,
    };
    for (const [key, value] of Object.entries(expected)) {
      expect(PAGE).toContain(
        `data-summary="${key}" data-value="${value}"><span class="n">${value}</span>`,
      );
    }
    expect([s.messages, s.ok, s.failed, s.errors]).toEqual([500, 490, 10, 2]);
    expect(PAGE).toContain(
      `data-summary="throughput" data-value="${s.throughput}"><span class="n">${s.throughput.toFixed(1)}</span>`,
    );
  });
});

describe('the load page: thresholds and tables', () => {
  it('lists each threshold with its actual value, verdict and reason', () => {
    const rows = startTags(PAGE, 'tr').filter((tr) => tr.includes('data-threshold='));
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.match(/data-ok="(\w+)"/)![1])).toEqual(
      REPORT.load.thresholds.map((t) => String(t.ok)),
    );
    const p99 = REPORT.load.snapshot.phases.message!.p99;
    expect(PAGE).toContain(`<td class="num" data-actual="${p99}">${p99.toFixed(3)} ms</td>`);
    expect(PAGE).toContain('<td class="num" data-actual="">no data</td>');
    expect(PAGE).toContain(
      '<span class="badge v-failed">failed</span> <span class="badge v-error"',
    );
    expect(PAGE.match(/stopped the run<\/span>/g)).toHaveLength(1);
    expect(PAGE).toContain(
      `<td class="reason">${escapeHtml(REPORT.load.thresholds[2]!.reason)}</td>`,
    );
  });

  it('has a row per phase and named histogram with the figures of the snapshot', () => {
    const { phases, named } = REPORT.load.snapshot;
    const all = { ...phases, ...named };
    expect(Object.keys(all)).toEqual([
      'connect',
      'rcpt',
      'eod',
      'message',
      'session',
      'schedule-lag',
      'message-service',
      'session-service',
    ]);
    for (const [name, h] of Object.entries(all)) {
      const row = PAGE.slice(
        PAGE.indexOf(`<tr data-phase="${name}">`),
        PAGE.indexOf('</tr>', PAGE.indexOf(`<tr data-phase="${name}">`)),
      );
      expect(row, name).toContain(`data-stat="count" data-value="${h.count}">${h.count}<`);
      for (const stat of ['p50', 'p90', 'p99', 'p999', 'max'] as const)
        expect(row, `${name} ${stat}`).toContain(
          `data-stat="${stat}" data-value="${h[stat]}">${h[stat].toFixed(3)}<`,
        );
    }
    expect(PAGE).toContain('<span class="outcome o-4xx" data-outcome="4xx">4xx 10</span>');
  });

  it('counts replies per command and code, and errors by kind', () => {
    expect(PAGE).toContain('<tr data-command="rcpt"><th scope="row">rcpt</th>');
    expect(PAGE).toContain('<td class="num c-4xx" data-code="452">10</td>');
    expect(PAGE).toContain('<td class="num c-2xx" data-code="250">490</td>');
    expect(PAGE).toContain('<td class="num" data-value="2">2</td>');
  });

  it('shows the profile: facts, overrides and the source as run', () => {
    expect(PAGE).toContain('<dt>seed</dt><dd>42</dd>');
    expect(PAGE).toContain('<code class="chip" data-override="duration">duration: 5s</code>');
    const source = PAGE.slice(PAGE.indexOf('<pre class="source" id="profile-source">'));
    expect(source.slice(0, source.indexOf('</pre>')).match(/<span class="line">/g)).toHaveLength(4);
  });
});

describe('the load page: charts', () => {
  const intervals = REPORT.load.snapshot.series.intervals;

  it('draws the run over time, one point per interval (the cut-short last one left out of rates)', () => {
    expect(intervals.map((i) => i.durationMs)).toEqual([1000, 1000, 1000, 1000, 1000, 250]);
    const percentiles = pathPoints(chart(PAGE, 'percentiles-over-time'));
    expect(percentiles).toEqual({ p50: 5, p90: 5, p99: 5 });
    const throughput = chart(PAGE, 'throughput-over-time');
    expect(pathPoints(throughput)).toEqual({ 'target starts/s (run average)': 2, 'messages/s': 5 });
    expect(throughput).toContain(
      'stroke-dasharray="6 4"><title>target starts/s (run average)</title>',
    );
    expect(pathPoints(chart(PAGE, 'codes-over-time'))).toEqual({ '2xx': 5, '4xx': 5, '5xx': 5 });
    expect(pathPoints(chart(PAGE, 'failures-over-time'))).toEqual({
      'failed messages/s': 5,
      'errors/s': 5,
    });
    expect(dots(chart(PAGE, 'latency-vs-throughput'))).toBe(5);
    expect(pathPoints(chart(PAGE, 'active-sessions'))).toEqual({ 'open sessions': 6 });
  });

  it('plots messages/s as messages / interval width, and p99 against it', () => {
    const svg = chart(PAGE, 'latency-vs-throughput');
    const labels = [...svg.matchAll(/<circle class="series point[^>]*><title>([^<]*)</g)].map(
      (m) => m[1],
    );
    expect(labels[0]).toBe(`0-1 s: 100.0/s, p99 ${intervals[0]!.p99!.toFixed(3)} ms`);
    expect(labels).toHaveLength(5);
  });

  it('are well-formed SVG documents, every one', async () => {
    const svgs = PAGE.match(/<svg [\s\S]*?<\/svg>/g)!;
    expect(svgs).toHaveLength(11);
    const result = await validateXML({
      xml: svgs.map((svg, i) => ({ fileName: `chart-${i}.svg`, contents: svg })),
      normalization: 'format',
    });
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
  });

  it('draws the message distribution by percentile, and one small chart per other phase', () => {
    const message = REPORT.load.snapshot.phases.message!;
    const service = REPORT.load.snapshot.named['message-service']!;
    const main = pathPoints(chart(PAGE, 'distribution'));
    // The stored points, then the maximum from 100 × (1 − 1/n) and at 100.
    expect(main['message (from the intended start)']).toBe(message.distribution.length + 1);
    expect(main['message-service (from the actual start)']).toBe(service.distribution.length + 1);
    for (const phase of ['connect', 'rcpt', 'eod', 'session'])
      expect(PAGE, phase).toContain(`data-chart="distribution-${phase}"`);
    expect(PAGE).not.toContain('data-chart="distribution-message"');
    const connect = REPORT.load.snapshot.phases.connect!;
    expect(Object.values(pathPoints(chart(PAGE, 'distribution-connect')))).toEqual([
      connect.distribution.length + 1,
    ]);
    expect(startTags(PAGE, 'svg')).toHaveLength(1 + 4 + 6);
  });

  it('draws the distributions of merged shards, which the merge computed again', () => {
    const merged = mergeSnapshots(recordRun(1), recordRun(2));
    if (!merged.ok) throw new Error(merged.problems.join('\n'));
    const message = merged.snapshot.phases.message!;
    expect(message.count).toBe(1000);
    expect(message.distribution.length).toBeGreaterThan(10);
    expect(message.distribution.at(-1)).toEqual([100, message.max]);
    expect(merged.snapshot.phases.eod!.byOutcome['2xx']!.distribution.length).toBeGreaterThan(10);
    const page = renderHtml(loadReport(merged.snapshot));
    const main = pathPoints(chart(page, 'distribution'));
    expect(main['message (from the intended start)']).toBe(message.distribution.length + 1);
  });

  it('falls back on the summary percentiles for a result stored without distributions', () => {
    const snapshot = JSON.parse(JSON.stringify(recordRun()), (key, value) =>
      key === 'distribution' ? undefined : value,
    ) as LoadSnapshot;
    const page = renderHtml(loadReport(snapshot));
    // 0, 50, 90 and 99 (99.9 is past what 500 values resolve), then the maximum twice.
    expect(pathPoints(chart(page, 'distribution'))['message (from the intended start)']).toBe(6);
  });

  it('says "no data" where a run has no intervals or no latency', () => {
    const snapshot = recordRun();
    snapshot.series.intervals = [];
    snapshot.phases = {};
    snapshot.named = {};
    const page = renderHtml(loadReport(snapshot));
    expect(nestingProblems(page)).toEqual([]);
    expect(page).toContain('No latency was recorded.');
    // Every time chart but throughput, which still shows the target rate.
    expect(page.match(/>no data<\/text>/g)).toHaveLength(5);
  });
});
