import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer rule of docs/architecture.md is enforced by the linter. These tests lint small
 * snippets as if they lived in a layer's folder, so a broken rule table fails here.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('the layer rule', () => {
  it.each([
    [
      'src/core/clock.ts',
      "import { main } from '../cli/main.js';\nexport const x = main;\n",
      "'core' must not import 'cli'",
    ],
    [
      'src/protocol/session.ts',
      "import { loadSuite } from '../suite/load-suite.js';\nexport const x = loadSuite;\n",
      "'protocol' must not import 'suite'",
    ],
    [
      'src/suite/load-suite.ts',
      "import { openSession } from '../protocol/session.js';\nexport const x = openSession;\n",
      "'suite' must not import 'protocol'",
    ],
    [
      'src/targets/reference-target.ts',
      "import { runCase } from '../dialogue/run-case.js';\nexport const x = runCase;\n",
      "'targets' must not import 'dialogue'",
    ],
    [
      'src/report/console-summary.ts',
      "import { runCase } from '../dialogue/run-case.js';\nexport const x = runCase;\n",
      "may import only types from 'dialogue'",
    ],
    [
      'src/dialogue/run-case.ts',
      "import { loadSuite } from '../suite/load-suite.js';\nexport const x = loadSuite;\n",
      "may import only types from 'suite'",
    ],
    [
      'src/dialogue/deep/nested.ts',
      "import { main } from '../../cli/main.js';\nexport const x = main;\n",
      "'dialogue' must not import 'cli'",
    ],
  ])('%s: an import against the arrows is an error', async (file, code, message) => {
    const errors = await layerErrors(file, code);
    expect(errors.join('\n')).toContain(message);
  });

  it.each([
    [
      'src/dialogue/run-case.ts',
      "import { openSession } from '../protocol/session.js';\nexport const x = openSession;\n",
    ],
    [
      'src/dialogue/run-case.ts',
      "import type { Suite } from '../suite/model.js';\nexport type X = Suite;\n",
    ],
    [
      'src/report/console-summary.ts',
      "import type { CaseResult } from '../dialogue/case-result.js';\nexport type X = CaseResult;\n",
    ],
    [
      'src/cli/main.ts',
      "import { runCase } from '../dialogue/run-case.js';\nexport const x = runCase;\n",
    ],
    [
      'src/protocol/session.ts',
      "import { nowMicros } from '../core/clock.js';\nexport const x = nowMicros;\n",
    ],
  ])('%s: an import along the arrows is allowed', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
