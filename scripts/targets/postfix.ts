import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  LOOPBACK_RESOLV_CONF,
  freePort,
  makeCertificate,
  makeTempDir,
  removeDir,
  runCommand,
  waitForGreeting,
  withLoopbackDns,
  signalPid,
  waitForPidExit,
  failedStart,
} from './process-utils.js';
import type { RealServer, RunningServer } from './real-server.js';

/**
 * Postfix 3.7 (Debian `postfix`, installed by install-postfix.sh) as a private instance:
 * `postfix -c DIR start` with its own main.cf/master.cf, queue, data directory and log file in
 * a temp dir, smtpd on 127.0.0.1:PORT only. Mail for example.test (any local part, plus
 * `postmaster` and the host's own names, as in a default install) is accepted and discarded by
 * the discard(8) transport; anything else goes to the error(8) transport, so nothing is ever
 * relayed or delivered. STARTTLS (`smtpd_tls_security_level = may`) with a self-signed
 * certificate; AUTH PLAIN/LOGIN through Cyrus SASL's sasldb auxprop plugin (no saslauthd),
 * offered in clear too, which is Postfix's default (`smtpd_tls_auth_only = no`).
 * Everything else is Postfix's default behaviour at compatibility level 3.6 (what Debian's own
 * main.cf sets): the suites see Postfix as users run it, not tuned to pass.
 */

const POSTFIX = '/usr/sbin/postfix';
const POSTCONF = '/usr/sbin/postconf';
const SASLPASSWD2 = '/usr/sbin/saslpasswd2';
const DOMAIN = 'example.test';
const CREDENTIALS = { user: 'tester', pass: 'tester-secret' };

/**
 * With `relayPort`, mail for example.test is not discarded but relayed to 127.0.0.1:relayPort
 * (the capture sink of `run --capture`): `relay_domains`, and `relay_transport` pointing at
 * that one loopback address. Everything else stays as above.
 */
export interface PostfixOptions {
  relayPort?: number;
}

export const postfix: RealServer = {
  name: 'postfix',

  async isInstalled() {
    return (
      existsSync(POSTFIX) &&
      existsSync(POSTCONF) &&
      existsSync(SASLPASSWD2) &&
      existsSync('/usr/lib/postfix/sbin/master') &&
      existsSync('/usr/sbin/smtp-sink') &&
      existsSync('/usr/sbin/smtp-source')
    );
  },

  start: () => startPostfix(),
};

export async function startPostfix(options: PostfixOptions = {}): Promise<RunningServer> {
  const dir = await makeTempDir('postfix');
  const conf = join(dir, 'conf');
  const queue = join(dir, 'queue');
  const data = join(dir, 'data');
  // Debian's Postfix looks for smtpd.conf in $config_directory/sasl whatever
  // cyrus_sasl_config_path says; it is set to the same folder for upstream's sake.
  const sasl = join(conf, 'sasl');
  const maillog = join(dir, 'maillog');
  const pidFile = join(queue, 'pid', 'master.pid');
  let startOutput = '';
  let pid = -1;
  let stopped = false;

  const logs = () => {
    let log = '';
    try {
      log = readFileSync(maillog, 'utf8');
    } catch {
      // not written yet
    }
    return `${startOutput}${log}`.slice(-256 * 1024);
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await runCommand(POSTFIX, ['-c', conf, 'stop']).catch(() => undefined);
      if (pid > 0 && !(await waitForPidExit(pid, 10_000))) {
        // The master is a session leader; its group holds only the daemons it forked.
        signalPid(-pid, 'SIGKILL');
        signalPid(pid, 'SIGKILL');
        await waitForPidExit(pid, 5_000);
      }
    } finally {
      await removeDir(dir);
    }
  };

  try {
    // Postfix's daemons run as the unprivileged `postfix` user and must reach the queue.
    await chmod(dir, 0o755);
    await mkdir(sasl, { recursive: true, mode: 0o755 });
    await chmod(conf, 0o755);
    // The queue's root must exist and belong to root; `postfix start` creates the rest.
    await mkdir(queue, { mode: 0o755 });
    const port = await freePort();
    const { key, cert } = await makeCertificate(conf);

    // Outside the config directory: `postfix check` wants everything there owned by root.
    const sasldb = join(dir, 'sasldb2');
    await runCommand(SASLPASSWD2, ['-f', sasldb, '-p', '-c', '-u', DOMAIN, CREDENTIALS.user], {
      input: CREDENTIALS.pass,
    });
    // smtpd reads the sasldb as the postfix user.
    await runCommand('chown', ['postfix:postfix', sasldb]);
    await chmod(sasldb, 0o600);
    await writeFile(
      join(sasl, 'smtpd.conf'),
      [
        'pwcheck_method: auxprop',
        'auxprop_plugin: sasldb',
        `sasldb_path: ${sasldb}`,
        'mech_list: PLAIN LOGIN',
        '',
      ].join('\n'),
    );

    await writeFile(
      join(conf, 'main.cf'),
      mainCf({ conf, queue, data, sasl, maillog, dir, key, cert, relayPort: options.relayPort }),
    );
    await writeFile(join(conf, 'master.cf'), masterCf(port));
    const resolvConf = join(dir, 'resolv.conf');
    await writeFile(resolvConf, LOOPBACK_RESOLV_CONF);

    const version = `Postfix ${(await runCommand(POSTCONF, ['-d', '-h', 'mail_version'])).trim()}`;

    // `postfix start` runs the integrity check (creating the queue directories with the
    // owners Postfix wants) and waits for the master to report that it initialised. The
    // master then runs in a private mount namespace whose resolv.conf points at loopback.
    const [command, args] = withLoopbackDns(resolvConf, POSTFIX, ['-c', conf, 'start']);
    startOutput = await runCommand(command, args);
    pid = Number((await readFile(pidFile, 'utf8')).trim());
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`bad master.pid in ${pidFile}`);

    await waitForGreeting(port);
    return {
      name: 'postfix',
      version,
      host: '127.0.0.1',
      port,
      pids: [pid],
      credentials: { ...CREDENTIALS },
      logs,
      stop,
    };
  } catch (error) {
    return failedStart('postfix', error, logs, stop);
  }
}

function mainCf(p: {
  conf: string;
  queue: string;
  data: string;
  sasl: string;
  maillog: string;
  dir: string;
  key: string;
  cert: string;
  relayPort?: number;
}): string {
  return `# smtpgauge private Postfix instance (generated; see scripts/targets/postfix.ts)
compatibility_level = 3.6
config_directory = ${p.conf}
queue_directory = ${p.queue}
data_directory = ${p.data}
maillog_file = ${p.maillog}
maillog_file_prefixes = ${p.dir}
# Run by root, daemons as the Debian package's postfix user and postdrop group.
mail_owner = postfix
setgid_group = postdrop

myhostname = mx.${DOMAIN}
mydomain = ${DOMAIN}
myorigin = $myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4

${p.relayPort === undefined ? discardTestDomain() : relayTestDomain(p.relayPort)}
# No DNS: no reverse lookups of clients, no MX lookups (the smtp client never runs anyway).
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
smtp_host_lookup = native
lmtp_host_lookup = native

# STARTTLS with a self-signed certificate.
smtpd_tls_security_level = may
smtpd_tls_cert_file = ${p.cert}
smtpd_tls_key_file = ${p.key}

# AUTH PLAIN/LOGIN via Cyrus SASL sasldb (auxprop, no saslauthd).
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
cyrus_sasl_config_path = ${p.sasl}
smtpd_sasl_local_domain = ${DOMAIN}
`;
}

/** Any local part at the test domain (and the default local names) is accepted and discarded. */
function discardTestDomain(): string {
  return `# Accept any local part at ${DOMAIN} (and the default local names) and discard it.
mydestination = $myhostname, localhost.$mydomain, localhost, ${DOMAIN}
local_recipient_maps =
alias_maps =
alias_database =
local_transport = discard:smtpgauge
# Never relay or deliver off the box.
relayhost =
relay_transport = error:smtpgauge test instance does not relay
default_transport = error:smtpgauge test instance does not relay
`;
}

/** The test domain is relayed to the capture sink on loopback; nothing else leaves. */
function relayTestDomain(port: number): string {
  return `# Relay any local part at ${DOMAIN} to the capture sink on 127.0.0.1:${port}.
mydestination = $myhostname, localhost.$mydomain, localhost
local_recipient_maps =
alias_maps =
alias_database =
local_transport = discard:smtpgauge
relay_domains = ${DOMAIN}
relay_recipient_maps =
relayhost =
relay_transport = smtp:[127.0.0.1]:${port}
default_transport = error:smtpgauge test instance does not relay
# Deliver at once, and give up quickly when the sink is gone.
smtp_connect_timeout = 5s
maximal_queue_lifetime = 1m
bounce_queue_lifetime = 1m
`;
}

/** The services of Debian's master.cf, without chroot, smtpd on 127.0.0.1:PORT only. */
function masterCf(port: number): string {
  return `# service type  private unpriv  chroot  wakeup  maxproc command + args
127.0.0.1:${port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
`;
}
