import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { GaugeError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { renderJson, type ConformanceReport } from '../report/conformance-report.js';
import { isLoadResult, type GaugeResult } from '../report/formats.js';
import type { LoadReport } from '../report/load-report.js';
import { mergeConformance } from '../report/merge-conformance.js';
import { parseStoredResult } from '../report/stored-result.js';
import type { CliIo } from './io.js';
import { mergeLoad } from './merge-load.js';
import { writeFileAtomic } from './write-atomic.js';

export interface MergeArgs {
  results: string[];
  output: string;
}

/**
 * `smtpgauge merge A.json B.json … -o MERGED.json`: shards of one run combined. Load results:
 * histograms and counters merged losslessly, thresholds evaluated again on the merged data;
 * conformance results: the union of their suites. Exit 1 when the merged result fails (a
 * threshold, a gating case), as the run itself would.
 */
export async function mergeCommand(args: MergeArgs, io: CliIo): Promise<number | GaugeError> {
  if (args.results.length < 2)
    return { kind: 'usage', message: 'merge needs at least two results' };
  const results: GaugeResult[] = [];
  for (const path of args.results) {
    const text = await readFile(resolve(io.cwd, path), 'utf8').catch(() => undefined);
    if (text === undefined) return { kind: 'usage', message: `cannot read ${path}` };
    const stored = parseStoredResult(text);
    if (!stored.ok) return { kind: 'usage', message: `${path}: ${stored.problem}` };
    results.push(stored.report);
  }
  const loads = results.filter(isLoadResult);
  if (loads.length !== 0 && loads.length !== results.length)
    return {
      kind: 'usage',
      message: 'merge needs results of one kind (all load runs or all conformance runs)',
    };
  const merged =
    loads.length > 0 ? mergeLoad(loads) : mergeConformance(results as ConformanceReport[]);
  if ('problem' in merged) return { kind: 'usage', message: `cannot merge: ${merged.problem}` };
  const report: GaugeResult = 'duplicates' in merged ? merged.report : merged;
  if ('duplicates' in merged && merged.duplicates.length > 0)
    io.stderr(
      `warning: cases in more than one result (the first kept): ${merged.duplicates.join(', ')}\n`,
    );
  const out = resolve(io.cwd, args.output);
  await writeFileAtomic(out, renderJson(report));
  io.stdout(
    `merged ${results.length} results into ${relative(io.cwd, out) || out}: ${verdictOf(report)}\n`,
  );
  return report.summary.verdict === 'failed' ? ExitCode.CheckFailed : ExitCode.Ok;
}

function verdictOf(report: GaugeResult): string {
  if (isLoadResult(report)) {
    const s: LoadReport['summary'] = report.summary;
    return `${s.verdict}, ${s.ok} messages accepted, thresholds ${s.thresholds.passed} passed / ${s.thresholds.failed} failed`;
  }
  const s = report.summary;
  return `${s.verdict}, ${s.total} cases, ${s.gatingFailures} gating failures`;
}
