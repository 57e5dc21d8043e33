import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadSuite } from '../../src/suite/load-suite.js';
import type { BenchCase } from '../bench-case.js';

/**
 * `loadSuite` (YAML parse + validation into the `Suite` model, no file IO) of the largest file
 * in `suites/rfc5321/`, read once beforehand.
 */
export function loadSuiteCases(root: string): BenchCase[] {
  const dir = join(root, 'suites', 'rfc5321');
  const largest = readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => ({ path: join(dir, name), size: statSync(join(dir, name)).size }))
    .sort((a, b) => b.size - a.size)[0];
  if (largest === undefined) throw new Error(`no suite files in ${dir}`);
  const file = relative(root, largest.path);
  const text = readFileSync(largest.path, 'utf8');
  const loaded = loadSuite(file, text);
  if (loaded.suite === undefined) throw new Error(`${file} does not load`);
  const cases = loaded.suite.cases.length;
  return [
    {
      name: `loadSuite ${file} (${cases} cases)`,
      fn: () => {
        if (loadSuite(file, text).suite === undefined) throw new Error(`${file} stopped loading`);
      },
      bytesPerOp: largest.size,
      unitsPerOp: 1,
      unit: 'files',
    },
  ];
}
