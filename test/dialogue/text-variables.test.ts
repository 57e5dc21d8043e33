import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgainst } from '../integration/run-helpers.js';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.js';
import { load, problems } from '../suite/helpers.js';

/**
 * `${name}` inside a `text:` regex is the variable's value, matched literally. The scripted
 * server answers NOOP with `250 2.0.0 OK`; the suite's `vars:` decide what the regex looks for.
 */
function suite(vars: string, text: string) {
  const loaded = load(
    `suite: s\ntitle: t\nrfc: "5321"\nvars: ${vars}\ncases:\n  - id: c\n    title: t\n    section: "1"\n    level: must\n    steps:\n      - send: NOOP\n        expect: { code: 250, text: '${text}' }\n`,
  );
  if (!loaded.suite) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.suite;
}

describe('variables in text regexes', () => {
  let server: ScriptedServer;
  beforeAll(async () => (server = await startScriptedServer()));
  afterAll(() => server.close());

  const status = async (vars: string, text: string) => {
    const run = await runAgainst(server.port, [suite(vars, text)]);
    return run.suites.find((s) => s.id === 's')!.cases[0]!;
  };

  it('substitutes the value and matches it', async () => {
    expect((await status('{ code: "2.0.0" }', '^${code} OK')).status).toBe('passed');
  });

  it('matches the value literally: regex characters in it are escaped', async () => {
    // Unescaped, "2.0.." would match "2.0.0"; escaped, it must not.
    const result = await status('{ code: "2.0.." }', '^${code}');
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/text does not match/);
  });

  it('reports an unknown variable in a regex at load time, with its place', () => {
    const found = problems(
      `suite: s\ntitle: t\nrfc: "5321"\ncases:\n  - id: c\n    title: t\n    section: "1"\n    level: must\n    steps:\n      - send: NOOP\n        expect: { code: 250, text: '^\${domian}' }\n`,
    );
    expect(found).toContainEqual(
      expect.objectContaining({ title: 'unknown variable', hint: "did you mean 'domain'?" }),
    );
  });
});
