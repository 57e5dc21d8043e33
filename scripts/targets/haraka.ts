import { access, constants, copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RealServer, RunningServer } from './real-server.js';
import {
  LOOPBACK_RESOLV_CONF,
  freePort,
  makeCertificate,
  makeTempDir,
  removeDir,
  runCommand,
  startDaemon,
  withLoopbackDns,
  type Daemon,
  daemonServer,
  waitForGreetingOrExit,
  failedStart,
} from './process-utils.js';

/**
 * Haraka 3.3.4 from /opt/smtpgauge/haraka (`install-haraka.sh`), one private instance per
 * start() in a temp dir made by `haraka -i DIR` and then configured for the test:
 *
 * - `smtp.ini`: listen=127.0.0.1:PORT only; `nodes=0`, so no cluster: one process, the PID we
 *   started, serves every connection; `public_ip` set so nothing tries a STUN lookup.
 * - plugins: `tls` (STARTTLS with a self-signed EC certificate and the RFC 7919 ffdhe2048
 *   group as dhparams, so Haraka does not spend ~40 s in `openssl dhparam 2048`),
 *   `auth/flat_file` (AUTH PLAIN LOGIN CRAM-MD5 with one test account; Haraka advertises it
 *   on private addresses such as 127.0.0.1 also before STARTTLS), `rcpt_to.in_host_list`
 *   (`host_list` = example.test) and `queue/discard` (armed by YES_REALLY_DO_DISCARD=1).
 *   The `haraka -i` defaults `mail_from.is_resolvable` (DNS) and `queue/smtp_forward`
 *   (delivery) are dropped; nothing loaded queries DNS except the core's reverse lookup of
 *   the client address, which goes to the loopback resolv.conf (`withLoopbackDns`).
 * - after AUTH Haraka treats the client as relaying and takes any recipient; such mail goes
 *   to the `queue_outbound` hook, which queue/discard also answers, and outbound delivery is
 *   disabled in `outbound.ini` as well: nothing is ever delivered.
 * - logs at `notice` to stdout (connect, sender, recipient, queue, disconnect), collected by
 *   the daemon wrapper; `info` would log every hook call, base64 AUTH LOGIN lines included.
 */

const PREFIX = '/opt/smtpgauge/haraka';
const BIN = join(PREFIX, 'node_modules', '.bin', 'haraka');
const PACKAGE_JSON = join(PREFIX, 'node_modules', 'Haraka', 'package.json');
const DOMAIN = 'example.test';
const CREDENTIALS = { user: 'smtpgauge', pass: 'gauge-test-password' };
const START_TIMEOUT_MS = 30_000;

export const haraka: RealServer = {
  name: 'haraka',
  async isInstalled() {
    try {
      await access(BIN, constants.X_OK);
      await access(PACKAGE_JSON, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  },
  start: startHaraka,
};

async function startHaraka(): Promise<RunningServer> {
  const dir = await makeTempDir('haraka');
  let daemon: Daemon | undefined;
  try {
    const version = await harakaVersion();
    const port = await freePort();
    await runCommand(BIN, ['-i', dir]);
    await writeConfig(dir, port);
    const resolvConf = join(dir, 'resolv.conf');
    await writeFile(resolvConf, LOOPBACK_RESOLV_CONF);
    const [command, args] = withLoopbackDns(resolvConf, BIN, ['-c', dir]);
    const started = startDaemon(command, args, {
      cwd: dir,
      env: { ...process.env, YES_REALLY_DO_DISCARD: '1' },
    });
    daemon = started;
    await waitForGreetingOrExit(started, port, START_TIMEOUT_MS);
    return daemonServer({
      name: 'haraka',
      version,
      port,
      daemon: started,
      dir,
      credentials: CREDENTIALS,
    });
  } catch (error) {
    return failedStart(
      'haraka',
      error,
      () => daemon?.output() ?? '',
      async () => {
        await daemon?.stop();
        await removeDir(dir);
      },
    );
  }
}

async function harakaVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(PACKAGE_JSON, 'utf8')) as { version: string };
  return `Haraka ${pkg.version}`;
}

async function writeConfig(dir: string, port: number): Promise<void> {
  const config = join(dir, 'config');
  const { key, cert } = await makeCertificate(dir);
  await copyFile(key, join(config, 'tls_key.pem'));
  await copyFile(cert, join(config, 'tls_cert.pem'));
  await runCommand('openssl', [
    'genpkey',
    '-genparam',
    '-algorithm',
    'DH',
    '-pkeyopt',
    'group:ffdhe2048',
    '-out',
    join(config, 'dhparams.pem'),
  ]);
  const files: Record<string, string> = {
    'smtp.ini': [
      '[main]',
      `listen=127.0.0.1:${port}`,
      'nodes=0',
      'daemonize=false',
      'public_ip=127.0.0.1',
      'force_shutdown_timeout=5',
      '',
    ].join('\n'),
    me: 'mx.example.test\n',
    host_list: `${DOMAIN}\n`,
    plugins: ['tls', 'auth/flat_file', 'rcpt_to.in_host_list', 'queue/discard', ''].join('\n'),
    'tls.ini': ['[main]', 'key=tls_key.pem', 'cert=tls_cert.pem', 'dhparam=dhparams.pem', ''].join(
      '\n',
    ),
    'auth_flat_file.ini': [
      '[core]',
      'methods=PLAIN,LOGIN,CRAM-MD5',
      '',
      '[users]',
      `${CREDENTIALS.user}=${CREDENTIALS.pass}`,
      '',
    ].join('\n'),
    // Defence in depth: queue/discard already answers queue_outbound (what an authenticated,
    // hence relaying, client's mail goes to); this keeps Haraka's delivery engine paused too.
    'outbound.ini': ['[main]', 'disabled=true', ''].join('\n'),
    // notice: connect/sender/recipient/queue/disconnect lines; info would also log every
    // hook call, including the base64 AUTH LOGIN exchange.
    'log.ini': ['[main]', 'level=notice', 'timestamps=true', 'format=default', ''].join('\n'),
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(config, name), text);
}
