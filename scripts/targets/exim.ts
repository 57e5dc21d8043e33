import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  LOOPBACK_RESOLV_CONF,
  freePort,
  makeCertificate,
  makeTempDir,
  removeDir,
  runCommand,
  startDaemon,
  waitForGreeting,
  withLoopbackDns,
  signalPid,
  waitForPidExit,
  failedStart,
} from './process-utils.js';
import type { RealServer, RunningServer } from './real-server.js';

/**
 * Exim 4.96 (Debian `exim4-daemon-light`, unpacked by install-exim.sh into
 * /opt/smtpgauge/exim, not installed as the system MTA) as a private daemon:
 * `exim -C CONF -bdf -oX PORT -oP PIDFILE`, run as root (so `-C` with a config outside
 * TRUSTED_CONFIG_LIST keeps its privileges), in the foreground so its PID is the one we spawned,
 * in a mount namespace whose resolv.conf points at loopback. Spool, logs and pid file live in a
 * temp dir. Any local part at example.test (and `postmaster`, which Exim qualifies with
 * primary_hostname) is accepted by the RCPT ACL and routed to `:blackhole:`; every other domain
 * is refused at RCPT, so nothing is relayed or delivered. STARTTLS with a self-signed
 * certificate (`tls_advertise_hosts = *`); AUTH PLAIN and LOGIN (`plaintext` authenticators,
 * one fixed test account) offered with or without TLS, so AUTH suites can run both ways.
 * Everything else is Exim's compiled-in default (smtp_max_unknown_commands,
 * smtp_enforce_sync, hosts_require_helo, no VRFY/EXPN ACL, …): the suites see Exim as built.
 */

const PREFIX = '/opt/smtpgauge/exim';
const EXIM = join(PREFIX, 'usr', 'sbin', 'exim4');
const EXIM_USER = 'Debian-exim';
const DOMAIN = 'example.test';
const CREDENTIALS = { user: 'tester', pass: 'tester-secret' };

export const exim: RealServer = {
  name: 'exim',

  async isInstalled() {
    if (!existsSync(EXIM)) return false;
    try {
      // Exim resolves its compiled-in user at start-up; without it nothing runs.
      await runCommand('getent', ['passwd', EXIM_USER]);
      return true;
    } catch {
      return false;
    }
  },

  async start(): Promise<RunningServer> {
    const dir = await makeTempDir('exim');
    const spool = join(dir, 'spool');
    const logDir = join(dir, 'log');
    const pidFile = join(dir, 'exim.pid');
    const confFile = join(dir, 'exim.conf');
    let daemon: ReturnType<typeof startDaemon> | undefined;
    let stopped = false;

    const logs = () => {
      let text = daemon?.output() ?? '';
      for (const name of ['mainlog', 'rejectlog', 'paniclog']) {
        try {
          text += `--- ${name}\n${readFileSync(join(logDir, name), 'utf8')}`;
        } catch {
          // not written
        }
      }
      return text.slice(-256 * 1024);
    };

    const stop = async () => {
      if (stopped) return;
      stopped = true;
      try {
        if (daemon && daemon.pid > 0) {
          // Sessions still open run in children the daemon forked; end them too.
          const children = childrenOf(daemon.pid);
          await daemon.stop(5000);
          for (const pid of children) signalPid(pid, 'SIGTERM');
          for (const pid of children) {
            if (!(await waitForPidExit(pid, 3000))) signalPid(pid, 'SIGKILL');
          }
        }
      } finally {
        await removeDir(dir);
      }
    };

    try {
      const uid = Number((await runCommand('id', ['-u', EXIM_USER])).trim());
      const gid = Number((await runCommand('id', ['-g', EXIM_USER])).trim());
      await chmod(dir, 0o755);
      // Reception runs as the Exim user: it writes the spool and the logs.
      for (const d of [spool, logDir]) {
        await mkdir(d, { mode: 0o750 });
        await runCommand('chown', [`${uid}:${gid}`, d]);
      }
      const port = await freePort();
      const { key, cert } = await makeCertificate(dir);
      await runCommand('chown', [`0:${gid}`, key, cert]);
      await chmod(key, 0o640);
      await writeFile(confFile, eximConf({ port, spool, logDir, pidFile, key, cert, uid, gid }), {
        mode: 0o644,
      });
      const resolvConf = join(dir, 'resolv.conf');
      await writeFile(resolvConf, LOOPBACK_RESOLV_CONF);

      const bv = await runCommand(EXIM, ['-C', confFile, '-bV']);
      const versionNumber = /^Exim version (\S+)/m.exec(bv)?.[1] ?? 'unknown';
      const version = `Exim ${versionNumber}`;

      const [command, args] = withLoopbackDns(resolvConf, EXIM, [
        '-C',
        confFile,
        '-bdf',
        '-oX',
        String(port),
        '-oP',
        pidFile,
      ]);
      daemon = startDaemon(command, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
      const started = daemon;
      await Promise.race([
        waitForGreeting(port),
        new Promise((_, reject) =>
          started.child.once('exit', (code, sig) =>
            reject(new Error(`exim exited at start-up (${sig ?? code})`)),
          ),
        ),
      ]);
      return {
        name: 'exim',
        version,
        host: '127.0.0.1',
        port,
        pids: [started.pid],
        credentials: { ...CREDENTIALS },
        logs,
        stop,
      };
    } catch (error) {
      return failedStart('exim', error, logs, stop);
    }
  },
};

function eximConf(p: {
  port: number;
  spool: string;
  logDir: string;
  pidFile: string;
  key: string;
  cert: string;
  uid: number;
  gid: number;
}): string {
  const { user, pass } = CREDENTIALS;
  return `# smtpgauge private Exim instance (generated; see scripts/targets/exim.ts)
primary_hostname = mx.${DOMAIN}
# Exim re-executes itself (delivery after reception); not at its compiled-in /usr/sbin path.
exim_path = ${EXIM}
domainlist local_domains = ${DOMAIN} : mx.${DOMAIN} : localhost
domainlist relay_to_domains =
hostlist relay_from_hosts =

daemon_smtp_ports = ${p.port}
local_interfaces = 127.0.0.1
exim_user = ${p.uid}
exim_group = ${p.gid}
spool_directory = ${p.spool}
log_file_path = ${p.logDir}/%slog
pid_file_path = ${p.pidFile}
keep_environment =

# No DNS, no ident: no reverse lookups of clients, no RFC 1413 callbacks.
host_lookup =
rfc1413_hosts =

tls_advertise_hosts = *
tls_certificate = ${p.cert}
tls_privatekey = ${p.key}

acl_smtp_rcpt = acl_check_rcpt

begin acl

acl_check_rcpt:
  accept  domains = +local_domains
  deny    message = relay not permitted

begin routers

discard_local:
  driver = redirect
  domains = +local_domains
  data = :blackhole:

begin transports

begin retry

*   *   F,2h,15m

begin authenticators

plain_server:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = \${if and {{eq{$auth2}{${user}}}{eq{$auth3}{${pass}}}}}
  server_set_id = $auth2

login_server:
  driver = plaintext
  public_name = LOGIN
  server_prompts = <| Username: | Password:
  server_condition = \${if and {{eq{$auth1}{${user}}}{eq{$auth2}{${pass}}}}}
  server_set_id = $auth1
`;
}

/** PIDs whose parent is `ppid` (from /proc). */
function childrenOf(ppid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(join('/proc', entry, 'stat'), 'utf8');
      // pid (comm) state ppid …; comm may contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === ppid) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}
