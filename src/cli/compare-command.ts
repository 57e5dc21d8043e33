import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { GaugeError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { compareResults, renderComparison } from '../report/compare-results.js';
import { SCHEMA_VERSION, type ConformanceReport } from '../report/conformance-report.js';
import type { Level } from '../suite/model.js';
import type { CliIo } from './io.js';

export interface CompareArgs {
  baseline: string;
  current: string;
  level: Level;
}

/** `smtpgauge compare BASELINE.json CURRENT.json`: cases whose outcome differs; exit 1 on regressions. */
export async function compareCommand(args: CompareArgs, io: CliIo): Promise<number | GaugeError> {
  const before = await readResult(args.baseline, io.cwd);
  if ('kind' in before) return before;
  const after = await readResult(args.current, io.cwd);
  if ('kind' in after) return after;
  const comparison = compareResults(before, after, args.level);
  io.stdout(renderComparison(comparison, args.level));
  return comparison.regressions > 0 ? ExitCode.CheckFailed : ExitCode.Ok;
}

/** A stored report.json with conformance results, or a one-line input error. */
async function readResult(path: string, cwd: string): Promise<ConformanceReport | GaugeError> {
  const text = await readFile(resolve(cwd, path), 'utf8').catch(() => undefined);
  if (text === undefined) return { kind: 'usage', message: `cannot read ${path}` };
  let parsed: Partial<ConformanceReport>;
  try {
    parsed = JSON.parse(text) as Partial<ConformanceReport>;
  } catch (error) {
    return { kind: 'usage', message: `${path} is not JSON: ${(error as Error).message}` };
  }
  if (parsed.schemaVersion !== SCHEMA_VERSION || !Array.isArray(parsed.conformance?.suites)) {
    return {
      kind: 'usage',
      message: `${path} is not a smtpgauge conformance result (schemaVersion ${SCHEMA_VERSION})`,
    };
  }
  return parsed as ConformanceReport;
}
