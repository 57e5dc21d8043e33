import type { GaugeError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { CliIo } from './io.js';
import { readSuites } from './read-suites.js';

/**
 * `smtpgauge list`: every case with its RFC reference and level, grouped by suite:
 *
 * ```
 * rfc5321-mail  RFC 5321: the MAIL command  (suites/rfc5321/mail.yaml)
 *   must    §4.5.5     mail-null-reverse-path    The null reverse-path <> is accepted
 *   should  §4.1.1.11  mail-unknown-parameter    An unknown MAIL parameter is refused  [requires SIZE]
 *
 * 14 suites, 97 cases (must 61, should 25, may 2, info 9)
 * ```
 */
export async function listCommand(paths: string[], io: CliIo): Promise<number | GaugeError> {
  const loaded = await readSuites(paths, io.cwd, []);
  if (!loaded.ok) return loaded.error;
  for (const warning of loaded.warnings) io.stderr(`${warning}\n\n`);
  const counts = new Map<string, number>();
  let total = 0;
  for (const suite of loaded.suites) {
    io.stdout(`${suite.id}  ${suite.title}  (${suite.file})\n`);
    const sectionWidth = Math.max(...suite.cases.map((c) => c.section.length)) + 1;
    const idWidth = Math.max(...suite.cases.map((c) => c.id.length));
    for (const c of suite.cases) {
      const requires = c.requires.length > 0 ? `  [requires ${c.requires.join(', ')}]` : '';
      const rfc = c.rfc === suite.rfc ? '' : `RFC ${c.rfc} `;
      io.stdout(
        `  ${c.level.padEnd(7)} ${rfc}§${c.section.padEnd(sectionWidth)} ${c.id.padEnd(idWidth)}  ${c.title}${requires}\n`,
      );
      counts.set(c.level, (counts.get(c.level) ?? 0) + 1);
      total++;
    }
    io.stdout('\n');
  }
  const byLevel = ['must', 'should', 'may', 'info']
    .filter((l) => counts.has(l))
    .map((l) => `${l} ${counts.get(l)}`);
  io.stdout(`${loaded.suites.length} suites, ${total} cases (${byLevel.join(', ')})\n`);
  return ExitCode.Ok;
}
