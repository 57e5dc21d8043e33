import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../../src/report/conformance-report.js';
import {
  closeScripted,
  readReport,
  removeTempDirs,
  repoPath,
  runCli,
  scripted,
  tempDir,
  yamlText,
} from '../cli/cli-harness.js';
import { CHROMIUM, CHROMIUM_FLAGS, VIEWPORT } from './chromium.js';
import { readPng } from './png-pixels.js';

/**
 * report.html in a real browser: Debian's Chromium (/usr/bin/chromium, installed by
 * scripts/install-chromium.sh), driven headless by playwright-core. The reports come from real
 * runs of the CLI, in-process: the embedded target, a scripted server with broken rules and a
 * baseline, and a hostile server whose replies carry markup and control bytes.
 */
const SCREENSHOT = repoPath('reports/screenshots/conformance.png');

let browser: BrowserContext | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is not installed: the HTML report's browser tests need Debian's chromium. ` +
        'Run scripts/install-chromium.sh (as root), then the tests again.',
    );
  browser = await chromium.launchPersistentContext(await tempDir('smtpgauge-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    colorScheme: 'light',
  });
}, 60_000);

afterEach(closeScripted);
afterAll(async () => {
  await browser?.close();
  await removeTempDirs();
});

interface OpenedReport {
  page: Page;
  url: string;
  /** Console errors and warnings, and uncaught page errors. */
  problems: string[];
  /** Every URL the page asked for, the file's own included. */
  requests: string[];
  /** alert(), confirm() and prompt() calls. */
  dialogs: string[];
}

/** Opens a report file in a new tab; anything but the file itself is recorded and refused. */
async function openReport(path: string): Promise<OpenedReport> {
  const page = await browser!.newPage();
  const url = pathToFileURL(path).href;
  const opened: OpenedReport = { page, url, problems: [], requests: [], dialogs: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      opened.problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => opened.problems.push(`page error: ${error.message}`));
  page.on('request', (request) => opened.requests.push(request.url()));
  page.on('dialog', (dialog) => {
    opened.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.route('**/*', (route) =>
    route.request().url() === url ? route.continue() : route.abort(),
  );
  await page.goto(url, { waitUntil: 'load' });
  return opened;
}

/** Nothing went wrong in the page, and it loaded nothing but itself. */
function expectCleanLoad(opened: OpenedReport): void {
  expect(opened.problems).toEqual([]);
  expect(opened.dialogs).toEqual([]);
  expect(opened.requests).toEqual([opened.url]);
}

type Counts = Record<string, Record<string, number>>;

/** The count tables read back from the DOM: row key → verdict → number. */
async function countTable(page: Page, table: string, rowKey: string): Promise<Counts> {
  return page.evaluate(`Object.fromEntries(
    [...document.querySelectorAll('${table} tr[data-${rowKey}]')].map((tr) => [
      tr.dataset['${rowKey}'],
      Object.fromEntries(
        [...tr.querySelectorAll('td[data-verdict]')].map((td) => [td.dataset.verdict, Number(td.textContent)]),
      ),
    ]),
  )`);
}

/** The DOM's by-level table agrees with the report's summary, cell by cell. */
async function expectSummaryMatches(page: Page, report: ConformanceReport): Promise<void> {
  const byLevel = await countTable(page, '#by-level', 'level');
  for (const [level, counts] of Object.entries(report.summary.byLevel)) {
    const row = byLevel[level]!;
    expect(row.passed, level).toBe(counts.passed);
    expect(row.skipped, level).toBe(counts.skipped);
    expect(row.error, level).toBe(counts.error);
    expect(row.failed! + row.warned! + (row.known ?? 0), level).toBe(counts.failed);
    expect(row.total, level).toBe(counts.passed + counts.failed + counts.skipped + counts.error);
  }
  const all = byLevel.all!;
  expect(all.total).toBe(report.summary.total);
  expect(all.failed).toBe(report.summary.gatingFailures);
  expect(all.known ?? 0).toBe(report.summary.accepted);
  expect(all.passed).toBe(report.summary.counts.passed);
  const tiles = await page.evaluate<Record<string, number>>(`Object.fromEntries(
    [...document.querySelectorAll('[data-summary]')].map((t) => [t.dataset.summary, Number(t.querySelector('.n').textContent)]))`);
  expect(tiles.total).toBe(report.summary.total);
  expect(tiles.failed).toBe(report.summary.gatingFailures);
  const bySuite = await countTable(page, '#by-rfc', 'suite');
  for (const suite of report.conformance.suites) {
    expect(bySuite[suite.id]!.total, suite.id).toBe(suite.cases.length);
    expect(bySuite[suite.id]!.passed, suite.id).toBe(
      suite.cases.filter((c) => c.status === 'passed').length,
    );
  }
}

async function visibleCases(page: Page, verdict?: string): Promise<number> {
  const selector = verdict ? `details.case[data-verdict="${verdict}"]` : 'details.case';
  return page.locator(`${selector}:visible`).count();
}

const BASELINE = yamlText(
  'deviations:',
  '  - case: rfc5321-unknown-commands/unknown-command-500',
  '    reason: "the MTA answers unknown verbs with 250 by design"',
  '  - case: rfc5321-noop/noop-accepted',
  '    reason: "listed long ago; NOOP works now"',
);

describe('report.html of a run with failures, opened in Chromium', () => {
  let report: ConformanceReport;
  let opened: OpenedReport;
  let cwd: string;

  beforeAll(async () => {
    cwd = await tempDir();
    await writeFile(join(cwd, 'baseline.yaml'), BASELINE);
    const server = await scripted('rcpt-before-mail-accepted', 'unknown-verb-250', 'help-500');
    const suites = ['sequencing', 'unknown-commands', 'noop', 'vrfy-expn-help'].map((name) =>
      repoPath(`suites/rfc5321/${name}.yaml`),
    );
    const outcome = await runCli(
      [
        'run',
        ...suites,
        '--target',
        `127.0.0.1:${server.port}`,
        '--timeout',
        '2s',
        '--baseline',
        'baseline.yaml',
        '--format',
        'json,html,junit',
        '--out',
        'out',
      ],
      { cwd },
    );
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(1);
    report = await readReport(join(cwd, 'out', 'report.json'));
    expect(report.summary.gatingFailures).toBeGreaterThan(0);
    expect(report.summary.accepted).toBe(1);
    expect(report.summary.staleBaseline).toEqual(['rfc5321-noop/noop-accepted']);
    opened = await openReport(join(cwd, 'out', 'report.html'));
  }, 60_000);

  it('loads with no console or page error, and requests nothing but itself', () => {
    expectCleanLoad(opened);
  });

  it('is rendered again byte for byte by `smtpgauge report --format html`', async () => {
    const again = await runCli(
      ['report', 'out/report.json', '--format', 'html', '--out', 'again'],
      {
        cwd,
      },
    );
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('wrote again/report.html\n');
    expect(await readFile(join(cwd, 'again', 'report.html'), 'utf8')).toBe(
      await readFile(join(cwd, 'out', 'report.html'), 'utf8'),
    );
  });

  it('shows the summary numbers of the report', async () => {
    await expectSummaryMatches(opened.page, report);
    const verdict = opened.page.locator('.headline .verdict');
    expect(await verdict.textContent()).toBe('failed');
  });

  it('opens each failed case, with expected and actual, its place and the whole transcript', async () => {
    const failed = report.conformance.suites.flatMap((suite) =>
      suite.cases
        .filter((c) => c.status === 'failed' && !c.accepted && c.level === 'must')
        .map((c) => ({ suite, result: c })),
    );
    expect(failed.length).toBe(report.summary.gatingFailures);
    for (const { suite, result } of failed) {
      const item = opened.page.locator(`details[id="case:${suite.id}/${result.id}"]`);
      expect(await item.getAttribute('open'), result.id).toBe('');
      const transcript = item.locator('pre.transcript');
      expect(await transcript.isVisible()).toBe(true);
      const text = (await transcript.textContent())!;
      for (const entry of result.transcript) {
        expect(text).toContain(
          `${(entry.atMicros / 1000).toFixed(3)} ms  ${entry.dir}: ${entry.text}\n`,
        );
      }
      expect(await item.locator('.failure .actual').textContent()).toBe(result.failure!.actual);
      expect(await item.locator('.failure .location').textContent()).toBe(result.failure!.location);
    }
    // Passed cases are closed; their transcript is one click away.
    const passed = opened.page.locator('details.case[data-verdict="passed"]').first();
    expect(await passed.getAttribute('open')).toBeNull();
    expect(await passed.locator('pre.transcript').isVisible()).toBe(false);
    await passed.locator('summary').click();
    expect(await passed.locator('pre.transcript').isVisible()).toBe(true);
    await passed.locator('summary').click();
  });

  it('shows the accepted deviation and the stale baseline entry apart from the rest', async () => {
    const known = opened.page.locator('details.case[data-verdict="known"]');
    expect(await known.count()).toBe(1);
    expect(await known.locator('.known-reason').textContent()).toContain('by design');
    const stale = opened.page.locator('details.case.stale');
    expect(await stale.getAttribute('id')).toBe('case:rfc5321-noop/noop-accepted');
    expect(await stale.locator('.badge.stale').isVisible()).toBe(true);
    expect(await opened.page.locator('.stale-list').textContent()).toBe(
      'rfc5321-noop/noop-accepted',
    );
  });

  it('filters by verdict and level with the buttons, and shows all again', async () => {
    const page = opened.page;
    const total = report.summary.total;
    expect(await visibleCases(page)).toBe(total);
    await page.click('button[data-filter="verdict"][data-value="failed"]');
    expect(await visibleCases(page, 'passed')).toBe(0);
    expect(await visibleCases(page)).toBe(report.summary.gatingFailures);
    expect(await page.locator('details.case[data-verdict="failed"]').first().isVisible()).toBe(
      true,
    );
    expect(await page.textContent('#shown-count')).toBe(
      `Showing ${report.summary.gatingFailures} of ${total} cases`,
    );
    // A suite with no failed case disappears with its cases.
    expect(await page.locator('section.suite[data-suite="rfc5321-noop"]').isVisible()).toBe(false);

    await page.click('button[data-filter="verdict"][data-value="passed"]');
    await page.click('button[data-filter="level"][data-value="should"]');
    const shouldShown = report.conformance.suites
      .flatMap((s) => s.cases)
      .filter((c) => c.level === 'should' && c.status === 'passed').length;
    expect(await visibleCases(page)).toBe(shouldShown);
    expect(await visibleCases(page, 'failed')).toBe(0);

    await page.click('button[data-action="clear"]');
    expect(await visibleCases(page)).toBe(total);
    expect(await page.textContent('#shown-count')).toBe(`Showing all ${total} cases`);
    expectCleanLoad(opened);
  });

  it('is readable without JavaScript: every case shown, no dead filter bar', async () => {
    const file = await readFile(new URL(opened.url), 'utf8');
    const page = await browser!.newPage();
    await page.setContent(file.replace(/<script>[\s\S]*<\/script>/, ''));
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('#filters').isVisible()).toBe(false);
    expect(await visibleCases(page)).toBe(report.summary.total);
    expect(await page.locator('details.case[data-verdict="failed"][open]').count()).toBe(
      report.summary.gatingFailures,
    );
    await page.close();
  });

  it('takes a screenshot that shows the report (reports/screenshots/conformance.png)', async () => {
    const page = opened.page;
    await page.evaluate('window.scrollTo(0, 0)');
    await mkdir(repoPath('reports/screenshots'), { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT });
    const image = readPng(png);
    expect([image.width, image.height]).toEqual([VIEWPORT.width, VIEWPORT.height]);
    // Not blank: the verdict badge is there, in the failed colour (#cf222e), on a white page.
    const badge = (await page.locator('.headline .verdict').boundingBox())!;
    expect(badge.width).toBeGreaterThan(40);
    const [r, g, b] = image.pixel(Math.round(badge.x + 4), Math.round(badge.y + badge.height / 2));
    expect(r).toBeGreaterThan(180);
    expect(g).toBeLessThan(80);
    expect(b).toBeLessThan(80);
    expect(image.pixel(2, 2)).toEqual([255, 255, 255]);
    // Laid out, with every case in the page.
    const height = await page.evaluate<number>('document.documentElement.scrollHeight');
    expect(height).toBeGreaterThan(report.summary.total * 40);
  });
});

describe('report.html of the embedded target', () => {
  it('renders a real passing run: no errors, nothing fetched, the numbers of the report', async () => {
    const suites = ['greeting', 'noop', 'rset', 'quit'].map((name) =>
      repoPath(`suites/rfc5321/${name}.yaml`),
    );
    const outcome = await runCli(['run', ...suites, '--format', 'html']);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const report = await readReport(join(outcome.cwd, 'reports', 'report.json'));
    expect(report.summary.counts.passed).toBeGreaterThan(10);
    const opened = await openReport(join(outcome.cwd, 'reports', 'report.html'));
    expectCleanLoad(opened);
    await expectSummaryMatches(opened.page, report);
    expect(await opened.page.locator('.headline .verdict').textContent()).toBe('passed');
    expect(await opened.page.locator('details.case[open]').count()).toBe(
      report.summary.counts.failed + report.summary.counts.error,
    );
    await opened.page.close();
  }, 60_000);
});

/** A server whose greeting and replies carry markup, script and control bytes. */
async function startHostileServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write(`220 <b onmouseover="alert(3)">hostile</b> ESMTP "quoted" &amp; \x1b[31m\r\n`);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^QUIT/i.test(line)) return void socket.end('221 bye\r\n');
        if (/^EHLO/i.test(line)) socket.write('250-hostile.test\r\n250 <i>X-EVIL</i>\r\n');
        else socket.write(`500 ${HOSTILE_REPLY}\r\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

const HOSTILE_REPLY =
  '<script>alert(1)</script><img src=x onerror="window.pwned=1">\x00\x07\x1b[2K\x7f</pre></details>';

describe('report.html of a hostile server', () => {
  it('shows markup and control bytes from replies as text, and runs none of it', async () => {
    const hostile = await startHostileServer();
    try {
      const cwd = await tempDir();
      await writeFile(
        join(cwd, 'hostile.yaml'),
        yamlText(
          'suite: hostile',
          'title: "<script>alert(2)</script> in a title"',
          "rfc: '5321'",
          'cases:',
          '  - id: noop',
          '    title: NOOP is answered with 250',
          "    section: '4.1.1.9'",
          '    level: must',
          '    steps:',
          '      - ehlo',
          '      - send: NOOP',
          '        expect: 250',
        ),
      );
      const outcome = await runCli(
        ['run', 'hostile.yaml', '--target', `127.0.0.1:${hostile.port}`, '--format', 'html'],
        { cwd },
      );
      expect(outcome.code).toBe(1);
      const path = join(cwd, 'reports', 'report.html');
      const file = await readFile(path, 'utf8');
      expect(file).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/);
      expect(file).not.toContain('<script>alert');
      expect(file).not.toContain('<img');

      const opened = await openReport(path);
      expectCleanLoad(opened);
      const page = opened.page;
      expect(await page.locator('script').count()).toBe(1);
      expect(await page.locator('img, b, i').count()).toBe(0);
      expect(await page.evaluate('window.pwned')).toBeUndefined();
      const item = page.locator('details[id="case:hostile/noop"]');
      expect(await item.getAttribute('open')).toBe('');
      const actual = (await item.locator('.failure .actual').textContent())!;
      expect(actual).toContain('<script>alert(1)</script><img src=x onerror="window.pwned=1">');
      expect(actual).toContain('\\x1b[2K');
      expect(actual).not.toMatch(/[\x00-\x08\x1b\x7f]/);
      const transcript = (await item.locator('pre.transcript').textContent())!;
      expect(transcript).toContain('S: 500 <script>alert(1)</script>');
      expect(await page.locator('.meta code').first().textContent()).toContain(
        '<b onmouseover="alert(3)">hostile</b> ESMTP "quoted" &amp;',
      );
      expect(await page.locator('[data-suite="hostile"] .suite-title').textContent()).toBe(
        '<script>alert(2)</script> in a title',
      );
      // Hovering the banner runs nothing either.
      await page.locator('.meta code').first().hover();
      expectCleanLoad(opened);
      await page.close();
    } finally {
      await hostile.close();
    }
  }, 60_000);
});
