import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * Where vs-source's processes run. The sink gets the last core, every generator (smtp-source,
 * smtpgauge with all of its threads, the node floor) the others, through `taskset -c`
 * (util-linux). Without pinning, a lock-step ping-pong over loopback lets the scheduler wake the
 * generator on the sink's core and leave the other idle, and which of the two tools that hurts
 * more changes from run to run; pinned, each tool gets the same core and the sink its own.
 * Both tools are pinned the same way, and Node's helper threads (GC, compiler) share the
 * generator's core, which is no advantage to smtpgauge.
 *
 * No plan (nothing pinned) on a machine with one core, without taskset, or with `--no-pin`.
 */
export interface CpuPlan {
  /** `taskset -c` list for the target. */
  target: string;
  /** `taskset -c` list for the generators. */
  generator: string;
  /** Cores the generators get. */
  generatorCores: number;
}

export const TASKSET = '/usr/bin/taskset';

export function cpuPlan(pin: boolean, cores = availableParallelism()): CpuPlan | undefined {
  if (!pin || cores < 2 || !existsSync(TASKSET)) return undefined;
  const last = cores - 1;
  return {
    target: String(last),
    generator: last === 1 ? '0' : `0-${last - 1}`,
    generatorCores: last,
  };
}

/** `command args…` run on `cpus` (a `taskset -c` list), or as it is when `cpus` is undefined. */
export function onCpus(
  cpus: string | undefined,
  command: string,
  args: readonly string[],
): { command: string; args: string[] } {
  if (cpus === undefined) return { command, args: [...args] };
  return { command: TASKSET, args: ['-c', cpus, command, ...args] };
}
