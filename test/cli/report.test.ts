import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { junitSchemaErrors, startTags } from '../report/junit-schema.js';
import {
  closeScripted,
  expectOneLineError,
  readReport,
  removeTempDirs,
  repoPath,
  runCli,
  scripted,
  tempDir,
} from './cli-harness.js';

const SEQUENCING = repoPath('suites/rfc5321/sequencing.yaml');

afterEach(closeScripted);
afterAll(removeTempDirs);

/** `run` against a scripted server that accepts RCPT without MAIL (two MUST cases fail). */
async function brokenRun(cwd: string, ...extra: string[]) {
  const server = await scripted('rcpt-before-mail-accepted');
  return runCli(
    ['run', SEQUENCING, '--target', `127.0.0.1:${server.port}`, '--timeout', '2s', ...extra],
    { cwd },
  );
}

describe('run --format', () => {
  it('json,junit writes report.json and a valid junit.xml, atomically, into --out', async () => {
    const cwd = await tempDir();
    const outcome = await brokenRun(cwd, '--format', 'json,junit', '--out', 'out');
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('');
    // Nothing else is left in --out: no temporary files.
    expect((await readdir(join(cwd, 'out'))).sort()).toEqual(['junit.xml', 'report.json']);
    const xml = await readFile(join(cwd, 'out', 'junit.xml'), 'utf8');
    expect(await junitSchemaErrors(xml)).toEqual([]);
    const report = await readReport(join(cwd, 'out', 'report.json'));
    expect(startTags(xml, 'testsuites')[0]).toMatchObject({
      tests: String(report.summary.total),
      failures: String(report.summary.gatingFailures),
    });
    expect(report.summary.gatingFailures).toBe(2);
    expect(startTags(xml, 'testsuite').map((t) => t.name)).toEqual([
      'rfc5321-sequencing',
      'rfc5321-reply-syntax',
    ]);
  });

  it('always writes report.json (the source for `report`); repeated --format works too', async () => {
    const cwd = await tempDir();
    await brokenRun(cwd, '--format', 'junit');
    expect((await readdir(join(cwd, 'reports'))).sort()).toEqual(['junit.xml', 'report.json']);
    const again = await tempDir();
    await brokenRun(again, '--format', 'junit', '--format', 'json');
    expect((await readdir(join(again, 'reports'))).sort()).toEqual(['junit.xml', 'report.json']);
  });

  it('refuses an unknown format with exit 2 and the choices, before running anything', async () => {
    const outcome = await runCli(['run', SEQUENCING, '--format', 'json,xml']);
    expect(outcome.code).toBe(2);
    const line = expectOneLineError(outcome.stderr);
    expect(line).toContain('Given: "xml"');
    expect(line).toContain('"junit"');
    expect(await readdir(outcome.cwd)).toEqual([]);
  });
});

describe('report', () => {
  it('re-renders junit.xml byte for byte as the run wrote it, next to the result or into --out', async () => {
    const cwd = await tempDir();
    await brokenRun(cwd, '--format', 'json,junit');
    const written = await readFile(join(cwd, 'reports', 'junit.xml'), 'utf8');
    const json = await readFile(join(cwd, 'reports', 'report.json'), 'utf8');

    const elsewhere = await runCli(['report', 'reports/report.json', '--out', 'again'], { cwd });
    expect(elsewhere.stderr).toBe('');
    expect(elsewhere.code).toBe(0);
    expect(elsewhere.stdout).toBe('wrote again/junit.xml\nwrote again/report.html\n');
    expect(await readFile(join(cwd, 'again', 'junit.xml'), 'utf8')).toBe(written);

    // Beside the result, and json re-rendered is the very same file.
    await mkdir(join(cwd, 'copy'));
    await writeFile(join(cwd, 'copy', 'result.json'), json);
    const beside = await runCli(['report', 'copy/result.json', '--format', 'junit,json'], { cwd });
    expect(beside.code).toBe(0);
    expect(beside.stdout).toBe('wrote copy/report.json\nwrote copy/junit.xml\n');
    expect(await readFile(join(cwd, 'copy', 'junit.xml'), 'utf8')).toBe(written);
    expect(await readFile(join(cwd, 'copy', 'report.json'), 'utf8')).toBe(json);
  });

  it('refuses what is not a smtpgauge result with exit 2 and one line naming the problem', async () => {
    const cwd = await tempDir();
    await brokenRun(cwd);
    const good = JSON.parse(await readFile(join(cwd, 'reports', 'report.json'), 'utf8'));
    good.conformance.suites[0].cases[1].status = 'ok';
    const files: Record<string, string> = {
      'hello.json': '{"hello": 1}',
      'text.json': 'not json at all',
      'newer.json': JSON.stringify({ schemaVersion: 2 }),
      'bad-case.json': JSON.stringify(good),
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(cwd, name), text);
    const expected: [string, RegExp][] = [
      [
        'hello.json',
        /^error: hello\.json: not a smtpgauge result: schemaVersion is missing, expected 1$/,
      ],
      ['text.json', /^error: text\.json: not JSON: /],
      [
        'newer.json',
        /^error: newer\.json: written by a newer smtpgauge \(schemaVersion 2; this one reads 1\)$/,
      ],
      [
        'bad-case.json',
        /^error: bad-case\.json: not a smtpgauge result: conformance\.suites\[0\]\.cases\[1\]\.status is "ok", expected one of passed, failed, skipped, error$/,
      ],
      ['missing.json', /^error: cannot read missing\.json: no such file$/],
      ['reports', /^error: cannot read reports: it is a directory$/],
    ];
    for (const [name, message] of expected) {
      const outcome = await runCli(['report', name, '--out', 'never'], { cwd });
      expect(outcome.code, name).toBe(2);
      expect(expectOneLineError(outcome.stderr), name).toMatch(message);
      expect(outcome.stdout).toBe('');
    }
    expect(await readdir(cwd)).not.toContain('never');
  });

  it('needs a result file', async () => {
    const outcome = await runCli(['report']);
    expect(outcome.code).toBe(2);
    expect(expectOneLineError(outcome.stderr)).toMatch(/^error: Not enough non-option arguments/);
  });
});
