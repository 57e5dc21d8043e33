import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { whileRunning, withTempDir } from './bench-children.js';
import { onCpus } from './cpu-pinning.js';

/**
 * Runs a command under `/usr/bin/time` and returns what it cost: the CPU of the whole process
 * (every thread, from the kernel's rusage of the waited child), its peak RSS and the wall time.
 * The child gets its own process group, so a timeout ends it and anything it started, and
 * nothing else.
 */
export interface MeasuredExit {
  code: number | null;
  wallMs: number;
  /** User + system CPU of the process, µs (10 ms resolution). */
  cpuMicros: number;
  maxRssKb: number;
  stdout: string;
  stderr: string;
}

export interface MeasureOptions {
  cwd?: string;
  timeoutMs?: number;
  /** Called with the child's PID once it runs (to sample it while it works). */
  onStart?(pid: number): void;
  /** Run it on these cores (a `taskset -c` list; cpu-pinning.ts). */
  cpus?: string;
}

const TIME = '/usr/bin/time';
const FORMAT = '%U %S %M';

export function runMeasured(
  command: string,
  args: readonly string[],
  options: MeasureOptions = {},
): Promise<MeasuredExit> {
  return withTempDir('smtpgauge-bench-', (dir) =>
    runTimed(command, args, options, join(dir, 'usage')),
  );
}

async function runTimed(
  command: string,
  args: readonly string[],
  options: MeasureOptions,
  usageFile: string,
): Promise<MeasuredExit> {
  const started = performance.now();
  const run = onCpus(options.cpus, command, args);
  const child = spawn(TIME, ['-f', FORMAT, '-o', usageFile, run.command, ...run.args], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  if (child.pid !== undefined) options.onStart?.(child.pid);
  const pid = child.pid;
  const forget = whileRunning(() => pid !== undefined && process.kill(-pid, 'SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        }, options.timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exit) => resolve(exit));
  });
  clearTimeout(timer);
  forget();
  const wallMs = performance.now() - started;
  const usage = readUsage(usageFile);
  return { code, wallMs, ...usage, stdout, stderr };
}

/** `/usr/bin/time -f '%U %S %M'`: the last line (earlier ones say how the command exited). */
function readUsage(path: string): { cpuMicros: number; maxRssKb: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { cpuMicros: Number.NaN, maxRssKb: Number.NaN };
  }
  const last = text.trim().split('\n').at(-1) ?? '';
  const [user, system, rss] = last.split(' ').map(Number);
  return { cpuMicros: Math.round((user! + system!) * 1e6), maxRssKb: rss ?? Number.NaN };
}
