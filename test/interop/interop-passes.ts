import type { RealServer } from '../../scripts/targets/real-server.js';
import type { Suite } from '../../src/suite/model.js';

/**
 * One run of the interop tier against one real server: which suites, which protocol, which TLS
 * mode. Its outcomes are kept in `test/interop/expected/<id>.json` and it has a column of its
 * own in the table of docs/interop.md.
 *
 * - every SMTP server: a plain pass over every built-in suite (the LMTP suite is skipped by the
 *   runner), id `<server>`;
 * - an SMTP server whose launcher takes AUTH only inside TLS (`authAfterStartTls`): also a
 *   `--tls starttls` pass over STARTTLS_PASS_SUITES, id `<server>.starttls`;
 * - an LMTP server: one pass with `protocol: 'lmtp'` over the LMTP suites only, id `<server>`.
 */
export interface InteropPass {
  /** File stem of the expected outcomes and the report: `aiosmtpd`, `aiosmtpd.starttls`. */
  id: string;
  server: RealServer;
  protocol: 'smtp' | 'lmtp';
  tls: 'none' | 'starttls';
  /** What the CLI would be given for this pass beyond `--target`: `--tls starttls`, or ''. */
  options: string;
  /** Its column heading in the table: `aiosmtpd`, `aiosmtpd --tls starttls`. */
  label: string;
  /** Whether the pass runs this suite (the built-in reply-syntax checks are always added). */
  runs(suite: Suite): boolean;
}

/**
 * The suites of a `--tls starttls` pass: only `rfc4954-auth`. Every one of its cases requires
 * AUTH, which these servers list (aiosmtpd) or accept (smtp-server) only inside TLS; that is
 * what the pass is for. When the pass was added it was run once over every built-in suite on
 * both servers and compared case by case with their plain pass: outside `rfc4954-auth` every
 * outcome was the same, except cases that require STARTTLS in the probe's EHLO (all of
 * `rfc3207-starttls` and `security-smuggling-tls`, the STARTTLS-injection and
 * no-plaintext-auth-in-clear cases of `security-commands`), which are skipped inside TLS and are
 * already run by the plain pass. The others would add time (`security-smuggling` alone ~50 s a
 * server) and no information; docs/interop.md has the comparison.
 */
export const STARTTLS_PASS_SUITES: ReadonlySet<string> = new Set(['rfc4954-auth']);

export function interopPasses(servers: readonly RealServer[]): InteropPass[] {
  return servers.flatMap((server): InteropPass[] => {
    if (server.protocol === 'lmtp') {
      return [
        {
          id: server.name,
          server,
          protocol: 'lmtp',
          tls: 'none',
          options: '--protocol lmtp',
          label: server.name,
          runs: (suite) => suite.protocol === 'lmtp',
        },
      ];
    }
    const plain: InteropPass = {
      id: server.name,
      server,
      protocol: 'smtp',
      tls: 'none',
      options: '',
      label: server.name,
      runs: () => true,
    };
    if (!server.authAfterStartTls) return [plain];
    return [
      plain,
      {
        id: `${server.name}.starttls`,
        server,
        protocol: 'smtp',
        tls: 'starttls',
        options: '--tls starttls',
        label: `${server.name} --tls starttls`,
        runs: (suite) => STARTTLS_PASS_SUITES.has(suite.id),
      },
    ];
  });
}
