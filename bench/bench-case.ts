import { Bench } from 'tinybench';

/**
 * One micro-benchmark: a synchronous function over an input built beforehand, plus what one
 * call processes, so rates other than calls per second can be derived from the mean latency.
 */
export interface BenchCase {
  name: string;
  fn: () => void;
  /** Octets one call processes; gives MB/s (10^6 octets per second). */
  bytesPerOp?: number;
  /** Domain units one call processes (replies, entries, files), named by `unit`. */
  unitsPerOp?: number;
  unit?: string;
}

export interface BenchCaseResult {
  name: string;
  /** Calls per second, `1000 / meanMs` (so it agrees with the derived rates). */
  opsPerSec: number;
  meanMs: number;
  p99Ms: number;
  /** Relative margin of error of the mean, in percent. */
  rmePercent: number;
  samples: number;
  bytesPerOp?: number;
  mbPerSec?: number;
  unitsPerOp?: number;
  unit?: string;
  unitsPerSec?: number;
}

export interface BenchBudget {
  /** Time budget per task in ms (tinybench `time`). */
  timeMs: number;
  /** Minimum samples per task; kept low so the slow 1-byte-chunk task stays bounded. */
  minIterations: number;
  warmupMs: number;
}

export const DEFAULT_BUDGET: BenchBudget = { timeMs: 500, minIterations: 10, warmupMs: 100 };

/** Runs the cases one after another and returns their results in order; a failing case throws. */
export async function measureCases(
  cases: readonly BenchCase[],
  budget: BenchBudget = DEFAULT_BUDGET,
): Promise<BenchCaseResult[]> {
  const bench = new Bench({
    time: budget.timeMs,
    iterations: budget.minIterations,
    warmupTime: budget.warmupMs,
    warmupIterations: 3,
    throws: true,
  });
  for (const c of cases) bench.add(c.name, c.fn);
  await bench.run();
  return cases.map((c) => summarise(c, bench));
}

function summarise(c: BenchCase, bench: Bench): BenchCaseResult {
  const result = bench.getTask(c.name)?.result;
  if (result === undefined || result.state !== 'completed') {
    throw new Error(`benchmark '${c.name}' did not complete (${result?.state ?? 'missing'})`);
  }
  const { mean, p99, rme, samplesCount } = result.latency;
  const opsPerSec = 1000 / mean;
  return {
    name: c.name,
    opsPerSec,
    meanMs: mean,
    p99Ms: p99,
    rmePercent: rme,
    samples: samplesCount,
    ...(c.bytesPerOp !== undefined
      ? { bytesPerOp: c.bytesPerOp, mbPerSec: (c.bytesPerOp * opsPerSec) / 1e6 }
      : {}),
    ...(c.unitsPerOp !== undefined && c.unit !== undefined
      ? { unitsPerOp: c.unitsPerOp, unit: c.unit, unitsPerSec: c.unitsPerOp * opsPerSec }
      : {}),
  };
}
