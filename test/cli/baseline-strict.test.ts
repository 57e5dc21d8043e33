import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  casesById,
  closeScripted,
  scripted,
  expectNoStackTrace,
  readReport,
  removeTempDirs,
  repoPath,
  runCli,
  tempDir,
} from './cli-harness.js';

const SEQUENCING = repoPath('suites/rfc5321/sequencing.yaml');
const NOOP = repoPath('suites/rfc5321/noop.yaml');

afterEach(closeScripted);
afterAll(removeTempDirs);

async function baselineFile(cwd: string, ...entries: [string, string][]): Promise<string> {
  const lines = [
    'deviations:',
    ...entries.flatMap(([id, reason]) => [
      `  - case: ${id}`,
      `    reason: ${JSON.stringify(reason)}`,
    ]),
  ];
  await writeFile(join(cwd, 'baseline.yaml'), `${lines.join('\n')}\n`);
  return 'baseline.yaml';
}

describe('--baseline', () => {
  it('accepts listed failures without hiding them, and reports entries that now pass as stale', async () => {
    const server = await scripted('rcpt-before-mail-accepted');
    const cwd = await tempDir();
    const file = await baselineFile(
      cwd,
      ['rfc5321-sequencing/rcpt-without-mail', 'known: this server accepts RCPT first'],
      ['rfc5321-sequencing/rcpt-after-completed-transaction', 'known as well'],
      ['rfc5321-sequencing/mail-nested', 'fixed long ago'],
    );
    const target = ['--target', `127.0.0.1:${server.port}`, '--timeout', '2s'];
    const without = await runCli(['run', SEQUENCING, ...target], { cwd });
    expect(without.code).toBe(1);
    const outcome = await runCli(['run', SEQUENCING, ...target, '--baseline', file], { cwd });
    expect(outcome.code).toBe(0);
    const report = await readReport(join(cwd, 'reports', 'report.json'));
    const accepted = casesById(report).get('rfc5321-sequencing/rcpt-without-mail')!;
    expect(accepted.status).toBe('failed');
    expect(accepted.accepted).toEqual({ reason: 'known: this server accepts RCPT first' });
    expect(report.summary.accepted).toBe(2);
    expect(report.summary.staleBaseline).toEqual(['rfc5321-sequencing/mail-nested']);
    expect(outcome.stdout).toMatch(/^KNOWN rfc5321-sequencing\/rcpt-without-mail/m);
    expect(outcome.stdout).toContain('known deviation: known: this server accepts RCPT first');
    expect(outcome.stdout).toMatch(
      /^STALE rfc5321-sequencing\/mail-nested: listed in the baseline but passes now/m,
    );
    expect(outcome.stdout).toMatch(/^PASSED: .*2 known deviations/m);
  });

  it('refuses a baseline naming a case the run does not have, with its place and a suggestion', async () => {
    const cwd = await tempDir();
    const file = await baselineFile(cwd, ['rfc5321-sequencing/rcpt-without-mial', 'typo']);
    const outcome = await runCli(
      ['run', SEQUENCING, '--target', '127.0.0.1:1', '--baseline', file],
      { cwd },
    );
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('--> baseline.yaml:2:11');
    expect(outcome.stderr).toContain("did you mean 'rfc5321-sequencing/rcpt-without-mail'?");
    expectNoStackTrace(outcome.stderr);
  });

  it('names a missing baseline file in one line', async () => {
    const outcome = await runCli(['run', SEQUENCING, '--baseline', 'nope.yaml']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^error: --baseline: cannot read nope\.yaml$/m);
  });
});

describe('--strict', () => {
  it('turns SHOULD failures into a failed run', async () => {
    const server = await scripted('noop-args-refused');
    const target = ['--target', `127.0.0.1:${server.port}`, '--timeout', '2s'];
    const lenient = await runCli(['run', NOOP, ...target]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/^WARN {2}rfc5321-noop\/noop-with-argument/m);
    const strict = await runCli(['run', NOOP, ...target, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^FAIL {2}rfc5321-noop\/noop-with-argument/m);
    expect((await readReport(join(strict.cwd, 'reports', 'report.json'))).summary.gate).toBe(
      'should',
    );
  });
});
