import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadReport } from '../../src/report/load-report.js';
import { removeTempDirs, repoPath, runCli, tempDir } from '../cli/cli-harness.js';
import { CHROMIUM, CHROMIUM_FLAGS, VIEWPORT } from './chromium.js';
import { readPng } from './png-pixels.js';

/**
 * The load half of report.html in a real browser: Debian's Chromium (/usr/bin/chromium,
 * scripts/install-chromium.sh), headless through playwright-core, on the report of a real load
 * run of the CLI, in-process (the smoke profile against the embedded sink, one thread).
 */
const SCREENSHOT = repoPath('reports/screenshots/load.png');

let browser: BrowserContext | undefined;
let cwd: string;
let report: LoadReport;
let page: Page;
let url: string;
const problems: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is not installed: the HTML report's browser tests need Debian's chromium. ` +
        'Run scripts/install-chromium.sh (as root), then the tests again.',
    );
  cwd = await tempDir();
  const outcome = await runCli(
    [
      'load',
      repoPath('suites/load/smoke.yaml'),
      '--duration',
      '3s',
      '--format',
      'json,html',
      '--out',
      'out',
      '--workers',
      '1',
    ],
    { cwd },
  );
  expect(outcome.stderr).toBe('');
  expect(outcome.code).toBe(0);
  report = JSON.parse(await readFile(join(cwd, 'out', 'report.json'), 'utf8')) as LoadReport;
  expect(report.summary.ok).toBeGreaterThan(100);

  browser = await chromium.launchPersistentContext(await tempDir('smtpgauge-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    colorScheme: 'light',
  });
  page = await browser.newPage();
  url = pathToFileURL(join(cwd, 'out', 'report.html')).href;
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.route('**/*', (route) =>
    route.request().url() === url ? route.continue() : route.abort(),
  );
  await page.goto(url, { waitUntil: 'load' });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await removeTempDirs();
});

/** Per chart (`data-chart`), per series (its `<title>`), the points drawn: path vertices or dots. */
async function drawnPoints(): Promise<Record<string, Record<string, number>>> {
  return page.evaluate(`Object.fromEntries([...document.querySelectorAll('figure[data-chart]')].map((figure) => {
    const series = {};
    for (const path of figure.querySelectorAll('svg path.series')) {
      const box = path.getBBox();
      // A drawn line has extent; a path of one repeated point would not.
      if (box.width === 0 && box.height === 0) continue;
      series[path.querySelector('title').textContent] = (path.getAttribute('d').match(/[ML]/g) || []).length;
    }
    for (const dot of figure.querySelectorAll('svg circle.series')) {
      const name = dot.classList.contains('point') ? 'dots' : dot.querySelector('title').textContent;
      series[name] = (series[name] || 0) + 1;
    }
    return [figure.dataset.chart, series];
  }))`);
}

describe('report.html of a real load run, opened in Chromium', () => {
  it('loads with no console or page error, runs no script, and requests nothing but itself', async () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('section#load').isVisible()).toBe(true);
  });

  it('is rendered again byte for byte by `smtpgauge report --format html`', async () => {
    const again = await runCli(
      ['report', 'out/report.json', '--format', 'html', '--out', 'again'],
      { cwd },
    );
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(await readFile(join(cwd, 'again', 'report.html'), 'utf8')).toBe(
      await readFile(join(cwd, 'out', 'report.html'), 'utf8'),
    );
  });

  it('shows the counts, the throughput and the verdicts of the report', async () => {
    expect(await page.locator('.headline .verdict').textContent()).toBe('passed');
    const tiles = await page.evaluate<Record<string, { value: number; text: string }>>(
      `Object.fromEntries([...document.querySelectorAll('[data-summary]')].map((t) =>
        [t.dataset.summary, { value: Number(t.dataset.value), text: t.querySelector('.n').textContent }]))`,
    );
    const s = report.summary;
    expect(tiles.messages).toEqual({ value: s.messages, text: String(s.messages) });
    expect(tiles.ok).toEqual({ value: s.ok, text: String(s.ok) });
    expect(tiles.failed).toEqual({ value: s.failed, text: String(s.failed) });
    expect(tiles.errors).toEqual({ value: s.errors, text: String(s.errors) });
    expect(tiles.dropped).toEqual({ value: s.dropped, text: String(s.dropped) });
    expect(tiles.throughput).toEqual({ value: s.throughput, text: s.throughput.toFixed(1) });

    const rows = page.locator('#threshold-table tbody tr');
    expect(await rows.count()).toBe(report.load.thresholds.length);
    for (const [i, t] of report.load.thresholds.entries()) {
      const row = rows.nth(i);
      expect(await row.locator('code').textContent()).toBe(t.expression);
      expect(await row.getAttribute('data-ok')).toBe(String(t.ok));
      expect(await row.locator('.badge').first().textContent()).toBe(t.ok ? 'passed' : 'failed');
      expect(await row.locator('.reason').textContent()).toBe(t.reason);
    }
    const p99 = report.load.snapshot.phases.message!.p99;
    const cell = page.locator('#phase-table tr[data-phase="message"] td[data-stat="p99"]');
    expect(await cell.textContent()).toBe(p99.toFixed(3));
    const lag = page.locator('[data-health="scheduleLagP99Ms"]');
    expect(Number(await lag.getAttribute('data-value'))).toBe(report.load.health.scheduleLagP99Ms);
  });

  it('draws every chart, with a point per interval or per percentile', async () => {
    const { intervals, intervalMs } = report.load.snapshot.series;
    const full = intervals.filter((i) => i.durationMs >= intervalMs / 2).length;
    const withLatency = intervals.filter((i) => i.p99 !== null).length;
    expect(full).toBeGreaterThanOrEqual(2);
    const drawn = await drawnPoints();
    expect(drawn['percentiles-over-time']).toEqual({
      p50: withLatency,
      p90: withLatency,
      p99: withLatency,
    });
    expect(drawn['throughput-over-time']!['messages/s']).toBe(full);
    expect(drawn['codes-over-time']!['2xx']).toBe(full);
    expect(drawn['latency-vs-throughput']).toEqual({ dots: full });
    expect(drawn['active-sessions']).toEqual({ 'open sessions': intervals.length });
    const message = report.load.snapshot.phases.message!;
    expect(drawn.distribution!['message (from the intended start)']).toBe(
      message.distribution.length + 1,
    );
    // A chart per phase, each drawn (a phase of one value is a flat line, still a line).
    for (const phase of Object.keys(report.load.snapshot.phases).filter((p) => p !== 'message'))
      expect(Object.values(drawn[`distribution-${phase}`] ?? {}), phase).toHaveLength(1);
    expect(Object.keys(drawn)).toHaveLength(
      1 + Object.keys(report.load.snapshot.phases).length - 1 + 6,
    );
  });

  it('takes a screenshot of the whole page (reports/screenshots/load.png)', async () => {
    await page.evaluate('window.scrollTo(0, 0)');
    await mkdir(repoPath('reports/screenshots'), { recursive: true });
    const png = await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const image = readPng(png);
    const height = await page.evaluate<number>('document.documentElement.scrollHeight');
    expect([image.width, image.height]).toEqual([VIEWPORT.width, height]);
    // Laid out: the header, the tables and a dozen charts make a long page.
    expect(height).toBeGreaterThan(3000);
    expect(image.pixel(2, 2)).toEqual([255, 255, 255]);
    // The verdict badge is there, in the passed colour (#1a7f37).
    const badge = (await page.locator('.headline .verdict').boundingBox())!;
    const [r, g, b] = image.pixel(Math.round(badge.x + 4), Math.round(badge.y + badge.height / 2));
    expect(g).toBeGreaterThan(100);
    expect(r).toBeLessThan(60);
    expect(b).toBeLessThan(90);
    // A chart's line is drawn in its colour (#0072b2): the middle of the throughput line.
    const at = await page.evaluate<{ x: number; y: number }>(`(() => {
      const path = document.querySelector('figure[data-chart="throughput-over-time"] path.series.s0');
      const point = path.getPointAtLength(path.getTotalLength() / 2);
      const p = new DOMPoint(point.x, point.y).matrixTransform(path.getScreenCTM());
      return { x: Math.round(p.x + window.scrollX), y: Math.round(p.y + window.scrollY) };
    })()`);
    const [lr, lg, lb] = image.pixel(at.x, at.y);
    expect(lb).toBeGreaterThan(lr + 60);
    expect(lb).toBeGreaterThan(lg + 20);
  });
});
