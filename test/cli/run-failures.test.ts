import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  casesById,
  closeScripted,
  scripted,
  closedPort,
  expectNoStackTrace,
  readReport,
  removeTempDirs,
  repoPath,
  runCli,
  tempDir,
  yamlText,
} from './cli-harness.js';

const SEQUENCING = repoPath('suites/rfc5321/sequencing.yaml');
const UNKNOWN_COMMANDS = repoPath('suites/rfc5321/unknown-commands.yaml');

afterEach(closeScripted);
afterAll(removeTempDirs);

/** The text at `line:col` (1-based) of a repository file, to the end of that line. */
async function textAt(location: string): Promise<string> {
  const [, file, line, col] = /^(.+):(\d+):(\d+)$/.exec(location)!;
  const lines = (await readFile(repoPath(file!), 'utf8')).split('\n');
  return lines[Number(line) - 1]!.slice(Number(col) - 1);
}

describe('run --target against a broken server', () => {
  it('exits 1 and names each failing MUST case with its section, expected, actual and place', async () => {
    const server = await scripted('rcpt-before-mail-accepted', 'unknown-verb-250');
    const target = `127.0.0.1:${server.port}`;
    const outcome = await runCli([
      'run',
      SEQUENCING,
      UNKNOWN_COMMANDS,
      '--target',
      target,
      '--timeout',
      '1s',
    ]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('');
    const report = await readReport(join(outcome.cwd, 'reports', 'report.json'));
    expect(report.summary.verdict).toBe('failed');
    const cases = casesById(report);

    const failing = [
      ['rfc5321-sequencing/rcpt-without-mail', '3.3', 'RCPT TO:'],
      ['rfc5321-sequencing/rcpt-after-completed-transaction', '4.1.1.4', 'RCPT TO:'],
      ['rfc5321-unknown-commands/unknown-command-keeps-connection', '3.8', 'FOOBAR'],
    ] as const;
    for (const [id, section, command] of failing) {
      const result = cases.get(id)!;
      expect(result, id).toMatchObject({ status: 'failed', level: 'must', section });
      const failure = result.failure!;
      expect(failure.location).toMatch(/^suites\/rfc5321\/[a-z-]+\.yaml:\d+:\d+$/);
      // The location points at the very step that drew the wrong reply.
      expect(await textAt(failure.location)).toMatch(new RegExp(`^send: ${command}`));
      expect(failure.actual).toMatch(/^250 /);
      expect(outcome.stdout).toContain(
        [
          `FAIL  ${id}  RFC 5321 §${section} (must)`,
          `      ${result.title}`,
          `      expected: ${failure.expected}`,
          `      actual:   ${failure.actual}`,
          `      at ${failure.location}`,
        ].join('\n'),
      );
    }
    expect(cases.get('rfc5321-sequencing/rcpt-without-mail')!.failure).toMatchObject({
      location: 'suites/rfc5321/sequencing.yaml:14:9',
      expected: '503 to RCPT TO:<postmaster@example.test>',
    });
    // A SHOULD failure is reported, but below the gate: WARN, not FAIL.
    expect(cases.get('rfc5321-unknown-commands/unknown-command-500')!.status).toBe('failed');
    expect(outcome.stdout).toMatch(/^WARN {2}rfc5321-unknown-commands\/unknown-command-500 /m);
    expect(outcome.stdout).toMatch(/^FAILED: 3 cases at or above must level failed/m);
    // Cases the defects do not touch still pass.
    expect(cases.get('rfc5321-sequencing/mail-nested')!.status).toBe('passed');
  });

  it('exits 1 within a bounded time against a server that never answers, then stops trying', async () => {
    const server = await scripted('never-answers');
    const started = Date.now();
    const outcome = await runCli([
      'run',
      SEQUENCING,
      '--target',
      `127.0.0.1:${server.port}`,
      '--timeout',
      '300ms',
    ]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/^warning: no greeting within 300 ms$/m);
    const report = await readReport(join(outcome.cwd, 'reports', 'report.json'));
    expect(report.target.banner).toBeNull();
    const cases = report.conformance.suites.find((s) => s.id === 'rfc5321-sequencing')!.cases;
    const timedOut = cases.filter((c) => c.failure?.timedOut === true);
    // The first cases time out, in a row; after three the breaker trips and the rest are not run.
    expect(timedOut.length).toBe(3);
    expect(cases.slice(0, timedOut.length)).toEqual(timedOut);
    for (const c of timedOut) expect(c.status).toBe('failed');
    const rest = cases.slice(timedOut.length);
    expect(rest.length).toBeGreaterThan(0);
    for (const c of rest) {
      expect(c.status).toBe('error');
      expect(c.reason).toMatch(/^not run: .*3 consecutive cases timed out/);
      expect(c.transcript).toEqual([]);
    }
    expect(outcome.stdout).toMatch(/^ERROR rfc5321-sequencing\/\S+ .*\n.*\n {6}not run: /m);
  });
});

describe('run --target against an unreachable address', () => {
  it('exits 3 with one error line naming the address, and writes no report', async () => {
    const port = await closedPort();
    const outcome = await runCli(['run', SEQUENCING, '--target', `127.0.0.1:${port}`]);
    expect(outcome.code).toBe(3);
    expectNoStackTrace(outcome.stderr);
    expect(outcome.stderr).toMatch(/^error: .+\n$/);
    expect(outcome.stderr).toContain(`127.0.0.1:${port}`);
    expect(outcome.stdout).not.toMatch(/PASSED|FAILED/);
    expect(existsSync(join(outcome.cwd, 'reports'))).toBe(false);
  });
});

describe('run interrupted (Ctrl-C)', () => {
  /** Interrupts `run` after `afterMs`; returns the outcome and the report it wrote. */
  async function interruptedRun(args: string[], afterMs: number, cwd?: string) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), afterMs);
    try {
      const outcome = await runCli(['run', ...args], { interrupt: controller.signal, cwd });
      const report = await readReport(join(outcome.cwd, 'reports', 'report.json'));
      return { outcome, report, aborted: controller.signal.aborted };
    } finally {
      clearTimeout(timer);
    }
  }

  const slowSuite = (first: string) =>
    yamlText(
      'suite: slow',
      'title: A case that takes its time between two others',
      "rfc: '5321'",
      'cases:',
      ...[first, 'slow', 'never-reached'].flatMap((id) => [
        `  - id: ${id}`,
        `    title: ${id}`,
        "    section: '3.3'",
        '    level: must',
        '    steps:',
        '      - ehlo',
        ...(id === 'slow' ? ['      - pause: 1500ms'] : []),
        ...(id === 'rcpt-first'
          ? ['      - send: RCPT TO:<${recipient}>', '        expect: 503']
          : []),
      ]),
    );

  it('against a slow target: writes what it measured, marked interrupted; exit 3 unless a MUST case failed', async () => {
    const server = await scripted('stops-answering-after-ehlo');
    const list = await runCli(['list']);
    const total = Number(/^\d+ suites, (\d+) cases/m.exec(list.stdout)![1]);
    const started = Date.now();
    const { outcome, report, aborted } = await interruptedRun(
      ['--target', `127.0.0.1:${server.port}`, '--timeout', '2s'],
      1000,
    );
    expect(aborted).toBe(true);
    // The case in flight is cut short: no waiting out its 2 s reply deadline, let alone the rest.
    expect(Date.now() - started).toBeLessThan(1900);
    expect(report.interrupted).toBe(true);
    const ran = report.conformance.suites.filter((s) => s.id !== 'rfc5321-reply-syntax');
    expect(ran.flatMap((s) => s.cases).length).toBeLessThan(total);
    // run-command.ts: a gating failure wins (1); otherwise an interrupted run is a runtime failure (3).
    expect(outcome.code).toBe(report.summary.verdict === 'failed' ? 1 : 3);
    expect(outcome.stdout).toMatch(/interrupted: partial results|^INTERRUPTED: /m);
  });

  it('exits 3 when nothing failed before the interruption; the case in flight is dropped', async () => {
    const server = await scripted();
    const cwd = await tempDir();
    await writeFile(join(cwd, 'slow.yaml'), slowSuite('quick'));
    const { outcome, report } = await interruptedRun(
      ['slow.yaml', '--target', `127.0.0.1:${server.port}`],
      500,
      cwd,
    );
    expect(outcome.code).toBe(3);
    expect(report.interrupted).toBe(true);
    expect(report.summary.verdict).toBe('error');
    expect([...casesById(report).keys()].filter((id) => id.startsWith('slow/'))).toEqual([
      'slow/quick',
    ]);
    expect(outcome.stdout).toMatch(/^INTERRUPTED: \d+ passed before the run was stopped/m);
  });

  it('exits 1 when a MUST case failed before the interruption', async () => {
    const server = await scripted('rcpt-before-mail-accepted');
    const cwd = await tempDir();
    await writeFile(join(cwd, 'slow.yaml'), slowSuite('rcpt-first'));
    const { outcome, report } = await interruptedRun(
      ['slow.yaml', '--target', `127.0.0.1:${server.port}`],
      500,
      cwd,
    );
    expect(outcome.code).toBe(1);
    expect(report.interrupted).toBe(true);
    expect(casesById(report).get('slow/rcpt-first')!.status).toBe('failed');
    expect(casesById(report).has('slow/never-reached')).toBe(false);
  });
});
