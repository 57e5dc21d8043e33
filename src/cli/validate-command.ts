import type { GaugeError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { CliIo } from './io.js';
import { readSuites } from './read-suites.js';

/** `smtpgauge validate FILE…`: load and check suite files without any network traffic. */
export async function validateCommand(paths: string[], io: CliIo): Promise<number | GaugeError> {
  const loaded = await readSuites(paths, io.cwd, []);
  if (!loaded.ok) return loaded.error;
  const cases = loaded.suites.reduce((n, suite) => n + suite.cases.length, 0);
  io.stdout(
    `ok: ${loaded.suites.length} suite${loaded.suites.length === 1 ? '' : 's'}, ${cases} cases\n`,
  );
  return ExitCode.Ok;
}
