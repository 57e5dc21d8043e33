import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.js';
import type { Defect } from '../support/smtp-defects.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import type { ConformanceReport } from '../../src/report/conformance-report.js';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
  /** The working directory the command ran in (reports land below it). */
  cwd: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
  interrupt?: AbortSignal;
}

/** A command started but not awaited (`serve`, an interrupted run): its output so far. */
export interface RunningCli {
  done: Promise<CliOutcome>;
  stdout(): string;
  stderr(): string;
  cwd: string;
}

/** The repository root, for built-in suite paths (the CLI runs in a temporary cwd). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const repoPath = (...parts: string[]): string => join(REPO_ROOT, ...parts);

const temporaryDirs: string[] = [];

/** A fresh temporary directory, removed by removeTempDirs(). */
export async function tempDir(prefix = 'smtpgauge-cli-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
}

/** Removes every directory made by tempDir() / runCli() in this test file (call in afterAll). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(temporaryDirs.splice(0).map((dir) => removeDir(dir)));
}

/**
 * Runs the CLI in-process through the same `main` the installed command calls, in a fresh
 * temporary working directory unless `cwd` is given.
 */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<CliOutcome> {
  return (await startCli(argv, options)).done;
}

/** Like runCli, without waiting: output can be read while the command runs. */
export async function startCli(argv: string[], options: CliOptions = {}): Promise<RunningCli> {
  const cwd = options.cwd ?? (await tempDir());
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: options.env ?? {},
    cwd,
    interrupt: options.interrupt ?? new AbortController().signal,
    isTty: false,
  };
  const done = main(argv, io).then((code) => ({ code, stdout, stderr, cwd }));
  return { done, stdout: () => stdout, stderr: () => stderr, cwd };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function readReport(path: string): Promise<ConformanceReport> {
  return JSON.parse(await readFile(path, 'utf8')) as ConformanceReport;
}

/** Every case of a report, as `suite/case` → result. */
export function casesById(
  report: ConformanceReport,
): Map<string, ConformanceReport['conformance']['suites'][number]['cases'][number]> {
  return new Map(
    report.conformance.suites.flatMap((s) => s.cases.map((c) => [`${s.id}/${c.id}`, c] as const)),
  );
}

/** No stack frame, no Node internals: what a user sees after a mistake. */
export function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at .*[.](ts|js|mjs):\d+/m);
  expect(text).not.toMatch(/\.ts:\d+:\d+\)/);
  expect(text).not.toContain('node:internal');
  expect(text).not.toMatch(/^\w*Error: /m);
}

/**
 * The one-line error of a usage or runtime failure: exactly one `error:` line, and nothing
 * else but the usage hint.
 */
export function expectOneLineError(stderr: string): string {
  expectNoStackTrace(stderr);
  const lines = stderr.split('\n').filter((line) => line !== '');
  expect(lines[0]).toMatch(/^error: \S/);
  expect(lines.slice(1).every((line) => line === "run 'smtpgauge --help' for usage")).toBe(true);
  return lines[0]!;
}

/** A loopback port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Connects and resolves with the first data, or with 'refused' when nothing listens. */
export function probePort(port: number, timeoutMs = 3000): Promise<string | 'refused'> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no data from 127.0.0.1:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (value: string | 'refused') => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    socket.once('data', (chunk: Buffer) => finish(chunk.toString('latin1')));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') finish('refused');
      else {
        clearTimeout(timer);
        reject(error);
      }
    });
  });
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A suite file's text as written by tests: `lines` joined with LF. */
export const yamlText = (...lines: string[]): string => `${lines.join('\n')}\n`;

const scriptedServers: ScriptedServer[] = [];

/** A scripted (breakable) server for this test file; `closeScripted` in `afterEach` stops them all. */
export async function scripted(...defects: Defect[]): Promise<ScriptedServer> {
  const server = await startScriptedServer({ defects });
  scriptedServers.push(server);
  return server;
}

export async function closeScripted(): Promise<void> {
  await Promise.all(scriptedServers.splice(0).map((s) => s.close()));
}
