import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { LoadReport } from '../../src/report/load-report.js';
import { startSinkTarget, type RunningSink } from '../../src/targets/sink-target.js';
import {
  expectNoStackTrace,
  removeTempDirs,
  repoPath,
  tempDir,
  waitFor,
  yamlText,
} from './cli-harness.js';

/**
 * The installed command in its own process (bin/smtpgauge.js over dist/, built by the global
 * setup): Ctrl-C (SIGINT, sent to the PID spawned here) ends a 60 s load run within seconds,
 * with the partial result written and exit code 3. Two worker threads, so the stop has to
 * reach them too.
 */
let child: ChildProcess | undefined;
let sink: RunningSink | undefined;
afterEach(async () => {
  // Only the process this test started, by its PID, if an assertion left it running.
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  await sink?.close();
  sink = undefined;
});
afterAll(removeTempDirs);

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function collect(proc: ChildProcess): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) =>
    proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

describe('smtpgauge load in its own process', () => {
  it('stops on SIGINT within seconds, writes the partial report and exits 3', async () => {
    sink = await startSinkTarget({ delays: { eod: 2 } });
    const cwd = await tempDir('smtpgauge-load-process-');
    await writeFile(
      join(cwd, 'long.yaml'),
      yamlText(
        'title: a long run to interrupt',
        'model: { kind: closed, sessions: 2, think-time: 5ms }',
        'message: { size: 1KB, shapes: 4 }',
      ),
    );
    const started = Date.now();
    child = spawn(
      process.execPath,
      [
        repoPath('bin/smtpgauge.js'),
        'load',
        'long.yaml',
        '--target',
        `127.0.0.1:${sink.port}`,
        '--duration',
        '60s',
        '--workers',
        '2',
        '--out',
        'out',
      ],
      { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } },
    );
    const exited = collect(child);
    // Messages reaching the sink mean the run (and its signal handlers) is up; then ~2 s in.
    const running = sink;
    await waitFor(() => (running.stats().messages > 0 ? true : undefined), 'the run', 20_000);
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, 2_000 - (Date.now() - started))),
    );
    const signalled = Date.now();
    expect(child.kill('SIGINT')).toBe(true);
    const exit = await exited;
    const stopMs = Date.now() - signalled;

    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(3);
    expect(stopMs).toBeLessThan(10_000);
    expect(exit.stderr).toBe('');
    expectNoStackTrace(exit.stdout);
    expect(exit.stdout).toMatch(
      /^INTERRUPTED: partial result, thresholds 0 passed, 0 failed\. Report: out\/report\.json$/m,
    );
    const report = JSON.parse(
      await readFile(join(cwd, 'out', 'report.json'), 'utf8'),
    ) as LoadReport;
    expect(report.interrupted).toBe(true);
    expect(report.summary.verdict).toBe('error');
    expect(report.summary.ok).toBeGreaterThan(0);
    expect(report.load.workers).toBe(2);
    expect(report.durationMs).toBeLessThan(30_000);
    // Every thread reported before the process ended: the merged count is what the sink saw.
    expect(report.summary.ok).toBe(running.stats().messages);
  });
});
