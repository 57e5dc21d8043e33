import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  LOOPBACK_RESOLV_CONF,
  freePort,
  makeTempDir,
  removeDir,
  runCommand,
  startDaemon,
  waitForGreeting,
  withLoopbackDns,
  type Daemon,
  signalPid,
  waitUntil,
  failedStart,
} from './process-utils.js';
import type { RealServer, RunningServer } from './real-server.js';

/**
 * OpenSMTPD 6.8 (Debian `opensmtpd`, unpacked by install-opensmtpd.sh into /opt because the
 * package conflicts with Postfix) as a private instance: `smtpd -d -f DIR/smtpd.conf`, in the
 * foreground so the PID we spawn is its parent process. Listens on 127.0.0.1:PORT only.
 *
 * Debian's build has compiled-in paths that two instances (or a system smtpd) would share, so
 * smtpd runs in a private mount namespace (`unshare -m`) where bind mounts give it its own
 * copies: /etc/resolv.conf (loopback only: smtpd resolves client names by itself),
 * /var/spool/smtpd (its queue), /run (control socket and pid file) and
 * /usr/libexec/opensmtpd (the delivery helpers from /opt). The namespace, and with it every
 * mount, disappears when smtpd exits.
 *
 * Mail for example.test (any local part, via a virtual catch-all) and for `postmaster` at the
 * server's own names (`RCPT TO:<Postmaster>` becomes `postmaster@localhost`) is delivered to
 * `mda "cat > /dev/null"` as the unprivileged `opensmtpd` user; there is no relay action, so
 * every other recipient gets smtpd's own `550 Invalid recipient`.
 *
 * No STARTTLS and therefore no AUTH: Debian 12's 6.8.0p2 with OpenSSL 3 fails every TLS
 * handshake in its privilege-separated key engine ("EVP lib", RSA and ECDSA keys alike;
 * upstream OpenSMTPD/OpenSMTPD#1171, #1239, fixed in 7.x), and smtpd only offers AUTH on a
 * TLS session. Advertising a STARTTLS that always fails would only test that bug.
 */

const ROOT = '/opt/smtpgauge/opensmtpd';
const SMTPD = `${ROOT}/usr/sbin/smtpd`;
const LIBEXEC = `${ROOT}/usr/libexec/opensmtpd`;
const DOMAIN = 'example.test';
const DELIVERY_USER = 'opensmtpd';

export const opensmtpd: RealServer = {
  name: 'opensmtpd',

  async isInstalled() {
    return (
      existsSync(SMTPD) &&
      existsSync(`${LIBEXEC}/mail.mda`) &&
      existsSync('/usr/libexec/opensmtpd') &&
      existsSync('/var/spool/smtpd') &&
      existsSync('/var/lib/opensmtpd/empty') &&
      hasUser(DELIVERY_USER) &&
      hasUser('opensmtpq')
    );
  },

  async start(): Promise<RunningServer> {
    const dir = await makeTempDir('opensmtpd');
    let daemon: Daemon | undefined;
    let children: ProcessId[] = [];
    let stopped = false;

    // smtpd -d logs every session and delivery to stderr. It goes to a file, not to a pipe:
    // a pipe that its reader drains late (a caller blocking Node's event loop) fills up and
    // then blocks every smtpd process in write(2), which looks like a hung server.
    const logFile = join(dir, 'smtpd.log');
    const logs = () => `${daemon?.output() ?? ''}${readTail(logFile)}`.slice(-256 * 1024);

    const stop = async () => {
      if (stopped) return;
      stopped = true;
      try {
        // SIGTERM to the parent: it terminates its privilege-separated children and exits.
        await daemon?.stop(10_000);
        // Should a child outlive it, end exactly the processes it had (same PID, same start).
        for (const child of children) {
          if (sameProcess(child)) signalPid(child.pid, 'SIGKILL');
        }
        await waitUntil(() => children.every((child) => !sameProcess(child)), 5_000);
      } finally {
        await removeDir(dir);
      }
    };

    try {
      const port = await freePort();
      const spool = join(dir, 'spool');
      const run = join(dir, 'run');
      // smtpd insists on a root-owned queue root with mode 0711 and creates the rest itself.
      await mkdir(spool, { mode: 0o711 });
      await chmod(spool, 0o711);
      await mkdir(run, { mode: 0o755 });
      const resolvConf = join(dir, 'resolv.conf');
      await writeFile(resolvConf, LOOPBACK_RESOLV_CONF);
      // Virtual table (file tables are read by the parent when it parses the configuration).
      const virtuals = join(dir, 'virtuals');
      await writeFile(virtuals, `postmaster ${DELIVERY_USER}\n@${DOMAIN} ${DELIVERY_USER}\n`);
      const conf = join(dir, 'smtpd.conf');
      await writeFile(
        conf,
        [
          `table virtuals file:${virtuals}`,
          `listen on 127.0.0.1 port ${port} hostname localhost`,
          `action "discard" mda "cat > /dev/null" virtual <virtuals> user ${DELIVERY_USER}`,
          `match from any for domain "${DOMAIN}" action "discard"`,
          `match from any for local action "discard"`,
          '',
        ].join('\n'),
      );
      await runCommand(SMTPD, ['-n', '-f', conf]);

      const script =
        'mount -n --bind "$1" /var/spool/smtpd && ' +
        'mount -n --bind "$2" /usr/libexec/opensmtpd && ' +
        'mount -n --bind "$3" /run && ' +
        'exec "$4" -d -f "$5" >>"$6" 2>&1';
      const [command, args] = withLoopbackDns(resolvConf, 'sh', [
        '-c',
        script,
        'sh',
        spool,
        LIBEXEC,
        run,
        SMTPD,
        conf,
        logFile,
      ]);
      // unshare and both shells exec, so this PID ends up being smtpd's parent process.
      daemon = startDaemon(command, args);
      if (daemon.pid <= 0) throw new Error('spawn failed');
      await waitForGreeting(port);
      children = childrenOf(daemon.pid);

      return {
        name: 'opensmtpd',
        version: version(),
        host: '127.0.0.1',
        port,
        pids: [daemon.pid],
        logs,
        stop,
      };
    } catch (error) {
      return failedStart('opensmtpd', error, logs, stop);
    }
  },
};

function readTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-256 * 1024);
  } catch {
    return '';
  }
}

/** `OpenSMTPD 6.8.0p2`, from `smtpd -h` (which exits 1 after printing it). */
function version(): string {
  const result = spawnSync(SMTPD, ['-h'], { encoding: 'utf8' });
  const match = /OpenSMTPD \S+/.exec(`${result.stdout}${result.stderr}`);
  return match ? match[0] : 'OpenSMTPD (unknown version)';
}

function hasUser(name: string): boolean {
  try {
    return readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .some((line) => line.startsWith(`${name}:`));
  } catch {
    return false;
  }
}

interface ProcessId {
  pid: number;
  /** Field 22 of /proc/PID/stat: tells a reused PID from the process we saw. */
  startTime: string;
}

function procStat(pid: number): { state: string; ppid: number; startTime: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', ppid: Number(fields[1]), startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

/** The direct children of `pid` (smtpd's privilege-separated processes). */
function childrenOf(pid: number): ProcessId[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const result: ProcessId[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat?.ppid === pid) result.push({ pid: Number(entry), startTime: stat.startTime });
  }
  return result;
}

function sameProcess(id: ProcessId): boolean {
  const stat = procStat(id.pid);
  // A zombie has exited; only its (new) parent can reap it.
  return stat !== undefined && stat.state !== 'Z' && stat.startTime === id.startTime;
}
