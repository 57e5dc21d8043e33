import { beforeAll, describe, expect, it } from 'vitest';
import type { Suite } from '../../src/suite/model.js';
import { startScriptedServer, type ScriptedServerOptions } from '../support/scripted-server.js';
import { builtinSuites, idsWith, runAgainst } from './run-helpers.js';

/**
 * No false alarms: against the conforming scripted server, every MUST and SHOULD case of the
 * extension, LMTP and security suites passes (or is skipped for a capability the server does
 * not offer in that mode), and none ends in `error`.
 */
const CREDENTIALS = { user: 'tester', pass: 'tester-secret' };
let all: Suite[];
beforeAll(async () => {
  all = await builtinSuites();
});

async function failures(
  pick: (s: Suite) => boolean,
  server: Omit<ScriptedServerOptions, 'defects'>,
  run: { protocol?: 'smtp' | 'lmtp'; tls?: 'none' | 'starttls' } = {},
): Promise<string[]> {
  const scripted = await startScriptedServer(server);
  try {
    const result = await runAgainst(scripted.port, all.filter(pick), {
      replyMs: 1500,
      credentials: CREDENTIALS,
      ...run,
    });
    return [...idsWith(result, 'failed', ['must', 'should']), ...idsWith(result, 'error')];
  } finally {
    await scripted.close();
  }
}

const isExtension = (s: Suite) =>
  !s.id.startsWith('rfc5321') && !s.id.startsWith('security') && s.protocol === 'smtp';

describe('the conforming scripted server passes', () => {
  it('every extension suite, AUTH offered in the plain session', async () => {
    expect(await failures(isExtension, { authOnlyAfterTls: false })).toEqual([]);
  });

  it('every extension suite inside TLS (--tls starttls), AUTH offered only there', async () => {
    const inTls = (s: Suite) => isExtension(s) && s.id !== 'rfc3207-starttls';
    expect(await failures(inTls, {}, { tls: 'starttls' })).toEqual([]);
  });

  it('the LMTP suite, speaking LMTP', async () => {
    expect(
      await failures((s) => s.protocol === 'lmtp', { lmtp: true }, { protocol: 'lmtp' }),
    ).toEqual([]);
  });

  it('the security suites', async () => {
    expect(await failures((s) => s.id.startsWith('security'), {})).toEqual([]);
  }, 600_000);
});
