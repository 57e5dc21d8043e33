import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { EventLoopUtilization, IntervalHistogram } from 'node:perf_hooks';

/**
 * How the load generator itself fared: a saturated generator measures its own queueing, not
 * the server's latency, so its result is not to be trusted. One monitor per thread; the run
 * merges them (mergeHealth) and judges them (judgeHealth).
 *
 * A generator counts as saturated when any of these holds (the reasons say which):
 *   - event-loop delay p99 above 20 ms (a timer or socket waited that long for its turn);
 *   - closed model: event-loop utilisation of a thread above 0.9 (it was busy 90% of the
 *     time), or the process's CPU time above 90% of all the machine's cores (Node 20 measures
 *     CPU per process, not per thread: an embedded target's work is included);
 *   - open model: schedule lag p99 above 10 ms, or fewer starts made or dropped than 95% of
 *     those due (the generator, not the server, fell behind).
 *
 * The open model is not judged by utilisation or CPU. When the next start is under a
 * millisecond away it waits by looking at the clock on every turn of the event loop
 * (open-model.ts), so from about 1,000 starts/s its loop never goes idle and reads 100% busy
 * however light the work. What saturation would cost it, starts made late, is measured
 * directly: the schedule lag. Its health says so in `notes`.
 */
export interface ThreadHealth {
  /** Event-loop delay percentiles, ms. */
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Share of the wall time the event loop was busy, 0..1. */
  utilization: number;
  /** User + system CPU time of the whole process, ms, and the wall time it was spent in. */
  cpuMs: number;
  wallMs: number;
}

export interface GeneratorHealth {
  threads: number;
  /** The worst thread's values (saturation is decided per thread). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  utilization: number;
  /** CPU time of the process over wall time, in cores (2.0 = two cores busy). */
  cpuCores: number;
  /** CPU time per completed message, µs; undefined without messages. */
  cpuMicrosPerMessage?: number;
  /** Open model: starts per second asked for, made, and dropped for want of a session. */
  targetRate?: number;
  achievedRate?: number;
  droppedRate?: number;
  scheduleLagP99Ms?: number;
  saturated: boolean;
  reasons: string[];
  /** How the figures were judged, where that is not plain (the open model's busy wait). */
  notes?: string[];
}

export const HEALTH_LIMITS = {
  utilization: 0.9,
  loopDelayP99Ms: 20,
  cpuShare: 0.9,
  scheduleLagP99Ms: 10,
  achievedShare: 0.95,
} as const;

/**
 * Node's event-loop delay histogram records the time between two of its checks, which are
 * RESOLUTION_MS apart on an idle loop (it reads about 10.2 ms there, not 0): the delay is that
 * time less RESOLUTION_MS.
 */
const RESOLUTION_MS = 10;

/** Watches this thread's event loop and CPU from start() until stop(). */
export class HealthMonitor {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private elu?: EventLoopUtilization;
  private cpu?: NodeJS.CpuUsage;
  private startedAt = 0;

  start(): void {
    this.delay.enable();
    this.elu = performance.eventLoopUtilization();
    this.cpu = process.cpuUsage();
    this.startedAt = performance.now();
  }

  stop(): ThreadHealth {
    this.delay.disable();
    const elu = performance.eventLoopUtilization(this.elu);
    const cpu = process.cpuUsage(this.cpu);
    const ms = (ns: number) => (Number.isFinite(ns) ? Math.max(0, ns / 1e6 - RESOLUTION_MS) : 0);
    return {
      loopDelayP50Ms: ms(this.delay.percentile(50)),
      loopDelayP99Ms: ms(this.delay.percentile(99)),
      loopDelayMaxMs: ms(this.delay.max),
      utilization: elu.utilization,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: performance.now() - this.startedAt,
    };
  }
}

export interface RateFacts {
  model: 'open' | 'closed';
  messages: number;
  /** Cores of the machine. */
  cores: number;
  /** Open model: starts per second due, made, and dropped; schedule lag p99, ms. */
  targetRate?: number;
  achievedRate?: number;
  droppedRate?: number;
  scheduleLagP99Ms?: number;
}

export const OPEN_MODEL_NOTE =
  'open model: waiting for a start under 1 ms away keeps the event loop turning, so utilisation and CPU are not judged; schedule lag and event-loop delay are';

/** Combines the threads' health with the run's rates and decides whether it saturated. */
export function judgeHealth(threads: ThreadHealth[], facts: RateFacts): GeneratorHealth {
  const worst = (pick: (t: ThreadHealth) => number) => Math.max(0, ...threads.map(pick));
  // Every thread measured the same process over about the same span: take the longest.
  const cpuMs = worst((t) => t.cpuMs);
  const wallMs = worst((t) => t.wallMs);
  const health: GeneratorHealth = {
    threads: threads.length,
    loopDelayP99Ms: round(worst((t) => t.loopDelayP99Ms)),
    loopDelayMaxMs: round(worst((t) => t.loopDelayMaxMs)),
    utilization: round(worst((t) => t.utilization)),
    cpuCores: round(wallMs > 0 ? cpuMs / wallMs : 0),
    ...(facts.messages > 0 ? { cpuMicrosPerMessage: round((cpuMs * 1000) / facts.messages) } : {}),
    ...(facts.targetRate !== undefined ? { targetRate: round(facts.targetRate) } : {}),
    ...(facts.achievedRate !== undefined ? { achievedRate: round(facts.achievedRate) } : {}),
    ...(facts.droppedRate !== undefined ? { droppedRate: round(facts.droppedRate) } : {}),
    ...(facts.scheduleLagP99Ms !== undefined
      ? { scheduleLagP99Ms: round(facts.scheduleLagP99Ms) }
      : {}),
    saturated: false,
    reasons: saturationReasons(threads, facts),
    ...(facts.model === 'open' ? { notes: [OPEN_MODEL_NOTE] } : {}),
  };
  health.saturated = health.reasons.length > 0;
  return health;
}

function saturationReasons(threads: ThreadHealth[], facts: RateFacts): string[] {
  const reasons: string[] = [];
  const open = facts.model === 'open';
  for (const [i, t] of threads.entries()) {
    const who = threads.length > 1 ? `thread ${i + 1}: ` : '';
    if (!open && t.utilization > HEALTH_LIMITS.utilization)
      reasons.push(`${who}event loop busy ${pct(t.utilization)} of the time`);
    if (t.loopDelayP99Ms > HEALTH_LIMITS.loopDelayP99Ms)
      reasons.push(`${who}event-loop delay p99 ${round(t.loopDelayP99Ms)} ms`);
  }
  const cpu = Math.max(0, ...threads.map((t) => (t.wallMs > 0 ? t.cpuMs / t.wallMs : 0)));
  if (!open && cpu > HEALTH_LIMITS.cpuShare * facts.cores)
    reasons.push(`process CPU ${round(cpu)} of ${facts.cores} cores`);
  if (open) reasons.push(...scheduleReasons(facts));
  return reasons;
}

/** The open model fell behind its schedule: late starts, or starts never made nor dropped. */
function scheduleReasons(facts: RateFacts): string[] {
  const reasons: string[] = [];
  if ((facts.scheduleLagP99Ms ?? 0) > HEALTH_LIMITS.scheduleLagP99Ms)
    reasons.push(`schedule lag p99 ${round(facts.scheduleLagP99Ms!)} ms`);
  const { targetRate = 0, achievedRate = 0, droppedRate = 0 } = facts;
  if (targetRate > 0 && achievedRate + droppedRate < targetRate * HEALTH_LIMITS.achievedShare)
    reasons.push(
      `made or dropped ${round(achievedRate + droppedRate)}/s of a target ${round(targetRate)}/s`,
    );
  return reasons;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const pct = (share: number) => `${Math.round(share * 100)}%`;
