/**
 * The library API: the same checks inside another test runner.
 *
 * ```ts
 * import { loadSuite, runSuites, probeTarget } from 'smtpgauge';
 * ```
 */
export { loadSuite } from './suite/load-suite.js';
export type { Suite, Case, Step, Expectation, Level } from './suite/model.js';
export { DEFAULT_VARS } from './suite/model.js';
export {
  runSuite,
  runSuites,
  type ConformanceRun,
  type ConformanceRunOptions,
} from './dialogue/run-suites.js';
export { runCase } from './dialogue/run-case.js';
export { probeTarget, type TargetProfile } from './dialogue/probe.js';
export type { CaseResult, SuiteResult, CaseStatus } from './dialogue/case-result.js';
export { DEFAULT_TIMEOUTS, type RunContext, type RunTarget } from './dialogue/run-context.js';
export {
  buildConformanceReport,
  renderJson,
  type ConformanceReport,
} from './report/conformance-report.js';
export { renderConsoleSummary } from './report/console-summary.js';
export { renderJunit } from './report/junit.js';
export { startReferenceTarget, type RunningTarget } from './targets/reference-target.js';
export { startSinkTarget, type RunningSink } from './targets/sink-target.js';
export { startCaptureSink, type RunningCaptureSink } from './targets/capture-sink.js';
export { loadProfile } from './suite/load-profile.js';
export { runLoad, type LoadRunOptions, type LoadRunOutcome } from './load/run-load.js';
export type { LoadProfile } from './suite/profile-model.js';
export { main } from './cli/main.js';
