import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { LoadReport } from '../../src/report/load-report.js';
import { OPEN_MODEL_NOTE } from '../../src/load/generator-health.js';
import {
  startSinkTarget,
  type RunningSink,
  type SinkTargetOptions,
} from '../../src/targets/sink-target.js';
import {
  closedPort,
  expectNoStackTrace,
  expectOneLineError,
  REPO_ROOT,
  removeTempDirs,
  runCli,
  startCli,
  tempDir,
  waitFor,
  yamlText,
} from './cli-harness.js';

/**
 * `smtpgauge load`, in-process through `main` like the other CLI tests: the shipped smoke
 * profile against the embedded sink, the command line's overrides and usage errors, thresholds
 * (failing, aborting, misspelled), and an interrupted run. Runs that need faults or delays go
 * to a sink started here (`--target`).
 */
const sinks: RunningSink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

async function sink(options: SinkTargetOptions = {}): Promise<string> {
  const started = await startSinkTarget(options);
  sinks.push(started);
  return `${started.host}:${started.port}`;
}

/** Writes a profile into a fresh directory; returns the directory (the command's cwd). */
async function profileDir(...lines: string[]): Promise<string> {
  const dir = await tempDir('smtpgauge-load-');
  await writeFile(join(dir, 'profile.yaml'), yamlText(...lines));
  return dir;
}

const CLOSED = [
  'title: closed profile',
  'duration: 1s',
  'model: { kind: closed, sessions: 1 }',
  'message: { size: 1KB, shapes: 4 }',
];

const OPEN = [
  'title: open profile',
  'duration: 5s',
  'model: { kind: open, rate: 20/s, max-sessions: 8 }',
  'message: { size: 1KB, shapes: 4 }',
];

async function readLoadReport(dir: string): Promise<LoadReport> {
  return JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as LoadReport;
}

describe('load suites/load/smoke.yaml', () => {
  it('runs the smoke profile against the embedded sink and writes the result', async () => {
    const out = await tempDir();
    const outcome = await runCli(['load', 'suites/load/smoke.yaml', '--out', out], {
      cwd: REPO_ROOT,
    });
    const report = await readLoadReport(out);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(report.summary.verdict === 'passed' ? 0 : 1);

    expect(Object.keys(report)).toEqual([
      'schemaVersion',
      'tool',
      'target',
      'startedAt',
      'durationMs',
      'interrupted',
      'summary',
      'load',
    ]);
    expect(report.schemaVersion).toBe(1);
    expect(report.tool.name).toBe('smtpgauge');
    expect(report.target).toMatchObject({
      host: '127.0.0.1',
      banner: '220 example.test ESMTP smtpgauge sink',
    });
    expect(report.target.capabilities).toContain('PIPELINING');
    expect(Date.parse(report.startedAt)).not.toBeNaN();
    expect(report.durationMs).toBeGreaterThanOrEqual(4_900);
    expect(report.interrupted).toBe(false);

    const { summary, load } = report;
    expect(Object.keys(summary).sort()).toEqual(
      [
        'verdict',
        'messages',
        'ok',
        'failed',
        'errors',
        'dropped',
        'throughput',
        'thresholds',
        'saturated',
      ].sort(),
    );
    // 100/s for 5 s: 500 starts, each made or dropped (the budget, 500, is not reached first).
    expect(summary.messages + summary.dropped).toBe(500);
    expect(summary).toMatchObject({ errors: 0, failed: 0, ok: summary.messages });
    expect(summary.throughput).toBeGreaterThan(0);
    expect(summary.thresholds.passed + summary.thresholds.failed).toBe(2);
    expect(summary.saturated).toBe(load.health.saturated);

    expect(Object.keys(load).sort()).toEqual(
      ['profile', 'workers', 'recorded', 'snapshot', 'health', 'thresholds', 'errorSamples'].sort(),
    );
    expect(load.profile).toMatchObject({
      id: 'smoke',
      title: 'Smoke test against the embedded sink',
      file: 'suites/load/smoke.yaml',
      model: 'open',
      overrides: {},
      seed: 42,
      durationMs: 5_000,
    });
    expect(load.profile.source).toBe(
      await readFile(join(REPO_ROOT, 'suites/load/smoke.yaml'), 'utf8'),
    );
    expect(load.workers).toBe(load.health.threads);
    expect(load.recorded).toBe(true);
    expect(load.snapshot.counters.messages.attempted).toBe(summary.messages);
    expect(load.snapshot.phases.eod!.count).toBe(summary.ok);
    // Over the profile's 5 s (not the drain after it): every scheduled start made or dropped.
    const { targetRate, achievedRate, droppedRate } = load.health;
    expect(targetRate).toBe(100);
    expect(achievedRate).toBeCloseTo(summary.messages / 5, 6);
    expect(droppedRate).toBeCloseTo(summary.dropped / 5, 6);
    expect(achievedRate! + droppedRate!).toBeCloseTo(100, 6);
    expect(load.health.notes).toEqual([OPEN_MODEL_NOTE]);
    expect(load.thresholds.map((t) => t.expression)).toEqual([
      'rate(errors) < 1%',
      'p99(message) < 100ms',
    ]);
    expect(load.thresholds[0]).toMatchObject({ ok: true, actual: 0, unit: '%' });
    expect(load.errorSamples).toEqual({});

    expect(outcome.stdout).toMatch(
      /^profile {4}smoke: Smoke test against the embedded sink \(open model, 5\.0 s, \d threads?\)$/m,
    );
    expect(outcome.stdout).toMatch(/^PASSED|^FAILED/m);
    expect(outcome.stdout).toMatch(/ Report: \S+\/report\.json$/m);
  });
});

describe('load: the command line', () => {
  it('applies --duration, --rate, --connections and --seed and records them', async () => {
    const cwd = await profileDir(...OPEN);
    const outcome = await runCli(
      [
        'load',
        'profile.yaml',
        '--workers',
        '1',
        '--duration',
        '1s',
        '--rate',
        '50/s',
        '--connections',
        '3',
        '--seed',
        '7',
      ],
      { cwd },
    );
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const report = await readLoadReport(join(cwd, 'reports'));
    expect(report.load.profile.overrides).toEqual({
      duration: '1s',
      rate: '50/s',
      connections: '3',
      seed: '7',
    });
    expect(report.load.profile).toMatchObject({ seed: 7, durationMs: 1_000, file: 'profile.yaml' });
    expect(report.summary.messages + report.summary.dropped).toBe(50);
    const { achievedRate, droppedRate } = report.load.health;
    expect(report.load.health.targetRate).toBe(50);
    expect(achievedRate! + droppedRate!).toBeCloseTo(50, 6);
    expect(report.load.workers).toBe(1);
    expect(outcome.stdout).toContain(
      'profile    profile: open profile (open model, 1.0 s, 1 thread)',
    );
  });

  it('applies --warm-up: the report says how long and what it sent, apart from the figures', async () => {
    const cwd = await profileDir(...CLOSED);
    const args = [
      'load',
      'profile.yaml',
      '--workers',
      '1',
      '--warm-up',
      '300ms',
      '--format',
      'json,html',
    ];
    const outcome = await runCli([...args, '--duration', '500ms'], { cwd });
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const report = await readLoadReport(join(cwd, 'reports'));
    expect(report.load.profile).toMatchObject({ warmUpMs: 300, overrides: { 'warm-up': '300ms' } });
    expect(report.load.warmUp).toMatchObject({ durationMs: 300 });
    expect(report.load.warmUp!.ok).toBeGreaterThan(0);
    expect(report.load.warmUp!.ok).toBe(report.load.warmUp!.attempted);
    expect(report.load.snapshot.durationMs).toBeLessThan(300 + 500);
    const { attempted, ok } = report.load.warmUp!;
    expect(outcome.stdout).toContain(
      `warm-up    0.3 s before the run: ${attempted} sent, ${ok} accepted (not in these figures)`,
    );
    const html = readFileSync(join(cwd, 'reports', 'report.html'), 'utf8');
    expect(html).toContain(`Before it, a warm-up of 300 ms sent ${attempted} messages`);
  });

  it.each([
    [
      'a rate on a closed profile',
      CLOSED,
      ['--rate', '10/s'],
      '--rate applies to the open model; this profile is closed (use --connections)',
    ],
    ['no workers', CLOSED, ['--workers', '0'], "--workers '0' must be 1 to 64"],
    [
      'implicit TLS without a target',
      [...CLOSED, 'connection: { tls: implicit }'],
      [],
      'implicit TLS needs --target: the embedded sink speaks STARTTLS',
    ],
    ['a bad duration', CLOSED, ['--duration', 'soon'], "--duration 'soon' is not a duration"],
    [
      'a warm-up too long',
      CLOSED,
      ['--warm-up', '1h'],
      "--warm-up '1h' must be a duration from 0 to 10m",
    ],
  ])('%s is a usage error (exit 2, one line)', async (_name, lines, args, message) => {
    const cwd = await profileDir(...lines);
    const outcome = await runCli(['load', 'profile.yaml', ...args], { cwd });
    expect(outcome.code).toBe(2);
    expect(expectOneLineError(outcome.stderr)).toContain(message);
    expect(outcome.stdout).toBe('');
    expect(existsSync(join(cwd, 'reports'))).toBe(false);
  });

  it('exits 3 with one clear line when the target does not answer', async () => {
    const cwd = await profileDir(...CLOSED);
    const port = await closedPort();
    const outcome = await runCli(['load', 'profile.yaml', '--target', `127.0.0.1:${port}`], {
      cwd,
    });
    expect(outcome.code).toBe(3);
    expect(expectOneLineError(outcome.stderr)).toBe(
      `error: connection refused by 127.0.0.1:${port}`,
    );
    expect(existsSync(join(cwd, 'reports'))).toBe(false);
  });

  it('never writes the progress line when stdout is not a terminal', async () => {
    // 2 s: long enough for the once-a-second progress tick to come even on a busy machine.
    const lines = [...CLOSED.slice(0, 1), 'duration: 2s', ...CLOSED.slice(2)];
    const quiet = await runCli(['load', 'profile.yaml', '--workers', '1'], {
      cwd: await profileDir(...lines),
    });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).not.toContain('\r');
    // The same run on a terminal shows it (and clears it at the end).
    const tty = await runOnTerminal(['load', 'profile.yaml', '--workers', '1'], {
      cwd: await profileDir(...lines),
    });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(
      /^\r\x1b\[2K\d+s {2}\d+\/s {2}p99 ([\d.]+ ms|-) {2}ok \d+ {2}failed 0 /,
    );
    expect(tty.stderr.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('says on a terminal that a warm-up runs, until the first progress line', async () => {
    const lines = [...CLOSED.slice(0, 1), 'duration: 2s', ...CLOSED.slice(2)];
    const tty = await runOnTerminal(
      ['load', 'profile.yaml', '--workers', '1', '--warm-up', '300ms'],
      {
        cwd: await profileDir(...lines),
      },
    );
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(
      /^\r\x1b\[2Kwarm-up 0\.3 s \(not measured\)\r\x1b\[2K\d+s {2}\d+\/s /,
    );
  });
});

/** `main` with an io that says stdout is a terminal (the harness's io says it is not). */
async function runOnTerminal(
  argv: string[],
  options: { cwd: string },
): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const io: CliIo = {
    stdout: () => undefined,
    stderr: (text) => void (stderr += text),
    env: {},
    cwd: options.cwd,
    interrupt: new AbortController().signal,
    isTty: true,
  };
  return { code: await main(argv, io), stderr };
}

describe('load: thresholds', () => {
  it('fails the run on a breached threshold: exit 1, verdict failed, a JUnit failure', async () => {
    const target = await sink({ delays: { eod: 20 } });
    const cwd = await profileDir(...CLOSED, 'messages: 20');
    const outcome = await runCli(
      [
        'load',
        'profile.yaml',
        '--target',
        target,
        '--workers',
        '1',
        '--threshold',
        'p99(eod) < 1ms',
        '--threshold',
        'count(errors) == 0',
        '--format',
        'junit',
      ],
      { cwd },
    );
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(1);
    const report = await readLoadReport(join(cwd, 'reports'));
    expect(report.summary.verdict).toBe('failed');
    expect(report.summary.thresholds).toEqual({ passed: 1, failed: 1 });
    const [eod, errors] = report.load.thresholds;
    expect(eod).toMatchObject({ expression: 'p99(eod) < 1ms', ok: false, unit: 'ms' });
    expect(eod!.actual).toBeGreaterThanOrEqual(19); // the sink's 20 ms, less timer rounding
    expect(errors).toMatchObject({ expression: 'count(errors) == 0', ok: true });
    expect(outcome.stdout).toMatch(/^FAIL {2}p99\(eod\) < 1ms {2}\(p99\(eod\) = [\d.]+ ms/m);
    expect(outcome.stdout).toMatch(/^FAILED: thresholds 1 passed, 1 failed\./m);

    const junit = await readFile(join(cwd, 'reports', 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites [^>]*tests="2" failures="1"/);
    const failing = /<testcase [^>]*name="p99\(eod\) &lt; 1ms"[^>]*>([\s\S]*?)<\/testcase>/.exec(
      junit,
    );
    expect(failing?.[1]).toMatch(/<failure [^>]*type="threshold"/);
    const passing = /<testcase [^>]*name="count\(errors\) == 0"[^>]*>([\s\S]*?)<\/testcase>/.exec(
      junit,
    );
    expect(passing?.[1]).not.toContain('<failure');
  });

  it('stops long before the duration when an abort threshold is breached', async () => {
    const target = await sink({ delays: { eod: 20 } });
    const cwd = await profileDir(
      'title: aborting',
      'duration: 30s',
      'model: { kind: closed, sessions: 2 }',
      'message: { size: 1KB, shapes: 4 }',
      'thresholds:',
      "  - { expr: 'p99(eod) < 1ms', abort: true }",
      '  - rate(errors) < 1%',
    );
    const outcome = await runCli(['load', 'profile.yaml', '--target', target, '--workers', '1'], {
      cwd,
    });
    expect(outcome.code).toBe(1);
    const report = await readLoadReport(join(cwd, 'reports'));
    expect(report.summary.abortedBy).toBe('p99(eod) < 1ms');
    expect(report.summary.verdict).toBe('failed');
    expect(report.interrupted).toBe(false);
    expect(report.durationMs).toBeLessThan(20_000);
    expect(report.summary.ok).toBeGreaterThan(0);
    expect(outcome.stdout).toContain('(stopped early by p99(eod) < 1ms)');
  });

  it('reports an unknown metric in a profile threshold at its file:line:col (exit 2)', async () => {
    const cwd = await profileDir(...CLOSED, 'thresholds:', '  - p99(eom) < 50ms');
    const outcome = await runCli(['load', 'profile.yaml'], { cwd });
    expect(outcome.code).toBe(2);
    expectNoStackTrace(outcome.stderr);
    expect(outcome.stderr).toContain('error: invalid threshold\n --> profile.yaml:6:9\n');
    expect(outcome.stderr).toContain("^^^ unknown phase 'eom'");
    expect(outcome.stderr).toContain("= hint: did you mean 'eod'?");
    expect(outcome.stderr).toMatch(/^error: 1 problem in the profile profile\.yaml$/m);
    expect(outcome.stdout).toBe('');
  });

  it('names the column of a misspelled --threshold and suggests the name (exit 2)', async () => {
    const cwd = await profileDir(...CLOSED);
    const outcome = await runCli(['load', 'profile.yaml', '--threshold', 'p99(eom) < 5ms'], {
      cwd,
    });
    expect(outcome.code).toBe(2);
    expect(expectOneLineError(outcome.stderr)).toBe(
      "error: --threshold 'p99(eom) < 5ms', column 5: unknown phase 'eom' (did you mean 'eod'?)",
    );
  });
});

describe('load: interrupted', () => {
  it('writes the partial result marked interrupted and exits 3', async () => {
    const target = await sink({ delays: { eod: 2 } });
    const sinkStats = sinks.at(-1)!;
    const cwd = await profileDir(...OPEN.slice(0, 1), 'duration: 30s', ...OPEN.slice(2));
    const controller = new AbortController();
    const running = await startCli(['load', 'profile.yaml', '--target', target, '--workers', '1'], {
      cwd,
      interrupt: controller.signal,
    });
    await waitFor(() => (sinkStats.stats().messages >= 3 ? true : undefined), 'messages');
    controller.abort();
    const outcome = await running.done;
    expect(outcome.code).toBe(3);
    expect(outcome.stderr).toBe('');
    const report = await readLoadReport(join(cwd, 'reports'));
    expect(report.interrupted).toBe(true);
    expect(report.summary.verdict).toBe('error');
    expect(report.summary.ok).toBeGreaterThanOrEqual(3);
    expect(report.durationMs).toBeLessThan(25_000);
    expect(outcome.stdout).toMatch(/^INTERRUPTED: partial result/m);
  });
});
