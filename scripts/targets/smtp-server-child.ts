import { access, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
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
 * A real server that is smtp-server (npm, the copy in the project's node_modules) configured by
 * a `*-main.mjs` script beside its launcher and run as a child process, so it has a PID of its
 * own, inside `withLoopbackDns` (smtp-server reverse-resolves client addresses unless told not
 * to). The script is called as `node MAIN PORT KEY_FILE CERT_FILE DOMAIN [USER PASS]`, with a
 * fresh self-signed certificate for STARTTLS and the test account when there is one.
 */
export interface SmtpServerChild {
  /** The RealServer name (`smtp-server`, `smtp-server-lmtp`). */
  name: string;
  /** Absolute path of the `*-main.mjs` script. */
  main: string;
  credentials?: { user: string; pass: string };
  protocol?: RealServer['protocol'];
  authAfterStartTls?: boolean;
}

const DOMAIN = 'example.test';
const START_TIMEOUT_MS = 15_000;

function packageJsonPath(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('smtp-server/package.json');
  } catch {
    return undefined;
  }
}

export function smtpServerChild(p: SmtpServerChild): RealServer {
  return {
    name: p.name,
    ...(p.protocol ? { protocol: p.protocol } : {}),
    ...(p.authAfterStartTls ? { authAfterStartTls: true } : {}),
    async isInstalled() {
      if (!packageJsonPath()) return false;
      try {
        await access(p.main);
        return true;
      } catch {
        return false;
      }
    },
    start: () => startChild(p),
  };
}

async function startChild(p: SmtpServerChild): Promise<RunningServer> {
  const dir = await makeTempDir(p.name);
  let daemon: Daemon | undefined;
  try {
    const pkg = packageJsonPath();
    if (!pkg) throw new Error('smtp-server is not installed (npm ci)');
    const { version } = JSON.parse(await readFile(pkg, 'utf8')) as { version: string };
    const port = await freePort();
    const { key, cert } = await makeCertificate(dir);
    const resolvConf = join(dir, 'resolv.conf');
    await writeFile(resolvConf, LOOPBACK_RESOLV_CONF);
    const account = p.credentials ? [p.credentials.user, p.credentials.pass] : [];
    const [command, args] = withLoopbackDns(resolvConf, process.execPath, [
      p.main,
      String(port),
      key,
      cert,
      DOMAIN,
      ...account,
    ]);
    const started = startDaemon(command, args, { cwd: dir });
    daemon = started;
    await waitForGreetingOrExit(started, port, START_TIMEOUT_MS);
    return daemonServer({
      name: p.name,
      version: `smtp-server ${version}`,
      port,
      daemon: started,
      dir,
      ...(p.credentials ? { credentials: p.credentials } : {}),
    });
  } catch (error) {
    return failedStart(
      p.name,
      error,
      () => daemon?.output() ?? '',
      async () => {
        await daemon?.stop();
        await removeDir(dir);
      },
    );
  }
}
