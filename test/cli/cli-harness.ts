import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
  /** The working directory the command ran in (reports land below it). */
  cwd: string;
}

/**
 * Runs the CLI in-process through the same `main` the installed command calls, in a fresh
 * temporary working directory unless `cwd` is given.
 */
export async function runCli(
  argv: string[],
  options: { env?: Record<string, string>; cwd?: string; interrupt?: AbortSignal } = {},
): Promise<CliOutcome> {
  const cwd = options.cwd ?? (await mkdtemp(join(tmpdir(), 'smtpgauge-cli-')));
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
  const code = await main(argv, io);
  return { code, stdout, stderr, cwd };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
