import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.js';
import type { GaugeError } from '../core/errors.js';
import { thresholdDiagnostic } from '../metrics/threshold-diagnostic.js';
import { parseThreshold } from '../metrics/threshold-parser.js';
import { loadProfile } from '../suite/load-profile.js';
import type { LoadProfile } from '../suite/profile-model.js';

/**
 * Reads a load profile: the file, the model (suite/load-profile.ts) and its threshold
 * expressions (metrics/threshold-parser.ts), every problem with its file:line:col. Warnings
 * come back rendered for the command to print.
 */
export interface ReadProfile {
  profile: LoadProfile;
  text: string;
  shown: string;
  warnings: Diagnostic[];
}

export async function readProfile(path: string, cwd: string): Promise<ReadProfile | GaugeError> {
  const full = resolve(cwd, path);
  const shown = relative(cwd, full) || full;
  const text = await readFile(full, 'utf8').catch(() => undefined);
  if (text === undefined) return { kind: 'usage', message: `cannot read the profile ${shown}` };
  const loaded = loadProfile(shown, text);
  const diagnostics = [...loaded.diagnostics, ...thresholdProblems(loaded.profile)];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.profile || errors.length > 0) {
    const n = errors.length;
    const message = `${n} problem${n === 1 ? '' : 's'} in the profile ${shown}`;
    return { kind: 'input', message, diagnostics, sources: new Map([[shown, text]]) };
  }
  return { profile: loaded.profile, text, shown, warnings: diagnostics };
}

function thresholdProblems(profile: LoadProfile | undefined): Diagnostic[] {
  return (profile?.thresholds ?? []).flatMap((spec) => {
    const parsed = parseThreshold(spec.expression);
    return parsed.ok ? [] : parsed.problems.map((p) => thresholdDiagnostic(p, spec.span));
  });
}
