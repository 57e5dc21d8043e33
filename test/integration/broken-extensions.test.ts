import { beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '../../src/suite/model.js';
import { startScriptedServer, type ScriptedServerOptions } from '../support/scripted-server.js';
import type { ExtensionDefect } from '../support/smtp-defects.js';
import { builtinSuites, runAgainst } from './run-helpers.js';

/**
 * Every extension and security case is shown able to fail: each defect of the scripted server
 * breaks one rule, and the cases that guard it pass against the conforming server and fail
 * against the broken one, with the same server options. Typed by ExtensionDefect, so a new
 * defect without guards does not compile. Only the guard cases run, to keep this fast.
 */
interface Guard {
  cases: string[];
  /** Server options for both runs; AUTH defects need AUTH offered in the plain session. */
  server?: Omit<ScriptedServerOptions, 'defects'>;
}

const PLAIN_AUTH = { authOnlyAfterTls: false };

const GUARDS: Record<ExtensionDefect, Guard> = {
  'size-not-enforced': {
    cases: [
      'rfc1870-size/size-mail-declared-over-limit-refused',
      'rfc1870-size/size-data-over-limit-refused',
    ],
  },
  'size-bad-syntax': { cases: ['rfc1870-size/size-keyword-parameter-syntax'] },
  // Reordering is visible only where the pipelined replies differ (250, 550, 503).
  'pipelining-reorders': {
    cases: ['rfc2920-pipelining/pipelined-data-refused-after-refused-recipient'],
  },
  'pipelining-drops-input': { cases: ['rfc2920-pipelining/pipelined-quit-after-message-not-lost'] },
  'pipelining-waits': { cases: ['rfc2920-pipelining/pipelined-replies-flushed-when-input-empty'] },
  '8bitmime-body-refused': { cases: ['rfc6152-8bitmime/body-8bitmime-accepted'] },
  'body-any-accepted': { cases: ['rfc6152-8bitmime/body-unknown-value-refused'] },
  'smtputf8-refused': { cases: ['rfc6531-smtputf8/mail-smtputf8-parameter-accepted'] },
  'esc-missing': {
    cases: [
      'rfc2034-enhanced-status-codes/esc-mail-reply',
      'rfc2034-enhanced-status-codes/esc-rcpt-reply',
    ],
  },
  'esc-wrong-class': { cases: ['rfc2034-enhanced-status-codes/esc-noop-reply'] },
  'dsn-params-refused': {
    cases: [
      'rfc3461-dsn/dsn-mail-ret-envid-accepted',
      'rfc3461-dsn/dsn-rcpt-notify-orcpt-accepted',
    ],
  },
  'dsn-bad-accepted': { cases: ['rfc3461-dsn/dsn-rcpt-notify-never-combined-refused'] },
  'bdat-eats-commands': { cases: ['rfc3030-chunking/bdat-without-mail-discards-chunk'] },
  'bdat-data-after-chunk': { cases: ['rfc3030-chunking/data-after-bdat-refused'] },
  'bdat-inband-dot': { cases: ['rfc3030-chunking/bdat-no-in-band-terminator'] },
  'starttls-injection': { cases: ['security-commands/starttls-injection-noop'] },
  // The EHLO after TLS resets the transaction anyway (RFC 5321 §4.1.4); only a MAIL without a
  // new EHLO shows state kept across TLS.
  'starttls-keeps-state': { cases: ['rfc3207-starttls/tls-forgets-ehlo'] },
  'starttls-twice': { cases: ['rfc3207-starttls/starttls-inside-tls-refused'] },
  'starttls-param-accepted': { cases: ['rfc3207-starttls/starttls-with-parameter-rejected'] },
  'auth-334-text': { cases: ['rfc4954-auth/auth-plain-empty-challenge'], server: PLAIN_AUTH },
  'auth-cancel-ignored': { cases: ['rfc4954-auth/auth-plain-cancel'], server: PLAIN_AUTH },
  'auth-bad-b64-535': {
    cases: ['rfc4954-auth/auth-plain-initial-response-not-base64'],
    server: PLAIN_AUTH,
  },
  'auth-twice-allowed': { cases: ['rfc4954-auth/auth-twice-rejected'], server: PLAIN_AUTH },
  'auth-in-transaction': {
    cases: ['rfc4954-auth/auth-in-transaction-rejected'],
    server: PLAIN_AUTH,
  },
  'auth-unknown-mech-535': { cases: ['rfc4954-auth/auth-unknown-mechanism'], server: PLAIN_AUTH },
  'auth-short-line': { cases: ['rfc4954-auth/auth-plain-maximum-response'], server: PLAIN_AUTH },
  'auth-mail-param-refused': { cases: ['rfc4954-auth/mail-auth-param-empty'], server: PLAIN_AUTH },
  'auth-offered-in-clear': { cases: ['security-commands/no-plaintext-auth-in-clear'] },
  'smuggle-lf-dot-lf': { cases: ['security-smuggling/lf-dot-lf-alone'] },
  'smuggle-cr-dot-cr': { cases: ['security-smuggling/cr-dot-cr'] },
  'smuggle-crlf-dot-lf': { cases: ['security-smuggling/crlf-dot-lf'] },
  'smuggle-lf-dot-crlf': { cases: ['security-smuggling/lf-dot-crlf'] },
  'smuggle-nul': { cases: ['security-smuggling/nul-before-dot'] },
  'bare-lf-command': { cases: ['security-commands/bare-lf-not-command-end'] },
  'bare-cr-command': { cases: ['security-commands/bare-cr-not-command-end'] },
  'lmtp-one-reply': { cases: ['rfc2033-lmtp/data-reply-per-recipient'], server: { lmtp: true } },
};

const CREDENTIALS = { user: 'tester', pass: 'tester-secret' };
let all: Suite[];
beforeAll(async () => {
  all = await builtinSuites();
});

/** The suites cut down to the given `suite/case` ids. */
function only(ids: string[]): Suite[] {
  return all
    .map((suite) => ({
      ...suite,
      cases: suite.cases.filter((c) => ids.includes(`${suite.id}/${c.id}`)),
    }))
    .filter((suite) => suite.cases.length > 0);
}

async function statuses(guard: Guard, defects: ExtensionDefect[]): Promise<Record<string, string>> {
  const server = await startScriptedServer({ ...guard.server, defects });
  try {
    const suites = only(guard.cases);
    expect(suites.flatMap((s) => s.cases)).toHaveLength(guard.cases.length);
    const protocol = guard.server?.lmtp ? 'lmtp' : 'smtp';
    const run = await runAgainst(server.port, suites, {
      replyMs: 1500,
      credentials: CREDENTIALS,
      protocol,
    });
    return Object.fromEntries(
      run.suites.flatMap((s) => s.cases.map((c) => [`${s.id}/${c.id}`, c.status])),
    );
  } finally {
    await server.close();
  }
}

describe('each extension defect fails the cases that guard its rule, which pass without it', () => {
  for (const [defect, guard] of Object.entries(GUARDS) as [ExtensionDefect, Guard][]) {
    it(defect, async () => {
      const conforming = await statuses(guard, []);
      const broken = await statuses(guard, [defect]);
      for (const id of guard.cases) {
        expect(conforming[id], `${id} against the conforming server`).toBe('passed');
        expect(broken[id], `${id} against '${defect}'`).toBe('failed');
      }
    });
  }
});
