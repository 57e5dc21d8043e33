import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/metrics/histogram-codec.js';
import type { LatencyHistogram } from '../../src/metrics/latency-histogram.js';
import type { LoadReport } from '../../src/report/load-report.js';
import { removeTempDirs, repoPath, runCli, tempDir, yamlText } from './cli-harness.js';

/**
 * `merge` and `compare` over real stored load results: two load runs against the embedded sink
 * (different seeds), merged losslessly and compared with and without --max-regression.
 */
const SMOKE = repoPath('suites', 'load', 'smoke.yaml');
let dir: string;
let a: LoadReport;
let b: LoadReport;

async function loadRun(out: string, ...extra: string[]): Promise<LoadReport> {
  const outcome = await runCli([
    'load',
    SMOKE,
    '--duration',
    '1500ms',
    '--workers',
    '1',
    '--out',
    out,
    ...extra,
  ]);
  expect(outcome.code, outcome.stderr).toBe(0);
  return JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as LoadReport;
}

function histogram(encoded: string): LatencyHistogram {
  const decoded = decodeHistogram(encoded);
  if (!decoded.ok) throw new Error(decoded.message);
  return decoded.histogram;
}

beforeAll(async () => {
  dir = await tempDir('smtpgauge-merge-');
  a = await loadRun(join(dir, 'a'), '--seed', '1');
  b = await loadRun(join(dir, 'b'), '--seed', '2', '--warm-up', '200ms');
}, 60_000);
afterAll(removeTempDirs);

describe('merge', () => {
  it('sums the counters and merges the histograms losslessly, thresholds evaluated again', async () => {
    const out = join(dir, 'merged.json');
    const outcome = await runCli([
      'merge',
      join(dir, 'a', 'report.json'),
      join(dir, 'b', 'report.json'),
      '-o',
      out,
    ]);
    expect(outcome.code, outcome.stderr).toBe(0);
    const merged = JSON.parse(await readFile(out, 'utf8')) as LoadReport;
    const ok = (r: LoadReport) => r.load.snapshot.counters.messages.ok;
    expect(ok(merged)).toBe(ok(a) + ok(b));
    expect(merged.load.workers).toBe(2);
    // Only b warmed up: its warm-up's messages stay counted, whichever shard comes first.
    expect(b.load.warmUp!.attempted).toBeGreaterThan(0);
    expect(merged.load.warmUp).toEqual(b.load.warmUp);
    const eod = histogram(a.load.snapshot.phases.eod!.histogram);
    eod.add(histogram(b.load.snapshot.phases.eod!.histogram));
    const summary = eod.summarise();
    expect(merged.load.snapshot.phases.eod).toMatchObject({
      count: summary.count,
      p50: summary.p50,
      p99: summary.p99,
      max: summary.max,
    });
    expect(merged.load.thresholds.map((t) => t.expression)).toEqual(
      a.load.thresholds.map((t) => t.expression),
    );
    expect(merged.summary.verdict).toBe('passed');
  });

  it('refuses a mix of load and conformance results, and a non-result, with exit 2', async () => {
    const conformance = await runCli(['run', 'rfc5321/noop.yaml', '--out', join(dir, 'c')], {
      cwd: repoPath('suites'),
    });
    expect(conformance.code).toBe(0);
    const mixed = await runCli([
      'merge',
      join(dir, 'a', 'report.json'),
      join(dir, 'c', 'report.json'),
      '-o',
      join(dir, 'x.json'),
    ]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/one kind/);
    const bad = await runCli([
      'merge',
      join(dir, 'a', 'report.json'),
      SMOKE,
      '-o',
      join(dir, 'y.json'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not JSON/);
  }, 60_000);
});

describe('compare for load results', () => {
  it('lists per-phase latency and throughput changes, exit 0 without --max-regression', async () => {
    const outcome = await runCli([
      'compare',
      join(dir, 'a', 'report.json'),
      join(dir, 'b', 'report.json'),
    ]);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^throughput \(\/s\)\s+\d/m);
    expect(outcome.stdout).toMatch(/^p99\(eod\) \(ms\)/m);
    expect(outcome.stdout).toMatch(/only thresholds gate/);
  });

  it('exits 1 when a threshold newly fails', async () => {
    const strict = await runCli([
      'load',
      SMOKE,
      '--duration',
      '1s',
      '--workers',
      '1',
      '--out',
      join(dir, 'strict'),
      '--threshold',
      'p99(eod) < 1us',
    ]);
    expect(strict.code).toBe(1);
    const outcome = await runCli([
      'compare',
      join(dir, 'a', 'report.json'),
      join(dir, 'strict', 'report.json'),
    ]);
    expect(outcome.stdout).toMatch(/threshold p99\(eod\) < 1us: absent → failed/);
    expect(outcome.code).toBe(1);
  }, 30_000);

  it('exits 1 beyond --max-regression, and refuses a malformed percentage', async () => {
    const profile = join(dir, 'slow.yaml');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      profile,
      yamlText(
        'title: slow',
        'duration: 1s',
        'model: { kind: closed, sessions: 1, think-time: 50ms }',
      ),
    );
    const slow = await runCli(['load', profile, '--workers', '1', '--out', join(dir, 'slow')]);
    expect(slow.code, slow.stderr).toBe(0);
    // The smoke run sends 100/s, the slow one about 20/s: throughput fell by far more than 10%.
    const outcome = await runCli([
      'compare',
      join(dir, 'a', 'report.json'),
      join(dir, 'slow', 'report.json'),
      '--max-regression',
      '10%',
    ]);
    expect(outcome.stdout).toMatch(/^throughput.*REGRESSION$/m);
    expect(outcome.code).toBe(1);
    const bad = await runCli([
      'compare',
      join(dir, 'a', 'report.json'),
      join(dir, 'b', 'report.json'),
      '--max-regression',
      'lots',
    ]);
    expect(bad.code).toBe(2);
  }, 30_000);
});
