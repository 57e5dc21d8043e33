import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The machine a load bench runs on, and how busy other people keep it. The VM is shared, so
 * each measurement first passes a `QuietGate`, and records how much CPU processes that are not
 * the bench's used while it ran (`CpuWindow`): total busy time from /proc/stat minus the CPU of
 * the bench's own processes.
 */
export interface MachineInfo {
  date: string;
  node: string;
  nproc: number;
  cpu: string;
  loadavg: number[];
}

export function machineInfo(): MachineInfo {
  return {
    date: new Date().toISOString(),
    node: process.version,
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    loadavg: loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

/** USER_HZ: the unit of /proc/stat and /proc/PID/stat times (100 on every Linux we run on). */
const TICKS_PER_SECOND = 100;
const MICROS_PER_TICK = 1e6 / TICKS_PER_SECOND;

/** Busy CPU time of the whole machine so far, µs (user, nice, system, irq, softirq, steal). */
export function machineBusyMicros(): number {
  const first = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const [, user, nice, system, , , irq, softirq, steal] = first.trim().split(/\s+/).map(Number);
  return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) * MICROS_PER_TICK;
}

/** User + system CPU of a running process (all its threads), µs; undefined once it is gone. */
export function processCpuMicros(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): state is field 3, utime 14.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MICROS_PER_TICK;
  } catch {
    return undefined;
  }
}

/** The bench process's own CPU so far, µs. */
function benchCpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/**
 * CPU used by other people's processes during a measurement, in cores. `start()` before, and
 * `end(ours)` after, with the CPU the measured child processes used (µs) and the PIDs of
 * long-running helpers (a sink) whose CPU was read by `start`.
 */
export class CpuWindow {
  private readonly busyAt = machineBusyMicros();
  private readonly benchAt = benchCpuMicros();
  private readonly startedAt = performance.now();
  private readonly helpersAt: Map<number, number>;

  constructor(private readonly helpers: readonly number[] = []) {
    this.helpersAt = new Map(helpers.map((pid) => [pid, processCpuMicros(pid) ?? 0]));
  }

  /** CPU each helper used since the window opened, µs. */
  helperMicros(pid: number): number {
    return (processCpuMicros(pid) ?? 0) - (this.helpersAt.get(pid) ?? 0);
  }

  /** Cores' worth of CPU that the bench, its children and its helpers did not use. */
  otherCores(childrenMicros: number): number {
    const wallMicros = (performance.now() - this.startedAt) * 1000;
    let ours = childrenMicros + benchCpuMicros() - this.benchAt;
    for (const pid of this.helpers) ours += this.helperMicros(pid);
    const others = machineBusyMicros() - this.busyAt - ours;
    return wallMicros > 0 ? Math.max(0, others / wallMicros) : 0;
  }
}

export interface GateResult {
  /** The 1-minute load average when the measurement started. */
  loadavg1: number;
  /** Other processes' CPU over a short sample before it, cores (only sampled when loaded). */
  otherCoresBefore?: number;
  /** Time spent waiting for a quieter machine, ms. */
  waitedMs: number;
  /** The wait budget ran out: the measurement ran on a busy machine. */
  busy: boolean;
}

export const LOAD_LIMIT = 1.5;
/** Other processes may use this much CPU (cores) and the machine still counts as quiet. */
export const OTHERS_LIMIT = 0.25;
const SAMPLE_MS = 1_000;
const WAIT_STEP_MS = 30_000;

/**
 * Before each measurement: go on when the 1-minute load average is at most 1.5. Above that,
 * sample the machine for a second while the bench itself is idle: if other processes used at
 * most 0.25 cores, the load average is the bench's own earlier runs (it decays slowly) and the
 * measurement goes ahead; else wait 30 s and look again, until `maxWaitMs` is spent over the
 * whole bench. Then it measures anyway, and the result says so.
 */
export class QuietGate {
  private waitedMs = 0;

  constructor(
    private readonly maxWaitMs: number,
    private readonly log: (line: string) => void,
  ) {}

  get totalWaitedMs(): number {
    return this.waitedMs;
  }

  async pass(): Promise<GateResult> {
    const startedWaiting = this.waitedMs;
    for (;;) {
      const loadavg1 = Math.round(loadavg()[0]! * 100) / 100;
      if (loadavg1 <= LOAD_LIMIT)
        return { loadavg1, waitedMs: this.waitedMs - startedWaiting, busy: false };
      const others = await sampleOtherCores(SAMPLE_MS);
      const waitedMs = this.waitedMs - startedWaiting;
      const otherCoresBefore = Math.round(others * 100) / 100;
      if (others <= OTHERS_LIMIT) return { loadavg1, otherCoresBefore, waitedMs, busy: false };
      const left = this.maxWaitMs - this.waitedMs;
      if (left <= 0) return { loadavg1, otherCoresBefore, waitedMs, busy: true };
      const step = Math.min(WAIT_STEP_MS, left);
      this.log(
        `  machine busy (load ${loadavg1}, other processes ${otherCoresBefore} cores): ` +
          `waiting ${Math.round(step / 1000)} s (${Math.round(left / 1000)} s of waiting left)`,
      );
      await sleep(step);
      this.waitedMs += step;
    }
  }
}

async function sampleOtherCores(ms: number): Promise<number> {
  const window = new CpuWindow();
  await sleep(ms);
  return window.otherCores(0);
}
