import type { Suite } from '../suite/model.js';
import type { CaseResult, SuiteResult } from './case-result.js';
import { replySyntaxSuite, type CaseFindings } from './reply-syntax-suite.js';
import { caseOutcome, runCase } from './run-case.js';
import type { RunContext } from './run-context.js';

export interface ConformanceRunOptions {
  /**
   * Aborting ends the case in progress at once (its result is discarded) and runs no more;
   * what ran is kept and the run is marked interrupted.
   */
  signal?: AbortSignal;
  /** Called after each case, e.g. for progress output. */
  onCase?: (suite: Suite, result: CaseResult) => void;
  /** After this many consecutive cases that timed out, the rest are not run (default 3). */
  maxConsecutiveTimeouts?: number;
}

export interface ConformanceRun {
  suites: SuiteResult[];
  interrupted: boolean;
}

/**
 * Runs the suites' cases one after another, each on its own connection, and appends the
 * reply-syntax checks drawn from every reply read. A target that stops answering does not make
 * the run hang: after a few consecutive time-outs the remaining cases are recorded as not run.
 */
export async function runSuites(
  suites: Suite[],
  ctx: RunContext,
  options: ConformanceRunOptions = {},
): Promise<ConformanceRun> {
  const limit = options.maxConsecutiveTimeouts ?? 3;
  const results: SuiteResult[] = [];
  const audited: CaseFindings[] = [];
  let timeouts = 0;
  let interrupted = false;
  for (const suite of suites) {
    const suiteResult: SuiteResult = {
      id: suite.id,
      title: suite.title,
      file: suite.file,
      rfc: suite.rfc,
      cases: [],
    };
    results.push(suiteResult);
    for (const kase of suite.cases) {
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      const result =
        suite.protocol !== ctx.protocol
          ? wrongProtocol(kase, suite, ctx)
          : timeouts >= limit
            ? notRun(kase, limit)
            : await runCase(kase, ctx, suite.vars, options.signal);
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      timeouts = result.failure?.timedOut
        ? timeouts + 1
        : result.status === 'error' && timeouts >= limit
          ? timeouts
          : 0;
      suiteResult.cases.push(result);
      audited.push({ suite: suite.id, result });
      options.onCase?.(suite, result);
    }
    if (interrupted) break;
  }
  results.push(replySyntaxSuite(audited));
  return { suites: results, interrupted };
}

/** One suite on its own (the library's `runSuite`), with the same guarantees as `runSuites`. */
export function runSuite(
  suite: Suite,
  ctx: RunContext,
  options: ConformanceRunOptions = {},
): Promise<ConformanceRun> {
  return runSuites([suite], ctx, options);
}

function notRun(kase: Suite['cases'][number], limit: number): CaseResult {
  const reason = `not run: the target stopped answering (${limit} consecutive cases timed out)`;
  return caseOutcome(kase, 'error', reason);
}

function wrongProtocol(kase: Suite['cases'][number], suite: Suite, ctx: RunContext): CaseResult {
  const reason = `an ${suite.protocol.toUpperCase()} suite; this run speaks ${ctx.protocol.toUpperCase()} (--protocol ${suite.protocol})`;
  return caseOutcome(kase, 'skipped', reason);
}
