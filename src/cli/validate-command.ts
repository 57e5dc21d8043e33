import type { GaugeError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { CliIo } from './io.js';
import { readSuites } from './read-suites.js';

/** `smtpgauge validate FILE…`: load and check suite files without any network traffic. */
export async function validateCommand(paths: string[], io: CliIo): Promise<number | GaugeError> {
  const loaded = await readSuites(paths, io.cwd, []);
  if (!loaded.ok) return loaded.error;
  for (const warning of loaded.warnings) io.stderr(`${warning}\n\n`);
  const cases = loaded.suites.reduce((n, suite) => n + suite.cases.length, 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const warned =
    loaded.warnings.length > 0 ? ` (${plural(loaded.warnings.length, 'warning')})` : '';
  io.stdout(`ok: ${plural(loaded.suites.length, 'suite')}, ${plural(cases, 'case')}${warned}\n`);
  return ExitCode.Ok;
}
