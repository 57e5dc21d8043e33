/**
 * The command line of `npm run bench:load -- [options]`:
 *
 *   --quick             short runs, one of each: a check that every scenario works (~2 min)
 *   --only LIST         scenarios to run, comma-separated: vs-source, recording, open-rate,
 *                       latency, memory (default: all)
 *   --repeats N         runs per configuration (default 3; 1 with --quick); scenarios that
 *                       need more for a stable median take more (vs-source 5, recording 5)
 *   --max-wait SECONDS  waiting for a quiet machine, in total over the bench (default 120)
 *   --memory-seconds S  length of the memory run on reused sessions (default 60; 15 with
 *                       --quick); the session-churn run takes half as long, at least 15 s
 *   --no-pin            vs-source: leave the processes where the kernel puts them (default:
 *                       the sink on the last core, the generators on the others;
 *                       cpu-pinning.ts)
 */
export const SCENARIOS = ['vs-source', 'recording', 'open-rate', 'latency', 'memory'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  quick: boolean;
  only: ScenarioName[];
  repeats: number;
  maxWaitMs: number;
  memorySeconds: number;
  pin: boolean;
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const value = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    const inline = argv.find((a) => a.startsWith(`${name}=`));
    return inline ? inline.slice(name.length + 1) : at >= 0 ? argv[at + 1] : undefined;
  };
  const only = (value('--only') ?? SCENARIOS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new Error(`--only: unknown scenario ${unknown.join(', ')} (use ${SCENARIOS.join(', ')})`);
  }
  return {
    quick,
    only: only as ScenarioName[],
    repeats: positive(value('--repeats'), quick ? 1 : 3, '--repeats'),
    maxWaitMs: positive(value('--max-wait'), 120, '--max-wait', true) * 1000,
    memorySeconds: positive(value('--memory-seconds'), quick ? 15 : 60, '--memory-seconds'),
    pin: !argv.includes('--no-pin'),
  };
}

function positive(text: string | undefined, fallback: number, name: string, zero = false): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < (zero ? 0 : 1))
    throw new Error(`${name} '${text}': a whole number`);
  return n;
}
