import { beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '../../src/suite/model.js';
import { startScriptedServer } from '../support/scripted-server.js';
import type { Defect } from '../support/smtp-defects.js';
import { builtinSuites, idsWith, runAgainst } from './run-helpers.js';

/**
 * Every check is shown able to fail: each deliberately broken server (test/support) breaks one
 * rule, and the cases that guard that rule must fail against it. The table is typed by Defect,
 * so a new defect without its guards does not compile.
 */
const GUARDS: Record<Defect, string[]> = {
  'rcpt-before-mail-accepted': [
    'rfc5321-sequencing/rcpt-without-mail',
    'rfc5321-sequencing/rcpt-after-completed-transaction',
  ],
  'unknown-verb-250': [
    'rfc5321-unknown-commands/unknown-command-keeps-connection',
    'rfc5321-unknown-commands/unknown-command-500',
  ],
  'lowercase-refused': [
    'rfc5321-case-insensitivity/ehlo-lower-case',
    'rfc5321-case-insensitivity/mail-lower-case',
    'rfc5321-case-insensitivity/rcpt-lower-case',
    'rfc5321-case-insensitivity/data-lower-case',
    'rfc5321-quit/quit-lower-case',
  ],
  'rset-keeps-transaction': [
    'rfc5321-rset/rset-clears-transaction',
    'rfc5321-rset/rset-allows-new-mail',
  ],
  'quit-without-221': ['rfc5321-quit/quit-221-and-close', 'rfc5321-quit/quit-during-transaction'],
  'quit-no-close': ['rfc5321-quit/quit-221-and-close'],
  'malformed-multiline': ['rfc5321-reply-syntax/reply-multiline-same-code'],
  'bare-lf-replies': ['rfc5321-reply-syntax/reply-crlf-line-endings'],
  'never-answers': ['rfc5321-case-insensitivity/ehlo-lower-case'],
  'stops-answering-after-ehlo': ['rfc5321-case-insensitivity/mail-lower-case'],
  'no-greeting': ['rfc5321-case-insensitivity/ehlo-lower-case'],
  // A 554 greeting is itself allowed (§3.1), but then nothing can be verified: the cases that
  // need a 220 session fail with "expected 220 greeting", which is what a user must see.
  'greeting-554': ['rfc5321-greeting/greeting-names-server', 'rfc5321-mail/mail-null-reverse-path'],
  'nested-mail-accepted': ['rfc5321-sequencing/mail-nested'],
  'data-without-rcpt-354': [
    'rfc5321-sequencing/data-without-mail',
    'rfc5321-sequencing/data-without-rcpt',
  ],
  'null-sender-refused': ['rfc5321-mail/mail-null-reverse-path'],
  'postmaster-refused': ['rfc5321-rcpt/rcpt-postmaster-without-domain'],
  'source-route-refused': [
    'rfc5321-mail/mail-source-route-accepted',
    'rfc5321-rcpt/rcpt-source-route-recognised',
  ],
  'short-line-limit': [
    'rfc5321-limits/command-line-512-octets',
    'rfc5321-limits/mail-path-256-octets',
  ],
  'text-line-limit': ['rfc5321-limits/text-line-1000-octets'],
  'recipient-limit-10': ['rfc5321-limits/rcpt-100-recipients'],
  'small-message-limit': ['rfc5321-limits/message-64k-octets'],
  'vrfy-500': ['rfc5321-vrfy-expn-help/vrfy-supported'],
  'help-500': ['rfc5321-vrfy-expn-help/help-without-argument'],
  'noop-args-refused': ['rfc5321-noop/noop-with-argument'],
  'closes-on-unknown': ['rfc5321-unknown-commands/unknown-command-keeps-connection'],
  'helo-multiline': ['rfc5321-ehlo-helo/helo-no-extension-list'],
  'ehlo-refused': ['rfc5321-case-insensitivity/ehlo-lower-case'],
  'dot-transparency-broken': ['rfc5321-data/data-transparency'],
  'reply-too-long': ['rfc5321-reply-syntax/reply-line-length'],
  'two-replies-to-noop': [
    'rfc5321-noop/noop-keeps-transaction',
    'rfc5321-reply-syntax/reply-one-per-command',
  ],
};

let suites: Suite[];
beforeAll(async () => {
  suites = await builtinSuites(['rfc5321']);
});

async function runAgainstDefect(defects: Defect[]) {
  const server = await startScriptedServer({ defects });
  try {
    return await runAgainst(server.port, suites, { replyMs: 700 });
  } finally {
    await server.close();
  }
}

describe('the conforming scripted server', () => {
  it('passes every MUST and SHOULD case', async () => {
    const run = await runAgainstDefect([]);
    expect(idsWith(run, 'failed', ['must', 'should'])).toEqual([]);
    expect(idsWith(run, 'error')).toEqual([]);
  });
});

describe('each broken server fails the cases that guard its rule', () => {
  for (const [defect, guards] of Object.entries(GUARDS) as [Defect, string[]][]) {
    it(defect, async () => {
      const run = await runAgainstDefect([defect]);
      const failed = idsWith(run, 'failed');
      for (const guard of guards)
        expect(failed, `${guard} should fail against '${defect}'`).toContain(guard);
    });
  }
});

describe('a server that stops answering', () => {
  it('gives timed-out verdicts and stops running cases instead of hanging', async () => {
    const started = Date.now();
    const run = await runAgainstDefect(['never-answers']);
    const cases = run.suites.flatMap((s) => s.cases);
    const timedOut = cases.filter((c) => c.failure?.timedOut);
    expect(timedOut).toHaveLength(3);
    expect(timedOut[0]!.reason).toMatch(/no reply within \d+ ms/);
    const notRun = cases.filter((c) => c.status === 'error');
    expect(notRun.length).toBeGreaterThan(50);
    expect(notRun[0]!.reason).toMatch(/not run: the target stopped answering/);
    expect(Date.now() - started).toBeLessThan(15_000);
    const syntax = run.suites.find((s) => s.id === 'rfc5321-reply-syntax')!;
    expect(syntax.cases.map((c) => c.status)).toEqual(syntax.cases.map(() => 'skipped'));
  });
});
