import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { GaugeError } from '../core/errors.js';
import { REPLY_SYNTAX_CASE_IDS } from '../dialogue/reply-syntax-suite.js';
import { loadBaseline, unknownBaselineCases, type Baseline } from '../suite/load-baseline.js';
import type { Suite } from '../suite/model.js';

/**
 * Reads `--baseline FILE` and checks it against the suites of this run: a missing file is a
 * usage error, a malformed one or an entry naming no case of the run an input error (exit 2),
 * each problem with its place.
 */
export async function readBaseline(
  path: string,
  cwd: string,
  suites: Suite[],
): Promise<Baseline | GaugeError> {
  const full = resolve(cwd, path);
  const shown = relative(cwd, full) || full;
  const text = await readFile(full, 'utf8').catch(() => undefined);
  if (text === undefined) return { kind: 'usage', message: `--baseline: cannot read ${shown}` };
  const loaded = loadBaseline(shown, text);
  const known = [
    ...suites.flatMap((s) => s.cases.map((c) => `${s.id}/${c.id}`)),
    ...REPLY_SYNTAX_CASE_IDS,
  ];
  const diagnostics = loaded.baseline
    ? unknownBaselineCases(loaded.baseline, known)
    : loaded.diagnostics;
  if (!loaded.baseline || diagnostics.length > 0) {
    const n = diagnostics.length;
    const message = `${n} problem${n === 1 ? '' : 's'} in the baseline ${shown}`;
    return { kind: 'input', message, diagnostics, sources: new Map([[shown, text]]) };
  }
  return loaded.baseline;
}
