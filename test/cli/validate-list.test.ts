import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectNoStackTrace,
  expectOneLineError,
  removeTempDirs,
  repoPath,
  runCli,
  tempDir,
  yamlText,
} from './cli-harness.js';

afterAll(removeTempDirs);

// Line 7 misspells `level`, line 9 gives a level that does not exist.
const BAD_SUITE = yamlText(
  'suite: bad-suite',
  'title: A suite with mistakes',
  "rfc: '5321'",
  'cases:',
  '  - id: one',
  '    title: One',
  '    levle: must',
  "    section: '3.3'",
  '    level: sometimes',
  '    steps:',
  '      - ehlo',
);

const GOOD_SUITE = yamlText(
  'suite: good-suite',
  'title: A small valid suite',
  "rfc: '5321'",
  'cases:',
  '  - id: noop',
  '    title: NOOP gets 250',
  "    section: '4.1.1.9'",
  '    level: must',
  '    steps:',
  '      - ehlo',
  '      - send: NOOP',
  '        expect: 250',
  '  - id: rset',
  '    title: RSET gets 250',
  "    section: '4.1.1.5'",
  '    level: should',
  '    steps:',
  '      - send: RSET',
  '        expect: 250',
);

let cwd: string;
beforeAll(async () => {
  cwd = await tempDir();
  await writeFile(join(cwd, 'bad.yaml'), BAD_SUITE);
  await writeFile(join(cwd, 'good.yaml'), GOOD_SUITE);
});

function expectSuiteDiagnostics(stderr: string): void {
  expectNoStackTrace(stderr);
  expect(stderr).toContain('--> bad.yaml:7:5\n');
  expect(stderr).toContain('--> bad.yaml:9:12\n');
  expect(stderr).toMatch(/^7 \| {5}levle: must\n {2}\| {5}\^{5} 'levle' is not a case key$/m);
  expect(stderr).toMatch(/^ {2}\| {12}\^{9} .*'sometimes'/m);
  expect(stderr).toContain("did you mean 'level'?");
  expect(stderr).toMatch(/^error: 2 problems in suite files\n$/m);
}

describe('a malformed suite file', () => {
  it('validate exits 2 with file:line:col, the source line, a caret and a hint', async () => {
    const outcome = await runCli(['validate', 'bad.yaml'], { cwd });
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expectSuiteDiagnostics(outcome.stderr);
  });

  it('run exits 2 with the same diagnostics, before touching the network, and writes no report', async () => {
    const outcome = await runCli(['run', 'bad.yaml'], { cwd });
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expectSuiteDiagnostics(outcome.stderr);
    expect(await readdir(cwd)).not.toContain('reports');
  });

  it('validate reports every bad file of the command line at once', async () => {
    const outcome = await runCli(['validate', 'good.yaml', 'bad.yaml'], { cwd });
    expect(outcome.code).toBe(2);
    expectSuiteDiagnostics(outcome.stderr);
  });
});

describe('validate', () => {
  it('checks load profiles too: the built-in ones pass, a bad threshold is shown at its place', async () => {
    const profiles = ['smoke', 'submission-587', 'mx-relay-mix', 'saturation-ramp'].map((p) =>
      repoPath('suites', 'load', `${p}.yaml`),
    );
    const good = await runCli(['validate', ...profiles, 'good.yaml'], { cwd });
    expect(good).toMatchObject({ code: 0, stdout: 'ok: 1 suite, 2 cases; 4 load profiles\n' });
    await writeFile(
      join(cwd, 'profile.yaml'),
      yamlText(
        'title: t',
        'model: { kind: closed, sessions: 2 }',
        'thresholds:',
        '  - p99(eom) < 5ms',
      ),
    );
    const bad = await runCli(['validate', 'profile.yaml'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--> profile.yaml:4:9');
    expect(bad.stderr).toContain("unknown phase 'eom'");
    expect(bad.stderr).toContain("did you mean 'eod'?");
  });

  it('exits 0 for a good suite and counts its cases', async () => {
    const outcome = await runCli(['validate', 'good.yaml'], { cwd });
    expect(outcome).toMatchObject({ code: 0, stdout: 'ok: 1 suite, 2 cases\n', stderr: '' });
  });

  it('accepts the built-in suites, with the same counts as list and list security together', async () => {
    const [validated, listed, security] = await Promise.all([
      runCli(['validate', repoPath('suites')]),
      runCli(['list']),
      runCli(['list', 'security']),
    ]);
    expect(validated.code).toBe(0);
    const [, suites, cases] = /^ok: (\d+) suites, (\d+) cases\n$/.exec(validated.stdout)!;
    const count = (stdout: string) =>
      /^(\d+) suites, (\d+) cases /m.exec(stdout)!.slice(1).map(Number);
    const [s1, c1] = count(listed.stdout);
    const [s2, c2] = count(security.stdout);
    expect([s1! + s2!, c1! + c2!]).toEqual([Number(suites), Number(cases)]);
  });

  it('exits 2 with one error line for a missing file', async () => {
    const outcome = await runCli(['validate', 'missing.yaml'], { cwd });
    expect(outcome.code).toBe(2);
    expect(expectOneLineError(outcome.stderr)).toContain('missing.yaml');
  });
});

describe('list', () => {
  it('prints every built-in suite with its cases, and a closing count line', async () => {
    const outcome = await runCli(['list']);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toBe('');
    const groups = (await readdir(repoPath('suites'))).filter(
      (g) => g !== 'security' && g !== 'load',
    );
    const files: string[] = [];
    for (const group of groups) {
      for (const name of (await readdir(repoPath('suites', group))).filter((f) =>
        f.endsWith('.yaml'),
      )) {
        files.push(`${group}/${name}`);
      }
    }
    for (const file of files) {
      const id = /^suite: (\S+)$/m.exec(await readFile(repoPath('suites', file), 'utf8'))![1]!;
      expect(outcome.stdout).toMatch(
        new RegExp(`^${id} {2}.+ {2}\\(suites/${file.replace('.', '\\.')}\\)$`, 'm'),
      );
    }
    // A case whose RFC differs from its suite's shows it: `RFC 5321 §4.1.4`.
    const caseLines = outcome.stdout.match(
      /^ {2}(must|should|may|info) +(?:RFC \d+ )?§\S+ +\S+ {2}.+$/gm,
    )!;
    const last = outcome.stdout.trimEnd().split('\n').at(-1)!;
    const counts = /^(\d+) suites, (\d+) cases \((must \d+.*)\)$/.exec(last)!;
    expect(counts, last).not.toBeNull();
    expect(Number(counts[1])).toBe(files.length);
    expect(Number(counts[2])).toBe(caseLines.length);
    const byLevel = counts[3]!.split(', ').map((part) => part.split(' ') as [string, string]);
    for (const [level, n] of byLevel)
      expect(caseLines.filter((l) => l.startsWith(`  ${level} `)).length, level).toBe(Number(n));
  });

  it('lists only the given file, shown relative to the cwd', async () => {
    const outcome = await runCli(['list', 'good.yaml'], { cwd });
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^good-suite {2}A small valid suite {2}\(good\.yaml\)$/m);
    expect(outcome.stdout).toMatch(/^ {2}should +§4\.1\.1\.5 +rset {2}RSET gets 250$/m);
    expect(outcome.stdout).toMatch(/^1 suites, 2 cases \(must 1, should 1\)\n$/m);
  });

  it('exits 2 with one error line for a missing path', async () => {
    const outcome = await runCli(['list', 'no-such-dir']);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(expectOneLineError(outcome.stderr)).toMatch(
      /^error: no such file or directory: .*no-such-dir$/,
    );
  });
});
