import { join } from 'node:path';
import type { CpuPlan } from './cpu-pinning.js';
import { CpuWindow, type QuietGate } from './machine.js';

/**
 * What every scenario of `npm run bench:load` gets: where the repository is, how long and how
 * often to measure, the gate that waits for a quiet machine, and a log line printer.
 */
export interface BenchContext {
  root: string;
  quick: boolean;
  /** Runs per measured configuration. */
  repeats: number;
  gate: QuietGate;
  /**
   * Where vs-source runs the sink and the generators (cpu-pinning.ts); undefined: wherever the
   * kernel puts them. The other scenarios measure smtpgauge alone and are not pinned: on one
   * core, Node's helper threads and the open model's wait compete with each other.
   */
  cpus: CpuPlan | undefined;
  log(line: string): void;
}

/** The profile `bench/load/profiles/NAME.yaml`, relative to the repository root. */
export function benchProfile(name: string): string {
  return join('bench', 'load', 'profiles', `${name}.yaml`);
}

/** The conditions one measurement ran under. */
export interface RunConditions {
  /** 1-minute load average at its start. */
  loadavg1: number;
  /** CPU that processes other than the bench's used while it ran, cores. */
  otherCores: number;
  /** The gate's wait budget was spent: it ran on a machine that was not quiet. */
  busy: boolean;
}

export interface Measured<T> {
  value: T;
  conditions: RunConditions;
  /** CPU each helper (by PID, in the order given) used during the run, µs. */
  helperMicros: number[];
}

/**
 * Passes the gate, then runs `run`; `childCpu` says how much CPU the processes it started used
 * (µs), so the CPU of everything else on the machine can be told apart. `helpers` are PIDs of
 * long-running processes of the bench (sinks) whose CPU is counted as the bench's.
 */
export async function measure<T>(
  ctx: BenchContext,
  helpers: readonly number[],
  run: () => Promise<T>,
  childCpu: (value: T) => number,
): Promise<Measured<T>> {
  const gate = await ctx.gate.pass();
  const window = new CpuWindow(helpers);
  const value = await run();
  const helperMicros = helpers.map((pid) => window.helperMicros(pid));
  const otherCores = Math.round(window.otherCores(childCpu(value)) * 100) / 100;
  return {
    value,
    conditions: { loadavg1: gate.loadavg1, otherCores, busy: gate.busy },
    helperMicros,
  };
}
