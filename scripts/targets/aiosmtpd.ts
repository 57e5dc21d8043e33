import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  makeCertificate,
  makeTempDir,
  removeDir,
  runCommand,
  startDaemon,
  waitForGreeting,
  type Daemon,
  failedStart,
} from './process-utils.js';
import type { RealServer, RunningServer } from './real-server.js';

/**
 * aiosmtpd 1.4 (Debian `python3-aiosmtpd`, for Debian's own /usr/bin/python3) run by
 * aiosmtpd_server.py beside this file. The stock CLI, `python3 -m aiosmtpd`, cannot configure
 * AUTH (the authenticator is an argument of the `SMTP` class), so the launcher builds the same
 * `SMTP` object the CLI builds for `-n -c aiosmtpd.handlers.Sink --tlscert C --tlskey K
 * --no-requiretls` (no size limit and so no SIZE keyword, no SMTPUTF8) and adds:
 *  - AUTH PLAIN/LOGIN for a test account, offered after STARTTLS only (the library default,
 *    `auth_require_tls=True`); STARTTLS uses a self-signed certificate and is optional;
 *  - a `handle_RCPT` hook on the Sink (which discards every message) that refuses recipients
 *    at domains other than example.test with 550 5.7.1, so it is no open sink; addresses
 *    without a domain get the stock answer;
 *  - hostname `localhost` (the default, `socket.getfqdn()`, may ask DNS off the box).
 * A plain run gets the same case results as the stock CLI (checked case by case); its EHLO
 * reply adds STARTTLS.
 * It binds 127.0.0.1:PORT as root, then drops to `nobody` (as the CLI does without `-n`).
 */

const PYTHON = '/usr/bin/python3';
const HERE = dirname(fileURLToPath(import.meta.url));
const CREDENTIALS = { user: 'tester', pass: 'tester-secret' };

export const aiosmtpd: RealServer = {
  name: 'aiosmtpd',
  authAfterStartTls: true,
  isInstalled: () => aiosmtpdInstalled('aiosmtpd_server.py'),
  start: () =>
    startAiosmtpd('aiosmtpd', 'aiosmtpd_server.py', async (dir) => {
      const { key, cert } = await makeCertificate(dir);
      return { args: [cert, key, CREDENTIALS.user], credentials: CREDENTIALS };
    }),
};

/** Debian's Python has aiosmtpd and the script is here. */
export async function aiosmtpdInstalled(script: string): Promise<boolean> {
  if (!existsSync(PYTHON) || !existsSync(join(HERE, script))) return false;
  return runCommand(PYTHON, ['-c', 'import aiosmtpd']).then(
    () => true,
    () => false,
  );
}

/**
 * Starts `/usr/bin/python3 SCRIPT PORT ARGS…` (a script beside this file) with its output in a
 * log file in a fresh temp dir; `prepare` makes the extra arguments (and names the test
 * account, whose password goes in SMTPGAUGE_AUTH_PASS) once the dir exists.
 */
export async function startAiosmtpd(
  name: string,
  script: string,
  prepare: (
    dir: string,
  ) => Promise<{ args: string[]; credentials?: { user: string; pass: string } }>,
): Promise<RunningServer> {
  const dir = await makeTempDir(name);
  let daemon: Daemon | undefined;
  let stopped = false;

  // Output goes to a file, not a pipe that a busy caller could leave undrained (see opensmtpd.ts).
  const logFile = join(dir, 'aiosmtpd.log');
  const logs = () => {
    let log = '';
    try {
      log = readFileSync(logFile, 'utf8');
    } catch {
      // not written yet
    }
    return `${daemon?.output() ?? ''}${log}`.slice(-256 * 1024);
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await daemon?.stop(5_000);
    } finally {
      await removeDir(dir);
    }
  };

  try {
    const port = await freePort();
    const { args, credentials } = await prepare(dir);
    // Debian's Python with its own modules: no PYTHONPATH/PYTHONHOME from a pyenv or venv.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PYTHONUNBUFFERED: '1',
      ...(credentials ? { SMTPGAUGE_AUTH_PASS: credentials.pass } : {}),
    };
    delete env.PYTHONPATH;
    delete env.PYTHONHOME;
    const version = (
      await runCommand(PYTHON, ['-c', 'import aiosmtpd; print("aiosmtpd", aiosmtpd.__version__)'], {
        env,
      })
    ).trim();
    // `sh -c 'exec …'`: the PID we spawn becomes Python's own.
    daemon = startDaemon(
      'sh',
      ['-c', 'exec "$@" >>"$0" 2>&1', logFile, PYTHON, join(HERE, script), String(port), ...args],
      { env },
    );
    if (daemon.pid <= 0) throw new Error('spawn failed');
    await waitForGreeting(port);
    return {
      name,
      version,
      host: '127.0.0.1',
      port,
      pids: [daemon.pid],
      ...(credentials ? { credentials: { ...credentials } } : {}),
      logs,
      stop,
    };
  } catch (error) {
    return failedStart(name, error, logs, stop);
  }
}
