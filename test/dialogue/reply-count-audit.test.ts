import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceRun } from '../../src/dialogue/run-suites.js';
import type { Suite } from '../../src/suite/model.js';
import { runAgainst } from '../integration/run-helpers.js';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.js';
import { load, withSteps } from '../suite/helpers.js';

/**
 * §4.2 "Every command MUST generate exactly one reply": the extra-reply audit, over real
 * sockets, against the scripted server with and without its 'two-replies-to-noop' defect.
 */
function suiteOf(...steps: string[]): Suite {
  const loaded = load(withSteps(...steps));
  if (!loaded.suite) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.suite;
}

const NOOP_THEN_MORE = suiteOf('- ehlo', '- send: NOOP', '- send: RSET', '- send: NOOP');
const RAW_PIPELINE = suiteOf('- ehlo', "- raw: 'NOOP\\r\\nNOOP\\r\\n'", '- send: RSET');
const PIPELINED = suiteOf(
  '- ehlo',
  '- send: [MAIL FROM:<a@example.test>, RCPT TO:<postmaster@example.test>, RSET]',
  '- send: NOOP',
);

function extraReplies(run: ConformanceRun) {
  const only = run.suites.find((s) => s.id === 's')!.cases[0]!;
  return only.findings.filter((f) => f.rule === 'extra-reply');
}

function oneReplyCheck(run: ConformanceRun) {
  const syntax = run.suites.find((s) => s.id === 'rfc5321-reply-syntax')!;
  return syntax.cases.find((c) => c.id === 'reply-one-per-command')!;
}

describe('exactly one reply per command', () => {
  let conforming: ScriptedServer;
  let doubled: ScriptedServer;

  beforeAll(async () => {
    conforming = await startScriptedServer();
    doubled = await startScriptedServer({ defects: ['two-replies-to-noop'] });
  });
  afterAll(async () => {
    await conforming.close();
    await doubled.close();
  });

  it('finds nothing on a server that answers each command once, pipelined or not', async () => {
    for (const suite of [NOOP_THEN_MORE, PIPELINED, RAW_PIPELINE]) {
      const run = await runAgainst(conforming.port, [suite]);
      expect(extraReplies(run), JSON.stringify(suite.cases[0]!.steps.map((s) => s.kind))).toEqual(
        [],
      );
      expect(oneReplyCheck(run).status).toBe('passed');
    }
  });

  it('ties a second reply to the command that drew it, as a failed check of its own', async () => {
    const run = await runAgainst(doubled.port, [NOOP_THEN_MORE]);
    const [finding] = extraReplies(run);
    expect(finding).toMatchObject({ rule: 'extra-reply', command: 'NOOP' });
    expect(finding!.reply).toMatch(/^250/);
    const check = oneReplyCheck(run);
    expect(check.status).toBe('failed');
    expect(check.level).toBe('must');
    expect(check.section).toBe('4.2');
    expect(check.reason).toMatch(/s\/c: reply to NOOP "250/);
  });

  it('does not count replies to raw bytes, whose number the harness does not know', async () => {
    const run = await runAgainst(doubled.port, [RAW_PIPELINE]);
    expect(extraReplies(run)).toEqual([]);
  });
});
