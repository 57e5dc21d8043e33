import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_BUDGET, measureCases } from './bench-case.js';
import type { BenchBudget, BenchCaseResult } from './bench-case.js';
import { dotStuffingCases } from './cases/dot-stuffing.js';
import { loadSessionCases } from './cases/load-session.js';
import { loadSuiteCases } from './cases/load-suite.js';
import { metricsCases } from './cases/metrics.js';
import { replyFramingCases } from './cases/reply-framing.js';
import { transcriptCases } from './cases/transcript.js';
import { renderTable } from './render-table.js';

/**
 * `npm run bench`: the wire-layer and suite-loader micro-benchmarks (docs/performance.md).
 * Run from the repository root. Prints a table and writes `reports/bench/micro.json`:
 *
 *   { "schema": "smtpgauge-bench-micro/1", "date": ISO-8601, "node": "v20.20.2", "nproc": 2,
 *     "cpu": "AMD EPYC", "loadavg": [1m, 5m, 15m], "budget": BenchBudget,
 *     "results": [BenchCaseResult…] }
 *
 * The previous file, if any, supplies the table's `vs last` column before it is overwritten.
 */
interface MicroReport {
  schema: 'smtpgauge-bench-micro/1';
  date: string;
  node: string;
  nproc: number;
  cpu: string;
  loadavg: number[];
  budget: BenchBudget;
  results: BenchCaseResult[];
}

const root = process.cwd();
const out = join(root, 'reports', 'bench', 'micro.json');

const cases = [
  ...replyFramingCases(),
  ...dotStuffingCases(),
  ...transcriptCases(),
  ...loadSuiteCases(root),
  ...metricsCases(),
  ...(await loadSessionCases()),
];
const results = await measureCases(cases, DEFAULT_BUDGET);
const report: MicroReport = {
  schema: 'smtpgauge-bench-micro/1',
  date: new Date().toISOString(),
  node: process.version,
  nproc: availableParallelism(),
  cpu: cpus()[0]?.model ?? 'unknown',
  loadavg: loadavg().map((n) => Math.round(n * 100) / 100),
  budget: DEFAULT_BUDGET,
  results,
};

const previous = readPrevious(out);
console.log(
  `smtpgauge micro-benchmarks: ${report.date}, Node ${report.node}, ${report.nproc} CPUs ` +
    `(${report.cpu}), load ${report.loadavg.join(' ')}\n`,
);
console.log(renderTable(results, previous));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwrote ${join('reports', 'bench', 'micro.json')}`);

/** ops/s by case name from an earlier report; empty when there is none or it is unreadable. */
function readPrevious(path: string): Map<string, number> {
  if (!existsSync(path)) return new Map();
  try {
    const old = JSON.parse(readFileSync(path, 'utf8')) as Partial<MicroReport>;
    return new Map((old.results ?? []).map((r) => [r.name, r.opsPerSec]));
  } catch {
    return new Map();
  }
}
