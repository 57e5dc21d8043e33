import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CaseResult, SuiteResult } from '../../src/dialogue/case-result.js';
import {
  buildConformanceReport,
  type ConformanceReport,
} from '../../src/report/conformance-report.js';
import { REPORT_FORMATS } from '../../src/report/formats.js';
import { caseVerdict, countVerdicts } from '../../src/report/html/case-verdict.js';
import {
  formatDuration,
  formatOffset,
  formatTimestamp,
} from '../../src/report/html/display-format.js';
import { escapeHtml, markup, trustedHtml } from '../../src/report/html/html-template.js';
import { renderHtml } from '../../src/report/html/render-html.js';
import { reportSections, SECTION_RENDERERS } from '../../src/report/html/report-sections.js';
import { parseStoredResult } from '../../src/report/stored-result.js';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>\x00\x1b[2K\u202e';

function result(overrides: Partial<CaseResult> & Pick<CaseResult, 'id' | 'status'>): CaseResult {
  return {
    title: `the ${overrides.id} case`,
    rfc: '5321',
    section: '4.1.1',
    level: 'must',
    reason: '',
    durationMs: 3.214,
    transcript: [
      { dir: '*', atMicros: 0, text: 'connected to 127.0.0.1:40123' },
      { dir: 'S', atMicros: 412, text: '220 mx.example.test ESMTP' },
      { dir: 'C', atMicros: 530, text: 'EHLO client.example.test' },
    ],
    findings: [],
    ...overrides,
  };
}

const RCPT: SuiteResult = {
  id: 'rfc5321-rcpt',
  title: 'RFC 5321: the RCPT command',
  file: 'suites/rfc5321/rcpt.yaml',
  rfc: '5321',
  cases: [
    result({
      id: 'rcpt-before-mail',
      status: 'failed',
      section: '3.3',
      reason: 'expected 503 to RCPT TO:<postmaster@example.test>, got 250 OK',
      failure: {
        step: 2,
        location: 'suites/rfc5321/rcpt.yaml:14:9',
        expected: '503 to RCPT TO:<postmaster@example.test>',
        actual: `250 OK ${HOSTILE}`,
      },
      transcript: [
        { dir: 'S', atMicros: 412, text: '220 mx.example.test ESMTP' },
        { dir: 'C', atMicros: 1530, text: 'RCPT TO:<postmaster@example.test>' },
        { dir: 'S', atMicros: 2_104_061, text: `250 OK ${HOSTILE}\\r\\n` },
        { dir: 'C', atMicros: 2_104_100, text: 'AUTH PLAIN <redacted>' },
      ],
    }),
    result({ id: 'rcpt-postmaster', status: 'passed' }),
    result({
      id: 'rcpt-warned',
      status: 'failed',
      level: 'should',
      reason: 'a SHOULD failure',
      failure: { step: 1, location: 'x.yaml:1:1', expected: '250', actual: '', timedOut: true },
    }),
    result({ id: 'rcpt-known', status: 'failed', level: 'must', reason: 'a known deviation' }),
    result({ id: 'rcpt-stale', status: 'passed', level: 'should' }),
  ],
};

const SIZE: SuiteResult = {
  id: 'rfc1870-size',
  title: 'RFC 1870: SIZE',
  file: 'suites/rfc1870/size.yaml',
  rfc: '1870',
  cases: [
    result({ id: 'size-skipped', status: 'skipped', rfc: '1870', reason: 'SIZE not advertised' }),
    result({ id: 'size-error', status: 'error', rfc: '1870', level: 'may', reason: 'refused' }),
  ],
};

const HOSTILE_SUITE: SuiteResult = {
  id: 'x"><script>alert(3)</script>',
  title: HOSTILE,
  file: 'hostile.yaml',
  rfc: '5321',
  cases: [
    result({
      id: 'h',
      status: 'passed',
      title: HOSTILE,
      level: 'info',
      findings: [{ rule: 'bare-lf', line: 1, message: HOSTILE, command: HOSTILE, reply: HOSTILE }],
    }),
  ],
};

function sampleReport(options: { interrupted?: boolean } = {}): ConformanceReport {
  return buildConformanceReport({
    tool: { name: 'smtpgauge', version: '0.1.0' },
    target: {
      host: '127.0.0.1',
      port: 40123,
      banner: `220 ${HOSTILE} ESMTP`,
      capabilities: ['PIPELINING', 'SIZE 1000'],
    },
    startedAt: new Date('2026-11-23T10:00:00.000Z'),
    durationMs: 4180,
    interrupted: options.interrupted ?? false,
    gate: 'must',
    suites: [RCPT, SIZE, HOSTILE_SUITE],
    baseline: [
      { caseId: 'rfc5321-rcpt/rcpt-known', reason: 'accepted on purpose' },
      { caseId: 'rfc5321-rcpt/rcpt-stale', reason: 'fixed since' },
    ],
  });
}

const REPORT = sampleReport();
const PAGE = renderHtml(REPORT);

/** The markup of the `<details>` of one case. */
function caseElement(page: string, qualifiedId: string): string {
  const start = page.indexOf(`<details class="case`, page.indexOf(`id="case:${qualifiedId}"`) - 80);
  return page.slice(start, page.indexOf('</details>\n', start));
}

/** `<tag …>` start tags of the page, without the text of style and script. */
function startTags(page: string, tag: string): string[] {
  const body = page.replace(/<(style|script)>[\s\S]*?<\/\1>/g, '<$1></$1>');
  return [...body.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'g'))].map((m) => m[0]);
}

/** Elements are closed in order (void elements excepted): the markup nests properly. */
function nestingProblems(page: string): string[] {
  const VOID = new Set(['meta', 'link', 'br', 'img', 'input', 'hr', 'rect', 'path', 'circle']);
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

describe('escapeHtml', () => {
  it('escapes markup characters, and shows invisible and bidi characters as escapes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(escapeHtml('a\x00b\rc\x1bd\x7fe\x85f\u202eg\uffffh')).toBe(
      'a\\0b\\rc\\x1bd\\x7fe\\x85f\\u202eg\\uffffh',
    );
    expect(escapeHtml('tab\tand\nnewline stay; 😀 too')).toBe('tab\tand\nnewline stay; 😀 too');
    expect(escapeHtml('lone \ud800 and \udc00')).toBe('lone \\ud800 and \\udc00');
  });

  it('is what markup does to every interpolated value, unless the value is SafeHtml', () => {
    const reply = '<b>bold</b>';
    expect(markup`<td>${reply}</td>`.value).toBe('<td>&lt;b&gt;bold&lt;/b&gt;</td>');
    expect(markup`<td>${trustedHtml(reply)}</td>`.value).toBe('<td><b>bold</b></td>');
    expect(markup`${[1, 'a<', null, undefined, false, [markup`<i>`]]}`.value).toBe('1a&lt;<i>');
  });
});

describe('renderHtml: a self-contained page', () => {
  it('is one document with inline style and script, and loads nothing from anywhere', () => {
    expect(PAGE.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(nestingProblems(PAGE)).toEqual([]);
    expect(startTags(PAGE, 'script')).toEqual(['<script>']);
    expect(startTags(PAGE, 'style')).toEqual(['<style>']);
    for (const tag of ['img', 'iframe', 'object', 'embed', 'form', 'base', 'image'])
      expect(startTags(PAGE, tag), tag).toEqual([]);
    expect(PAGE).not.toMatch(/<[a-z][^>]*\ssrc=/);
    expect(PAGE).not.toMatch(/url\(|@import|@font-face/);
    // Links go to anchors in the page, or to the inline favicon.
    const hrefs = [...PAGE.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    for (const href of hrefs) expect(href, href).toMatch(/^(#|data:image\/svg\+xml,)/);
    // The only http(s) text in markup is the SVG namespace, which is a name, not a request.
    const urls = PAGE.replace(/<(style|script)>[\s\S]*?<\/\1>/g, '').match(/https?:\/\/[^\s"<]+/g);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
  });

  it('has a CSP that allows no fetch and no script but its own, by hash', () => {
    const csp = PAGE.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)![1]!;
    const script = PAGE.match(/<script>([\s\S]*)<\/script>/)![1]!;
    const hash = createHash('sha256').update(script).digest('base64');
    expect(csp.replace(/&#39;/g, "'").split('; ')).toEqual([
      "default-src 'none'",
      "style-src 'unsafe-inline'",
      'img-src data:',
      `script-src 'sha256-${hash}'`,
      "base-uri 'none'",
      "form-action 'none'",
    ]);
    // The CSP comes before anything it governs.
    expect(PAGE.indexOf('Content-Security-Policy')).toBeLessThan(PAGE.indexOf('<style>'));
  });

  it('is a pure function of the result: the same bytes again, and from the stored JSON', () => {
    expect(renderHtml(sampleReport())).toBe(PAGE);
    const stored = parseStoredResult(REPORT_FORMATS.json.render(REPORT));
    // As `smtpgauge report` does it: the registry's renderer on the parsed file.
    expect(stored.ok && REPORT_FORMATS.html.render(stored.report)).toBe(PAGE);
    expect(REPORT_FORMATS.html.file).toBe('report.html');
    expect(REPORT_FORMATS.html.render(REPORT)).toBe(PAGE);
  });
});

describe('renderHtml: escaping what the server and the suite files said', () => {
  it('never lets a reply, banner, title or id become markup', () => {
    expect(PAGE).not.toContain('<script>alert');
    expect(PAGE).not.toContain('<img');
    expect(PAGE).not.toContain('"><script>');
    expect(PAGE).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]/);
    const shown = '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;';
    expect(PAGE).toContain(`220 ${shown}\\0\\x1b[2K\\u202e ESMTP`);
    expect(PAGE).toContain(`<code class="actual">250 OK ${shown}`);
    expect(PAGE).toContain('data-suite="x&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"');
  });
});

describe('renderHtml: content', () => {
  it('heads the page with target, banner, tool, date, duration, verdict and gate', () => {
    const head = PAGE.slice(PAGE.indexOf('<header'), PAGE.indexOf('</header>'));
    expect(head).toContain('<h1>127.0.0.1:40123</h1>');
    expect(head).toContain('<span class="verdict v-failed" data-verdict="failed">failed</span>');
    expect(head).toContain('1 case at or above the must level failed: the run fails (exit 1).');
    expect(head).toContain('smtpgauge 0.1.0');
    expect(head).toContain(
      '<time datetime="2026-11-23T10:00:00.000Z">2026-11-23 10:00:00 UTC</time>',
    );
    expect(head).toContain('<dt>Duration</dt><dd>4.18 s</dd>');
    expect(head).toContain('<dt>Gate</dt>');
    expect(head).toContain('<dt>Interrupted</dt><dd>no</dd>');
    expect(head).toContain('<code class="chip">SIZE 1000</code>');
    expect(head).not.toContain('class="alert"');
    const interrupted = renderHtml(sampleReport({ interrupted: true }));
    expect(interrupted).toContain('<p class="alert" role="note"><strong>Interrupted.</strong>');
    expect(interrupted).toContain('<dt>Interrupted</dt><dd><strong class="yes">yes</strong></dd>');
  });

  it('counts cases by level and verdict, failed split into failed, warned and known', () => {
    const must = startTags(PAGE, 'tr').find((tr) => tr.includes('data-level="must"'));
    expect(must).toBeDefined();
    const row = (level: string) =>
      PAGE.slice(PAGE.indexOf(`<tr data-level="${level}">`)).split('</tr>')[0]!;
    const cell = (level: string, verdict: string) =>
      Number(row(level).match(new RegExp(`data-verdict="${verdict}">(\\d+)<`))![1]);
    expect(
      ['passed', 'failed', 'warned', 'known', 'skipped', 'error'].map((v) => cell('must', v)),
    ).toEqual([1, 1, 0, 1, 1, 0]);
    expect(cell('should', 'warned')).toBe(1);
    expect(cell('may', 'error')).toBe(1);
    expect(cell('all', 'total')).toBe(REPORT.summary.total);
    expect(cell('all', 'failed')).toBe(REPORT.summary.gatingFailures);
    expect(cell('all', 'known')).toBe(REPORT.summary.accepted);
  });

  it('groups suites by RFC in numeric order, with a subtotal row for an RFC of several', () => {
    const table = PAGE.slice(PAGE.indexOf('<table class="counts compliance"'));
    const groups = [...table.matchAll(/<tbody class="rfc-group" data-rfc="(\d+)">/g)].map(
      (m) => m[1],
    );
    expect(groups).toEqual(['1870', '5321']);
    expect(table).toContain(
      '<tr class="rfc-row single" data-rfc="1870" data-suite="rfc1870-size">',
    );
    const rfc5321 = table.slice(
      table.indexOf('data-rfc="5321"'),
      table.indexOf('</tbody>', table.indexOf('data-rfc="5321"')),
    );
    expect(rfc5321).toContain('RFC 5321<span class="sub">2 suites</span>');
    expect(rfc5321.match(/data-verdict="total">(\d+)</)![1]).toBe('6');
    expect(rfc5321).toContain('<tr data-suite="rfc5321-rcpt">');
    expect(rfc5321).toContain('aria-label="passed 2, failed 1, warned 1, known 1"');
  });

  it('lists every case with verdict, level, RFC section and title; failures and errors open', () => {
    const cases = startTags(PAGE, 'details').filter((tag) => tag.includes('class="case'));
    expect(cases).toHaveLength(REPORT.summary.total);
    const opened = cases
      .filter((tag) => / open>$/.test(tag))
      .map((tag) => tag.match(/data-verdict="(\w+)"/)![1]);
    expect(opened.sort()).toEqual(['error', 'failed', 'warned']);
    const failed = caseElement(PAGE, 'rfc5321-rcpt/rcpt-before-mail');
    expect(failed).toContain('<span class="badge v-failed"');
    expect(failed).toContain('<span class="lvl l-must">MUST</span>');
    expect(failed).toContain('<span class="ref">RFC 5321 §3.3</span>');
    expect(failed).toContain('the rcpt-before-mail case');
    expect(failed).toContain(
      '<dt>expected</dt><dd><code>503 to RCPT TO:&lt;postmaster@example.test&gt;</code></dd>',
    );
    expect(failed).toContain(
      '<code class="location">suites/rfc5321/rcpt.yaml:14:9</code> (step 2)',
    );
    const warned = caseElement(PAGE, 'rfc5321-rcpt/rcpt-warned');
    expect(warned).toContain('<span class="timeout">no reply in time</span>');
    expect(warned).toContain('Failed below the gate');
    expect(caseElement(PAGE, 'rfc1870-size/size-skipped')).toContain(
      '<span class="skip-reason">SIZE not advertised</span>',
    );
  });

  it('shows the transcript with µs offsets, escapes and redactions marked', () => {
    const failed = caseElement(PAGE, 'rfc5321-rcpt/rcpt-before-mail');
    const pre = failed.slice(failed.indexOf('<pre class="transcript"'), failed.indexOf('</pre>'));
    const lines = pre.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain(
      '<span class="at" title="412 µs">   0.412 ms</span>  <span class="dir">S:</span> 220 mx.example.test ESMTP',
    );
    expect(lines[2]).toContain('title="2104061 µs">2104.061 ms</span>');
    expect(lines[2]).toContain('<span class="esc">\\r</span><span class="esc">\\n</span>');
    expect(lines[3]).toContain('AUTH PLAIN <span class="redacted">&lt;redacted&gt;</span>');
    // As text (tags dropped, entities read), each line is "offset  DIR: text".
    const text = lines[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
    expect(text).toBe('   1.530 ms  C: RCPT TO:<postmaster@example.test>');
  });

  it('shows the accepted deviation and the stale baseline entry distinctly', () => {
    const known = caseElement(PAGE, 'rfc5321-rcpt/rcpt-known');
    expect(known).toMatch(/^<details class="case v-known"[^>]*data-verdict="known"[^>]*>/);
    expect(known).toContain('<strong>Known deviation</strong> (baseline): accepted on purpose');
    const stale = caseElement(PAGE, 'rfc5321-rcpt/rcpt-stale');
    expect(stale).toMatch(/^<details class="case v-passed stale"/);
    expect(stale).toContain('stale baseline entry</span>');
    expect(PAGE).toContain(
      '<li data-stale="rfc5321-rcpt/rcpt-stale"><a href="#case:rfc5321-rcpt/rcpt-stale">',
    );
    expect(PAGE).toContain('1 failure accepted as a known deviation');
  });

  it('has a hidden filter bar with a button per verdict and level present, for the script to show', () => {
    const start = PAGE.indexOf('<div class="filters"');
    const bar = PAGE.slice(start, PAGE.indexOf('</div>\n</div>', start));
    expect(bar.startsWith('<div class="filters" id="filters" hidden>')).toBe(true);
    const buttons = [...bar.matchAll(/data-filter="(\w+)" data-value="(\w+)"/g)].map(
      (m) => `${m[1]}=${m[2]}`,
    );
    expect(buttons).toEqual([
      'verdict=passed',
      'verdict=failed',
      'verdict=warned',
      'verdict=known',
      'verdict=skipped',
      'verdict=error',
      'level=must',
      'level=should',
      'level=may',
      'level=info',
    ]);
    expect(bar).toContain('aria-pressed="false"');
    expect(PAGE).toContain('bar.hidden = false;');
    expect(PAGE).toContain('<noscript>');
  });

  it('is built from one section per part of the result', () => {
    expect(SECTION_RENDERERS).toHaveLength(2);
    expect(reportSections(REPORT).map((s) => s.id)).toEqual(['conformance']);
    expect(PAGE).toContain(
      '<section class="part" id="conformance" aria-labelledby="conformance-title">',
    );
    expect(PAGE).toContain('<nav class="contents" aria-label="Contents">');
  });
});

describe('case verdicts and display formats', () => {
  it('split failures by what they do to the run', () => {
    const verdicts = REPORT.conformance.suites.flatMap((s) =>
      s.cases.map((c) => `${c.id}:${caseVerdict(c, 'must')}`),
    );
    expect(verdicts).toContain('rcpt-warned:warned');
    expect(verdicts).toContain('rcpt-known:known');
    expect(caseVerdict(RCPT.cases[2]!, 'should')).toBe('failed');
    const counts = countVerdicts(
      REPORT.conformance.suites.flatMap((s) => s.cases),
      'must',
    );
    expect(counts.failed + counts.warned + counts.known).toBe(REPORT.summary.counts.failed);
  });

  it('formats durations, offsets and instants without locale or time zone', () => {
    expect([0.04, 3.214, 418.4, 4180, 62_500, 3_725_000].map(formatDuration)).toEqual([
      '0 ms',
      '3.2 ms',
      '418 ms',
      '4.18 s',
      '1 min 03 s',
      '1 h 02 min',
    ]);
    expect(formatOffset(412)).toBe('0.412 ms');
    expect(formatTimestamp('2026-01-02T03:04:05.678Z')).toBe('2026-01-02 03:04:05 UTC');
    expect(formatTimestamp('not a date')).toBe('not a date');
  });
});
