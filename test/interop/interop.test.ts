import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_SERVERS } from '../../scripts/targets/index.js';
import type { Suite } from '../../src/suite/model.js';
import { builtinSuites, runAgainst } from '../integration/run-helpers.js';
import { interopPasses, type InteropPass } from './interop-passes.js';
import {
  caseRows,
  diffOutcomes,
  renderTable,
  toExpected,
  type CaseRow,
  type ExpectedOutcomes,
} from './outcomes.js';

/**
 * The real-server tier: each server is installed by scripts/targets/install-<name>.sh, started
 * on loopback by scripts/targets/<name>.ts, run against the built-in suites, and stopped; once
 * per pass (interop-passes.ts: plain, `--tls starttls` for servers that take AUTH only inside
 * TLS, `--protocol lmtp` for LMTP servers), each pass on a fresh start.
 * A pass's outcomes must equal test/interop/expected/<pass id>.json; any change fails with the
 * difference. `UPDATE_EXPECTED=1 npm run test:interop` rewrites the expected files and the
 * table in docs/interop.md after a deliberate change. `-t PATTERN` runs only the passes whose
 * test name (`<pass id> runs the built-in suites [with OPTIONS] …`) matches: `-t lmtp`,
 * `-t starttls`, `-t aiosmtpd`.
 */
const UPDATE = process.env.UPDATE_EXPECTED === '1';
const EXPECTED_DIR = join('test', 'interop', 'expected');
const DOC = join('docs', 'interop.md');
const TABLE_START = '<!-- interop-table:start -->';
const TABLE_END = '<!-- interop-table:end -->';

let suites: Suite[];
const PASSES = interopPasses(REAL_SERVERS);
const results: { name: string; version: string; rows: CaseRow[] }[] = [];

beforeAll(async () => {
  suites = await builtinSuites();
  await mkdir(join('reports', 'interop'), { recursive: true });
});

for (const pass of PASSES) {
  const { server } = pass;
  describe(pass.id, () => {
    it(`runs the built-in suites${pass.options ? ` with ${pass.options}` : ''} with the expected outcomes and no harness errors`, async () => {
      expect(
        await server.isInstalled(),
        `${server.name} is not installed: bash scripts/targets/install-all.sh`,
      ).toBe(true);
      const running = await server.start();
      try {
        const run = await runAgainst(running.port, suites.filter(pass.runs), {
          replyMs: 10_000,
          credentials: running.credentials,
          vars: running.vars,
          tls: pass.tls,
          protocol: pass.protocol,
        });
        await writeFile(
          join('reports', 'interop', `${pass.id}.json`),
          JSON.stringify(run, null, 2),
        );
        const rows = caseRows(run);
        results.push({ name: pass.label, version: running.version, rows });
        const errors = rows.filter((r) => r.status === 'error').map((r) => `${r.id}: ${r.reason}`);
        expect(errors, `harness errors against ${pass.id}`).toEqual([]);
        await compareWithExpected(pass, running.version, rows);
      } catch (error) {
        (error as Error).message +=
          `\n--- ${server.name} log (tail) ---\n${running.logs().slice(-4000)}`;
        throw error;
      } finally {
        await running.stop();
      }
    });
  });
}

async function compareWithExpected(
  pass: InteropPass,
  version: string,
  rows: CaseRow[],
): Promise<void> {
  const file = join(EXPECTED_DIR, `${pass.id}.json`);
  if (UPDATE) {
    const expected = toExpected(pass.server.name, version, rows, pass.options);
    await writeFile(file, `${JSON.stringify(expected, null, 2)}\n`);
    return;
  }
  const expected = JSON.parse(await readFile(file, 'utf8')) as ExpectedOutcomes;
  expect(
    diffOutcomes(expected, rows),
    `outcomes of ${pass.id} changed (UPDATE_EXPECTED=1 to accept)`,
  ).toEqual([]);
}

afterAll(async () => {
  if (results.length !== PASSES.length) return;
  const table = renderTable(results);
  await writeFile(join('reports', 'interop', 'table.md'), `${table}\n`);
  const doc = await readFile(DOC, 'utf8');
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END);
  if (start < 0 || end < 0)
    throw new Error(`${DOC} lacks the ${TABLE_START} … ${TABLE_END} markers`);
  const current = doc.slice(start + TABLE_START.length, end).trim();
  if (UPDATE) {
    await writeFile(
      DOC,
      `${doc.slice(0, start + TABLE_START.length)}\n${table}\n${doc.slice(end)}`,
    );
  } else if (current !== table) {
    throw new Error(
      `the table in ${DOC} is out of date (UPDATE_EXPECTED=1 npm run test:interop):\n${table}`,
    );
  }
});
