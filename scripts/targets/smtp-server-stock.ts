import { access, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RealServer, RunningServer } from './real-server.js';
import {
  LOOPBACK_RESOLV_CONF,
  freePort,
  makeCertificate,
  makeTempDir,
  removeDir,
  startDaemon,
  withLoopbackDns,
  type Daemon,
  daemonServer,
  waitForGreetingOrExit,
  failedStart,
} from './process-utils.js';

/**
 * smtp-server (npm, the copy in the project's node_modules) in its stock configuration as its
 * documentation shows it: `authOptional: true` (an MX), `onAuth` with one test account,
 * `onRcptTo` taking the test domain and the bare postmaster, `onData` draining and discarding
 * the message, our own self-signed certificate for STARTTLS, `logger: true`, and nothing
 * else: no `name`, `banner`, `size`, `disabledCommands`, `lenientAddressParsing`, timeouts or
 * other fixes (contrast the embedded reference target, src/targets/reference-target.ts).
 *
 * It runs as a child process (`smtp-server-stock-main.mjs`) so it has a PID of its own, inside
 * `withLoopbackDns`, because smtp-server reverse-resolves every client address. AUTH is only
 * accepted after STARTTLS (smtp-server's default: 538 before it, `allowInsecureAuth` off).
 */

const MAIN = join(dirname(fileURLToPath(import.meta.url)), 'smtp-server-stock-main.mjs');
const DOMAIN = 'example.test';
const CREDENTIALS = { user: 'smtpgauge', pass: 'gauge-test-password' };
const START_TIMEOUT_MS = 15_000;

function packageJsonPath(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('smtp-server/package.json');
  } catch {
    return undefined;
  }
}

export const smtpServerStock: RealServer = {
  name: 'smtp-server',
  async isInstalled() {
    const pkg = packageJsonPath();
    if (!pkg) return false;
    try {
      await access(MAIN);
      return true;
    } catch {
      return false;
    }
  },
  start: startSmtpServer,
};

async function startSmtpServer(): Promise<RunningServer> {
  const dir = await makeTempDir('smtp-server');
  let daemon: Daemon | undefined;
  try {
    const pkg = packageJsonPath();
    if (!pkg) throw new Error('smtp-server is not installed (npm ci)');
    const { version } = JSON.parse(await readFile(pkg, 'utf8')) as { version: string };
    const port = await freePort();
    const { key, cert } = await makeCertificate(dir);
    const resolvConf = join(dir, 'resolv.conf');
    await writeFile(resolvConf, LOOPBACK_RESOLV_CONF);
    const [command, args] = withLoopbackDns(resolvConf, process.execPath, [
      MAIN,
      String(port),
      key,
      cert,
      DOMAIN,
      CREDENTIALS.user,
      CREDENTIALS.pass,
    ]);
    const started = startDaemon(command, args, { cwd: dir });
    daemon = started;
    await waitForGreetingOrExit(started, port, START_TIMEOUT_MS);
    const name = 'smtp-server';
    return daemonServer({
      name,
      version: `${name} ${version}`,
      port,
      daemon: started,
      dir,
      credentials: CREDENTIALS,
    });
  } catch (error) {
    return failedStart(
      'smtp-server',
      error,
      () => daemon?.output() ?? '',
      async () => {
        await daemon?.stop();
        await removeDir(dir);
      },
    );
  }
}
