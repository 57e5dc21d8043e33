import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../../src/report/conformance-report.js';
import {
  probePort,
  readReport,
  removeTempDirs,
  repoPath,
  runCli,
  tempDir,
  type CliOutcome,
} from './cli-harness.js';

afterAll(removeTempDirs);

/** `suite:` ids of the built-in suite files, read from the files themselves. */
async function builtinSuiteIds(): Promise<string[]> {
  const dir = repoPath('suites', 'rfc5321');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml'));
  return Promise.all(
    files.map(async (f) => /^suite: (\S+)$/m.exec(await readFile(join(dir, f), 'utf8'))![1]!),
  );
}

// `npx smtpgauge run` on a fresh machine: every built-in suite against the embedded target.
// One run (~12 s: smtp-server's 100 ms greeting delay per case), several assertions on it.
describe('run with no --target (embedded reference target, built-in suites)', () => {
  let outcome: CliOutcome;
  let report: ConformanceReport;

  beforeAll(async () => {
    outcome = await runCli(['run']);
    report = await readReport(join(outcome.cwd, 'reports', 'report.json'));
  }, 60_000);

  it('exits 0 and writes reports/report.json under the cwd, with nothing else left there', async () => {
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(await readdir(join(outcome.cwd, 'reports'))).toEqual(['report.json']);
  });

  it('writes a schema-1 report of a passed run against a 220-greeting target', () => {
    expect(report.schemaVersion).toBe(1);
    expect(report.tool.name).toBe('smtpgauge');
    const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string };
    expect(report.tool.version).toBe(pkg.version);
    expect(report.target.host).toBe('127.0.0.1');
    expect(report.target.banner).toMatch(/^220 /);
    expect(report.target.capabilities).toEqual(expect.arrayContaining(['PIPELINING', 'STARTTLS']));
    expect(report.interrupted).toBe(false);
    expect(Number.isNaN(Date.parse(report.startedAt))).toBe(false);
    expect(report.durationMs).toBeGreaterThan(0);
    expect(report.summary.verdict).toBe('passed');
    expect(report.summary.gate).toBe('must');
    expect(report.summary.byLevel.must.failed).toBe(0);
    expect(report.summary.byLevel.must.error).toBe(0);
    expect(report.summary.byLevel.must.passed).toBeGreaterThan(0);
    expect(report.summary.gatingFailures).toBe(0);
  });

  it('reports every built-in suite, named suites/… whatever the cwd, and the reply-syntax suite', async () => {
    const ids = report.conformance.suites.map((s) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining([...(await builtinSuiteIds()), 'rfc5321-reply-syntax']),
    );
    for (const suite of report.conformance.suites.filter((s) => s.id !== 'rfc5321-reply-syntax'))
      expect(suite.file).toMatch(/^suites\/[a-z0-9-]+\/[a-z0-9-]+\.yaml$/);
  });

  it('has summary counts that agree with the cases', () => {
    const cases = report.conformance.suites.flatMap((s) => s.cases);
    expect(report.summary.total).toBe(cases.length);
    for (const status of ['passed', 'failed', 'skipped', 'error'] as const)
      expect(report.summary.counts[status]).toBe(cases.filter((c) => c.status === status).length);
    expect(cases.filter((c) => c.level === 'must' && c.status === 'failed')).toEqual([]);
  });

  it('prints the level table and the PASSED verdict with the report path', () => {
    expect(outcome.stdout).toMatch(/^target {3}127\.0\.0\.1:\d+ {2}220 /m);
    expect(outcome.stdout).toMatch(/^level +passed +failed +skipped +error$/m);
    expect(outcome.stdout).toMatch(/^must +\d+ +0 +\d+ +0$/m);
    expect(outcome.stdout).toMatch(/^PASSED: \d+ passed, .*Report: reports\/report\.json$/m);
    expect(outcome.stdout).not.toMatch(/^FAIL /m);
  });

  it('stops the embedded target when the run ends', async () => {
    expect(await probePort(report.target.port)).toBe('refused');
  });
});

describe('run --out', () => {
  it('writes report.json into the given directory (created if missing), not reports/', async () => {
    const out = join(await tempDir('smtpgauge-out-'), 'nested', 'dir');
    const outcome = await runCli(['run', repoPath('suites/rfc5321/noop.yaml'), '--out', out]);
    expect(outcome.code).toBe(0);
    expect(await readdir(out)).toEqual(['report.json']);
    expect(await readdir(outcome.cwd)).toEqual([]);
    const report = await readReport(join(out, 'report.json'));
    expect(report.summary.verdict).toBe('passed');
    expect(report.conformance.suites.map((s) => s.id)).toEqual([
      'rfc5321-noop',
      'rfc5321-reply-syntax',
    ]);
    expect(outcome.stdout).toContain(`Report: ${relative(outcome.cwd, join(out, 'report.json'))}`);
  });
});
