import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { GaugeError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import {
  REPORT_FORMAT_NAMES,
  formatsFor,
  isLoadResult,
  type ReportFormatName,
} from '../report/formats.js';
import { parseStoredResult } from '../report/stored-result.js';
import type { CliIo } from './io.js';
import { writeReports } from './report-formats.js';

export interface ReportArgs {
  /** A stored result (`report.json`). */
  result: string;
  format: ReportFormatName[];
  /** Where the files go; absent: next to the result. */
  out?: string;
}

/** `report`'s default: every format derived from the JSON (json itself is the input). */
export const DERIVED_FORMATS = REPORT_FORMAT_NAMES.filter((name) => name !== 'json');

/**
 * `smtpgauge report RESULT.json [--format junit] [--out DIR]`: re-renders a stored result, with
 * the same renderers `run` uses, so the files are byte-identical to the run's. Exit 0 once they
 * are written, whatever the stored verdict (the run's exit code already gated); 2 for a file
 * that is not a smtpgauge result.
 */
export async function reportCommand(args: ReportArgs, io: CliIo): Promise<number | GaugeError> {
  if (args.format.length === 0)
    return { kind: 'usage', message: `--format: give one of ${REPORT_FORMAT_NAMES.join(', ')}` };
  const path = resolve(io.cwd, args.result);
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => error);
  if (typeof text !== 'string') return { kind: 'usage', message: cannotRead(args.result, text) };
  const stored = parseStoredResult(text);
  if (!stored.ok) return { kind: 'usage', message: `${args.result}: ${stored.problem}` };
  const dir = args.out === undefined ? dirname(path) : resolve(io.cwd, args.out);
  const info = await stat(dir).catch(() => undefined);
  if (info && !info.isDirectory())
    return { kind: 'usage', message: `--out ${args.out}: exists and is not a directory` };
  const kind = isLoadResult(stored.report) ? 'load' : 'conformance';
  const supported = formatsFor(kind);
  const asked = sameList(args.format, DERIVED_FORMATS)
    ? args.format.filter((f) => supported.includes(f))
    : args.format;
  const unsupported = asked.filter((f) => !supported.includes(f));
  if (unsupported.length > 0)
    return {
      kind: 'usage',
      message: `--format ${unsupported.join(',')}: not available for a ${kind} result (use ${supported.join(', ')})`,
    };
  const written = await writeReports(stored.report, dir, asked);
  io.stdout(written.map((file) => `wrote ${relative(io.cwd, file) || file}\n`).join(''));
  return ExitCode.Ok;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function cannotRead(name: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `cannot read ${name}: no such file`;
  if (error.code === 'EISDIR') return `cannot read ${name}: it is a directory`;
  return `cannot read ${name}: ${error.code ?? error.message}`;
}
