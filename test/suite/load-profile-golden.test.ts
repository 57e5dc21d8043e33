import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDiagnostic } from '../../src/core/diagnostic.js';
import { loadProfile } from '../../src/suite/load-profile.js';

/**
 * Golden files freeze what users see: for each broken `NAME.yaml` in the folder, `NAME.txt`
 * holds every diagnostic rendered as the CLI prints it, separated by blank lines.
 * Regenerate with `UPDATE_GOLDEN=1 npx vitest run test/suite/load-profile-golden.test.ts` and
 * review the diff.
 */
const DIR = 'test/golden/profile-errors';
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function render(file: string, text: string): string {
  const { diagnostics } = loadProfile(file, text);
  return `${diagnostics.map((d) => renderDiagnostic(d, text)).join('\n\n')}\n`;
}

describe('golden: profile errors', () => {
  const inputs = readdirSync(DIR).filter((name) => name.endsWith('.yaml'));

  it('has inputs', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(8);
  });

  for (const name of inputs) {
    it(name, () => {
      const file = join(DIR, name);
      const text = readFileSync(file, 'utf8');
      const result = loadProfile(file, text);
      expect(result.profile).toBeUndefined();
      expect(result.diagnostics.length).toBeGreaterThanOrEqual(2);
      const actual = render(file, text);
      const goldenPath = file.replace(/\.yaml$/, '.txt');
      if (UPDATE) writeFileSync(goldenPath, actual);
      if (!existsSync(goldenPath))
        throw new Error(`${goldenPath} is missing; run with UPDATE_GOLDEN=1`);
      expect(actual).toBe(readFileSync(goldenPath, 'utf8'));
    });
  }
});
