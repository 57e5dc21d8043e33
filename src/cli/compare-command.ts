import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { GaugeError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { compareLoad, renderLoadComparison } from '../report/compare-load.js';
import { compareResults, renderComparison } from '../report/compare-results.js';
import { isLoadResult, type GaugeResult } from '../report/formats.js';
import { parseStoredResult } from '../report/stored-result.js';
import type { Level } from '../suite/model.js';
import type { CliIo } from './io.js';

export interface CompareArgs {
  baseline: string;
  current: string;
  level: Level;
  /** Load results: the largest allowed worsening, e.g. `10%`. */
  maxRegression?: string;
}

/**
 * `smtpgauge compare BASELINE.json CURRENT.json`: for conformance results, the cases whose
 * outcome differs (exit 1 on newly failing gated cases); for load results, per-phase latency
 * and throughput changes and threshold verdicts (exit 1 on a newly failing threshold, or a
 * change beyond `--max-regression`).
 */
export async function compareCommand(args: CompareArgs, io: CliIo): Promise<number | GaugeError> {
  const maxRegression = parseShare(args.maxRegression);
  if (maxRegression === null)
    return {
      kind: 'usage',
      message: `--max-regression '${args.maxRegression}' is not a percentage (e.g. 10%)`,
    };
  const before = await readResult(args.baseline, io.cwd);
  if ('kind' in before) return before;
  const after = await readResult(args.current, io.cwd);
  if ('kind' in after) return after;
  if (isLoadResult(before) || isLoadResult(after)) {
    if (!isLoadResult(before) || !isLoadResult(after))
      return {
        kind: 'usage',
        message:
          'compare needs two results of the same kind (two conformance runs or two load runs)',
      };
    const comparison = compareLoad(before, after, maxRegression);
    io.stdout(renderLoadComparison(comparison, maxRegression));
    return comparison.regressions > 0 ? ExitCode.CheckFailed : ExitCode.Ok;
  }
  const comparison = compareResults(before, after, args.level);
  io.stdout(renderComparison(comparison, args.level));
  return comparison.regressions > 0 ? ExitCode.CheckFailed : ExitCode.Ok;
}

/** `10%` or `0.1` → 0.1; undefined when absent; null when malformed. */
function parseShare(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) / (match[2] === '%' ? 100 : 1);
}

/** A stored report.json, or a one-line input error. */
async function readResult(path: string, cwd: string): Promise<GaugeResult | GaugeError> {
  const text = await readFile(resolve(cwd, path), 'utf8').catch(() => undefined);
  if (text === undefined) return { kind: 'usage', message: `cannot read ${path}` };
  const stored = parseStoredResult(text);
  return stored.ok ? stored.report : { kind: 'usage', message: `${path}: ${stored.problem}` };
}
