import { type ChildProcess, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { whileRunning } from './bench-children.js';
import { onCpus } from './cpu-pinning.js';

/**
 * Postfix `smtp-sink` on 127.0.0.1 (man smtp-sink): it reads every message and throws it away,
 * single process, no delivery. `pipelining: false` starts it with `-p` (PIPELINING not
 * announced). As root it needs `-u` to drop privileges; it runs as `nobody`.
 *
 *   smtp-sink [-p] [-u nobody] 127.0.0.1:PORT 1024        (1024: the listen backlog)
 */
export const SMTP_SINK = '/usr/sbin/smtp-sink';
export const SMTP_SOURCE = '/usr/sbin/smtp-source';

export interface RunningServer {
  host: string;
  port: number;
  pid: number;
  /** Stops it (SIGTERM) and resolves what it printed on stdout. */
  close(): Promise<string>;
}

export async function startPostfixSink(pipelining: boolean, cpus?: string): Promise<RunningServer> {
  const port = await freePort();
  const args = [
    ...(pipelining ? [] : ['-p']),
    ...(process.getuid?.() === 0 ? ['-u', 'nobody'] : []),
    `127.0.0.1:${port}`,
    '1024',
  ];
  return startServer(SMTP_SINK, args, port, cpus);
}

/**
 * Starts a server process listening on `port` (on `cpus`, a `taskset -c` list, when given; taskset
 * execs the server, so the PID is the server's) and waits until it greets.
 */
export async function startServer(
  command: string,
  args: readonly string[],
  port: number,
  cpus?: string,
): Promise<RunningServer> {
  const run = onCpus(cpus, command, args);
  const child = spawn(run.command, run.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const forget = whileRunning(() => child.kill('SIGTERM'));
  const exited = new Promise<void>((resolve) =>
    child.on('close', () => {
      forget();
      resolve();
    }),
  );
  try {
    await waitForGreeting(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    const message = `${command} did not start: ${(error as Error).message} ${stderr}`.trim();
    throw new Error(message, { cause: error });
  }
  return {
    host: '127.0.0.1',
    port,
    pid: child.pid!,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      return stdout;
    },
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function waitForGreeting(port: number, child: ChildProcess): Promise<void> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    if (await greets(port)) return;
    if (performance.now() > deadline) throw new Error('no 220 within 10 s');
    await sleep(50);
  }
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1_000);
    socket.once('data', (chunk: Buffer) => {
      socket.end('QUIT\r\n');
      socket.destroy();
      resolve(chunk.toString('latin1').startsWith('220'));
    });
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}
