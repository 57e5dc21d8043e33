import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseResult } from '../../src/dialogue/case-result.js';
import type { Suite } from '../../src/suite/model.js';
import { startCaptureSink } from '../../src/targets/capture-sink.js';
import { createRelay } from '../../src/targets/relay.js';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.js';
import type { DeliveryDefect, ServerDefect } from '../support/smtp-defects.js';
import { builtinSuites, runAgainst } from './run-helpers.js';

/**
 * Every capture case is shown able to fail. A scripted server relays each message it accepts
 * into a capture sink over real SMTP (src/targets/relay.ts, as the embedded target does); the
 * suite passes against the conforming server, and each delivery defect fails exactly the cases
 * that guard its rule, at their `expect-delivered` step, while the others pass. The table is
 * typed by DeliveryDefect, so a new defect without its guards does not compile.
 *
 * The count-0 cases watch for 5 s and a lost message is waited for 10 s, so every scenario
 * runs at once, each case of it on its own connection at the same time (~12 s in all).
 */
const SUITE = 'capture-delivery';
const CASES = [
  'accepted-message-delivered-once',
  'dot-transparency',
  'eight-bit-preserved',
  'smuggling-lf-dot-lf-not-delivered',
  'smuggling-lf-dot-crlf-not-delivered',
  'dropped-mid-data-not-delivered',
  'nothing-after-quit',
] as const;
type CaseId = (typeof CASES)[number];

/** The three cases that expect exactly one delivered message. */
const DELIVERED_ONCE: CaseId[] = [
  'accepted-message-delivered-once',
  'dot-transparency',
  'eight-bit-preserved',
];

const GUARDS: Record<DeliveryDefect, CaseId[]> = {
  'keeps-dot-stuffing': ['dot-transparency'],
  'strips-8th-bit': ['eight-bit-preserved'],
  'delivers-twice': DELIVERED_ONCE,
  'delivers-on-drop': ['dropped-mid-data-not-delivered'],
  'runs-after-quit': ['nothing-after-quit'],
  'loses-message': DELIVERED_ONCE,
};

/** Wire defects the capture suite catches too, by what they deliver. */
const ALSO_CAUGHT: Partial<Record<ServerDefect, CaseId[]>> = {
  // The server really runs the smuggled transaction: a second message reaches the sink.
  'smuggle-lf-dot-lf': ['smuggling-lf-dot-lf-not-delivered'],
  'smuggle-lf-dot-crlf': ['smuggling-lf-dot-crlf-not-delivered'],
  // The message ends at the first line starting with '.', so it arrives cut short.
  'dot-transparency-broken': ['dot-transparency'],
  // A server that stays open after its 221 runs what was pipelined after QUIT.
  'quit-no-close': ['nothing-after-quit'],
};

interface Scenario {
  defects: ServerDefect[];
  /** Case id → 'passed', 'failed at expect-delivered', or another status with its reason. */
  verdicts: Record<string, string>;
  relayErrors: string[];
}

let suite: Suite;
beforeAll(async () => {
  suite = (await builtinSuites(['capture'])).find((s) => s.id === SUITE)!;
  expect(suite.cases.map((c) => c.id)).toEqual(CASES);
});

/** The suite's cases run against a scripted server with `defects` that relays to a new sink. */
async function runScenario(defects: ServerDefect[]): Promise<Scenario> {
  const sink = await startCaptureSink();
  const relay = createRelay({ host: sink.host, port: sink.port });
  const relayErrors: string[] = [];
  let server: ScriptedServer | undefined;
  try {
    server = await startScriptedServer({
      defects,
      deliver: ({ from, to, raw }) => {
        relay.forward({ from, to }, raw).catch((e: Error) => relayErrors.push(e.message));
      },
    });
    const port = server.port;
    const results = await Promise.all(
      suite.cases.map(async (kase) => {
        const run = await runAgainst(port, [{ ...suite, cases: [kase] }], { capture: sink });
        return run.suites.find((s) => s.id === SUITE)!.cases[0]!;
      }),
    );
    const verdicts = Object.fromEntries(
      results.map((result, i) => [result.id, verdict(result, suite.cases[i]!.steps.length)]),
    );
    return { defects, verdicts, relayErrors };
  } finally {
    await server?.close();
    relay.close();
    await sink.close();
  }
}

/** Every case ends with its `expect-delivered` step: a failure anywhere else is reported as is. */
function verdict(result: CaseResult, steps: number): string {
  if (result.status === 'failed' && result.failure?.step === steps) {
    return 'failed at expect-delivered';
  }
  return result.status === 'passed' ? 'passed' : `${result.status}: ${result.reason}`;
}

function expectedVerdicts(guards: readonly CaseId[]): Record<string, string> {
  return Object.fromEntries(
    CASES.map((id) => [id, guards.includes(id) ? 'failed at expect-delivered' : 'passed']),
  );
}

const DEFECT_TABLE = [
  ...(Object.entries(GUARDS) as [ServerDefect, CaseId[]][]),
  ...(Object.entries(ALSO_CAUGHT) as [ServerDefect, CaseId[]][]),
];

describe('the capture suite against a scripted server relaying to the capture sink', () => {
  let scenarios: Scenario[];
  beforeAll(async () => {
    scenarios = await Promise.all([
      runScenario([]),
      ...DEFECT_TABLE.map(([defect]) => runScenario([defect])),
    ]);
  }, 90_000);
  const scenario = (defects: ServerDefect[]) =>
    scenarios.find((s) => s.defects.join() === defects.join())!;

  it('passes every case against the conforming server', () => {
    const conforming = scenario([]);
    expect(conforming.verdicts).toEqual(expectedVerdicts([]));
    expect(conforming.relayErrors).toEqual([]);
  });

  for (const [defect, guards] of DEFECT_TABLE) {
    it(`'${defect}' fails ${guards.join(', ')} and nothing else`, () => {
      const broken = scenario([defect]);
      expect(broken.verdicts).toEqual(expectedVerdicts(guards));
      expect(broken.relayErrors).toEqual([]);
    });
  }
});

describe('the capture suite without a capture sink', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer();
  });
  afterAll(() => server.close());

  it('skips every case, naming --capture as the reason', async () => {
    const run = await runAgainst(server.port, [suite]);
    const cases = run.suites.find((s) => s.id === SUITE)!.cases;
    expect(cases.map((c) => c.status)).toEqual(CASES.map(() => 'skipped'));
    for (const kase of cases) expect(kase.reason).toMatch(/no capture sink: give --capture/);
  });
});
