import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostfix } from '../../scripts/targets/postfix.js';
import { postfix } from '../../scripts/targets/postfix.js';
import type { RunningServer } from '../../scripts/targets/real-server.js';
import { probeTarget } from '../../src/dialogue/probe.js';
import type { RunContext, RunTarget } from '../../src/dialogue/run-context.js';
import { runSuites } from '../../src/dialogue/run-suites.js';
import { DEFAULT_VARS } from '../../src/suite/model.js';
import { startCaptureSink, type RunningCaptureSink } from '../../src/targets/capture-sink.js';
import { builtinSuites } from '../integration/run-helpers.js';

/**
 * The capture sink end to end with a real MTA: Postfix relays the test domain to the sink
 * (scripts/targets/postfix.ts, `relayPort`), and the capture suite checks what arrived.
 * Each outcome is a fact about Postfix 3.7 with its defaults (docs/capture.md explains them).
 */
const EXPECTED: Record<string, string> = {
  'accepted-message-delivered-once': 'passed',
  'dot-transparency': 'passed',
  'eight-bit-preserved': 'passed',
  // Postfix 3.7.11 with its defaults (smtpd_forbid_bare_newline = no) takes a bare LF as a line
  // end in DATA: the smuggled transaction runs and its message is relayed (docs/interop.md).
  'smuggling-lf-dot-lf-not-delivered': 'failed',
  'smuggling-lf-dot-crlf-not-delivered': 'failed',
  'dropped-mid-data-not-delivered': 'passed',
  'nothing-after-quit': 'passed',
};

describe('Postfix relaying to the capture sink', () => {
  let sink: RunningCaptureSink;
  let server: RunningServer;

  beforeAll(async () => {
    expect(await postfix.isInstalled(), 'bash scripts/targets/install-postfix.sh').toBe(true);
    sink = await startCaptureSink();
    server = await startPostfix({ relayPort: sink.port });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await sink?.close();
  });

  it('delivers what the capture suite expects, and the sink saw Postfix relay it', async () => {
    const target: RunTarget = { host: '127.0.0.1', port: server.port, tls: 'none' };
    const timeouts = { connectMs: 5_000, replyMs: 10_000, caseMs: 60_000 };
    const probe = await probeTarget(target, timeouts, DEFAULT_VARS.client!, 'smtp');
    if (!probe.ok) throw new Error(probe.failure.message);
    const ctx: RunContext = {
      target,
      vars: DEFAULT_VARS,
      overrides: {},
      timeouts,
      capabilities: probe.profile.keywords,
      sizeLimit: probe.profile.sizeLimit,
      protocol: 'smtp',
      capture: sink,
    };
    const run = await runSuites(await builtinSuites(['capture']), ctx);
    const cases = run.suites.filter((s) => s.id === 'capture-delivery').flatMap((s) => s.cases);
    const outcomes = Object.fromEntries(cases.map((c) => [c.id, c.status]));
    const reasons = cases
      .filter((c) => c.status !== EXPECTED[c.id])
      .map((c) => `${c.id}: ${c.status}: ${c.reason}`);
    expect(
      outcomes,
      `${reasons.join('\n')}\n--- postfix log ---\n${server.logs().slice(-3000)}`,
    ).toEqual(EXPECTED);
    // Every kept message came through Postfix's smtp client, not straight from the harness.
    expect(sink.messages().length).toBeGreaterThanOrEqual(3);
    for (const message of sink.messages())
      expect(message.raw.toString('latin1')).toMatch(/^Received: from /m);
  }, 180_000);
});
