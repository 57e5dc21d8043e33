import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { renderDiagnostic } from '../core/diagnostic.js';
import type { GaugeError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { CliIo } from './io.js';
import { readProfile } from './read-profile.js';
import { readSuites } from './read-suites.js';

/**
 * `smtpgauge validate FILE…`: load and check suite files and load profiles without any network
 * traffic. A file with a top-level `model:` key is a load profile; everything else is read as
 * suites (directories are searched for suites, as `run` does).
 */
export async function validateCommand(paths: string[], io: CliIo): Promise<number | GaugeError> {
  const profiles: string[] = [];
  const suitePaths: string[] = [];
  for (const path of paths) ((await isProfile(path, io.cwd)) ? profiles : suitePaths).push(path);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts: string[] = [];
  let warnings = 0;
  if (suitePaths.length > 0 || profiles.length === 0) {
    const loaded = await readSuites(suitePaths, io.cwd, []);
    if (!loaded.ok) return loaded.error;
    for (const warning of loaded.warnings) io.stderr(`${warning}\n\n`);
    warnings += loaded.warnings.length;
    const cases = loaded.suites.reduce((n, suite) => n + suite.cases.length, 0);
    parts.push(`${plural(loaded.suites.length, 'suite')}, ${plural(cases, 'case')}`);
  }
  for (const path of profiles) {
    const read = await readProfile(path, io.cwd);
    if ('kind' in read) return read;
    for (const w of read.warnings) io.stderr(`${renderDiagnostic(w, read.text)}\n\n`);
    warnings += read.warnings.length;
  }
  if (profiles.length > 0) parts.push(plural(profiles.length, 'load profile'));
  const warned = warnings > 0 ? ` (${plural(warnings, 'warning')})` : '';
  io.stdout(`ok: ${parts.join('; ')}${warned}\n`);
  return ExitCode.Ok;
}

/** A YAML file whose top level has `model:` (suites never do). */
async function isProfile(path: string, cwd: string): Promise<boolean> {
  const full = resolve(cwd, path);
  const info = await stat(full).catch(() => undefined);
  if (!info?.isFile()) return false;
  const text = await readFile(full, 'utf8').catch(() => '');
  return /^model\s*:/m.test(text);
}
