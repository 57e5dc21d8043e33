import { join } from 'node:path';
import {
  REPORT_FORMAT_NAMES,
  REPORT_FORMATS,
  type GaugeResult,
  type ReportFormatName,
} from '../report/formats.js';
import { writeFileAtomic } from './write-atomic.js';

/**
 * The `--format` option of `run` and `report`: a comma list, repeatable (`--format json,junit`
 * or `--format json --format junit`), checked against the keys of REPORT_FORMATS. Not
 * `array: true`, which would swallow the positional paths after it.
 */
export function formatOption(defaults: readonly ReportFormatName[], describe: string) {
  return {
    type: 'string' as const,
    requiresArg: true,
    choices: REPORT_FORMAT_NAMES,
    default: defaults.join(','),
    describe,
    coerce: (value: string | string[]): string[] =>
      [value]
        .flat()
        .flatMap((item) => String(item).split(','))
        .map((item) => item.trim())
        .filter((item) => item !== ''),
  };
}

/**
 * Renders `report` in each format (once each, in REPORT_FORMATS order) and writes the files
 * atomically into `dir`; returns their paths.
 */
export async function writeReports(
  report: GaugeResult,
  dir: string,
  formats: readonly ReportFormatName[],
): Promise<string[]> {
  const paths: string[] = [];
  for (const name of REPORT_FORMAT_NAMES.filter((n) => formats.includes(n))) {
    const format = REPORT_FORMATS[name];
    const path = join(dir, format.file);
    await writeFileAtomic(path, format.render(report));
    paths.push(path);
  }
  return paths;
}
