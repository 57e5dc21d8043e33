import type { LoadProgress } from '../metrics/phase-recorder.js';
import type { ThreadPlan, ThreadResult } from './run-thread.js';

/**
 * The messages between the run (main thread) and a load worker thread:
 *
 *   main → worker   workerData: WorkerData     (the plan, and the thresholds that abort)
 *   worker → main   { kind: 'ready' }          message mix built
 *   main → worker   { kind: 'start', startMicros }
 *   worker → main   { kind: 'progress', progress }             about once per interval
 *   worker → main   { kind: 'breach', expression, reason }     an aborting threshold failed
 *   main → worker   { kind: 'stop' }           stop starting work, drain, report
 *   worker → main   { kind: 'result', result } | { kind: 'failed', message }
 */
export interface WorkerData {
  plan: ThreadPlan;
  /** Threshold expressions that stop the run when breached (checked on this thread's data). */
  abortOn: string[];
}

export type ToWorker = { kind: 'start'; startMicros: number } | { kind: 'stop' };

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'progress'; progress: LoadProgress }
  | { kind: 'breach'; expression: string; reason: string }
  | { kind: 'result'; result: ThreadResult }
  | { kind: 'failed'; message: string };
