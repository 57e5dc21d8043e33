import { spawn, type ChildProcess } from 'node:child_process';
import type { RunningServer } from './real-server.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1 (bound and released; a tiny race is accepted for tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function makeTempDir(name: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `smtpgauge-${name}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

/**
 * Polls 127.0.0.1:port until a connection yields a line starting with `220`, or throws after
 * `timeoutMs` with the last problem seen. Sends QUIT and closes each probe connection.
 */
export async function waitForGreeting(port: number, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no attempt';
  while (Date.now() < deadline) {
    const outcome = await readGreeting(port, Math.min(3000, deadline - Date.now()));
    if (outcome.startsWith('220')) return outcome;
    last = outcome;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no 220 greeting on 127.0.0.1:${port} within ${timeoutMs} ms (last: ${last})`);
}

function readGreeting(port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let data = '';
    const done = (result: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(`timeout (${data.trim() || 'nothing read'})`), timeoutMs);
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      const line = /^(\d{3}) [^\n]*\n/m.exec(data);
      if (line) {
        socket.write('QUIT\r\n');
        done(line[0].trim());
      }
    });
    socket.on('error', (error) => done(error.message));
    socket.on('close', () => done(data.trim() || 'closed'));
  });
}

/** A started process with its output collected (bounded to the last 256 KiB). */
export interface Daemon {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const MAX_OUTPUT = 256 * 1024;

export function startDaemon(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Daemon {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.on('error', (error) => collect(Buffer.from(`spawn error: ${error.message}\n`)));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    child,
    pid: child.pid ?? -1,
    output: () => output,
    stop: async (graceMs = 5000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion (with `input` on its stdin); rejects with its output on a non-zero exit. */
export function runCommand(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${output.trim()}`)),
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** A self-signed certificate for localhost/127.0.0.1 made with openssl, written into `dir`. */
export async function makeCertificate(dir: string): Promise<{ key: string; cert: string }> {
  const key = join(dir, 'tls.key');
  const cert = join(dir, 'tls.crt');
  await runCommand('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  return { key, cert };
}

/** A resolv.conf that points at loopback, for servers run inside `unshare -m` (no DNS off the box). */
export const LOOPBACK_RESOLV_CONF = 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n';

/**
 * Wraps a command so it runs in a private mount namespace where /etc/resolv.conf is
 * `resolvConfPath` (loopback only): `unshare -m sh -c 'mount --bind … && exec cmd args…'`.
 */
export function withLoopbackDns(
  resolvConfPath: string,
  command: string,
  args: string[],
): [string, string[]] {
  const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return [
    'unshare',
    ['-m', 'sh', '-c', `mount --bind '${resolvConfPath}' /etc/resolv.conf && exec ${quoted}`],
  ];
}

/** Sends a signal to a PID we started; a process already gone is fine. */
export function signalPid(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passes; the last answer wins. */
export async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

export function waitForPidExit(pid: number, timeoutMs: number): Promise<boolean> {
  return waitUntil(() => !isAlive(pid), timeoutMs);
}

/** Waits for the 220 greeting, failing at once (with the exit status) if the daemon exits first. */
export async function waitForGreetingOrExit(
  daemon: Daemon,
  port: number,
  timeoutMs: number,
): Promise<void> {
  let onExit: (() => void) | undefined;
  const exited = new Promise<never>((_resolve, reject) => {
    onExit = () =>
      reject(new Error(`exited with ${daemon.child.exitCode ?? daemon.child.signalCode}`));
    if (daemon.child.exitCode !== null || daemon.child.signalCode !== null) onExit();
    else daemon.child.once('exit', onExit);
  });
  try {
    await Promise.race([waitForGreeting(port, timeoutMs), exited]);
  } finally {
    if (onExit) daemon.child.off('exit', onExit);
    exited.catch(() => undefined);
  }
}

/** A server that is one foreground daemon we started: stopped by its PID, its temp dir removed. */
export function daemonServer(p: {
  name: string;
  version: string;
  port: number;
  daemon: Daemon;
  dir: string;
  credentials?: { user: string; pass: string };
}): RunningServer {
  let stopping: Promise<void> | undefined;
  return {
    name: p.name,
    version: p.version,
    host: '127.0.0.1',
    port: p.port,
    pids: [p.daemon.pid],
    ...(p.credentials ? { credentials: { ...p.credentials } } : {}),
    logs: () => p.daemon.output(),
    stop() {
      stopping ??= (async () => {
        await p.daemon.stop(5000).catch(() => undefined);
        await removeDir(p.dir);
      })();
      return stopping;
    },
  };
}

/** A start that failed: stops what was started, then throws with the cause and the log's tail. */
export async function failedStart(
  name: string,
  error: unknown,
  logs: () => string,
  stop: () => Promise<void>,
): Promise<never> {
  const message = error instanceof Error ? error.message : String(error);
  const tail = logs().slice(-4000); // read before stop() removes the log
  await stop();
  throw new Error(`${name} did not start: ${message}\n${tail}`, { cause: error });
}
