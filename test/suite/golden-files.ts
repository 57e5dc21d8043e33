import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDiagnostic, type Diagnostic } from '../../src/core/diagnostic.js';

/**
 * Golden files freeze what users see: for each broken `NAME.yaml` in `dir`, `NAME.txt` holds
 * every diagnostic rendered as the CLI prints it, separated by blank lines. Each input must be
 * refused (`accepted` false) with at least two diagnostics. Regenerate with `UPDATE_GOLDEN=1`
 * (e.g. `UPDATE_GOLDEN=1 npx vitest run test/suite/golden.test.ts`) and review the diff.
 */
export function goldenTests(
  title: string,
  dir: string,
  minInputs: number,
  load: (file: string, text: string) => { accepted: boolean; diagnostics: Diagnostic[] },
): void {
  const update = process.env.UPDATE_GOLDEN === '1';
  describe(title, () => {
    const inputs = readdirSync(dir).filter((name) => name.endsWith('.yaml'));

    it('has inputs', () => {
      expect(inputs.length).toBeGreaterThanOrEqual(minInputs);
    });

    for (const name of inputs) {
      it(name, () => {
        const file = join(dir, name);
        const text = readFileSync(file, 'utf8');
        const result = load(file, text);
        expect(result.accepted).toBe(false);
        expect(result.diagnostics.length).toBeGreaterThanOrEqual(2);
        const actual = `${result.diagnostics.map((d) => renderDiagnostic(d, text)).join('\n\n')}\n`;
        const goldenPath = file.replace(/\.yaml$/, '.txt');
        if (update) writeFileSync(goldenPath, actual);
        if (!existsSync(goldenPath))
          throw new Error(`${goldenPath} is missing; run with UPDATE_GOLDEN=1`);
        expect(actual).toBe(readFileSync(goldenPath, 'utf8'));
      });
    }
  });
}
