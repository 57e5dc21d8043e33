import type { Suite } from '../suite/model.js';
import type { CaseResult, SuiteResult } from './case-result.js';
import { replySyntaxSuite, type CaseFindings } from './reply-syntax-suite.js';
import { targetAnswers } from './health-check.js';
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
  /**
   * After this many consecutive cases that timed out, the target is checked; if it no longer
   * answers, the rest are not run (default 3).
   */
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
  const results: SuiteResult[] = [];
  const audited: CaseFindings[] = [];
  const breaker = new StopBreaker(ctx, options.maxConsecutiveTimeouts ?? 3);
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
      if (options.signal?.aborted) break;
      const result =
        suite.protocol !== ctx.protocol
          ? wrongProtocol(kase, suite, ctx)
          : breaker.dead
            ? notRun(kase, breaker.limit)
            : await runCase(kase, ctx, suite.vars, options.signal);
      if (options.signal?.aborted) break;
      await breaker.record(result);
      suiteResult.cases.push(result);
      audited.push({ suite: suite.id, result });
      options.onCase?.(suite, result);
    }
    if (options.signal?.aborted) break;
  }
  const interrupted = options.signal?.aborted ?? false;
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

/**
 * Stops a run against a dead target: after `limit` cases in a row that timed out, it asks the
 * target whether it still answers (health-check.ts); if not, the remaining cases are not run.
 */
class StopBreaker {
  dead = false;
  private timeouts = 0;

  constructor(
    private readonly ctx: RunContext,
    readonly limit: number,
  ) {}

  async record(result: CaseResult): Promise<void> {
    if (!result.failure?.timedOut) {
      if (!this.dead) this.timeouts = 0;
      return;
    }
    if (++this.timeouts < this.limit) return;
    this.dead = !(await targetAnswers(this.ctx));
    this.timeouts = 0;
  }
}

function notRun(kase: Suite['cases'][number], limit: number): CaseResult {
  const reason = `not run: the target stopped answering (${limit} consecutive cases timed out)`;
  return caseOutcome(kase, 'error', reason);
}

function wrongProtocol(kase: Suite['cases'][number], suite: Suite, ctx: RunContext): CaseResult {
  const reason = `an ${suite.protocol.toUpperCase()} suite; this run speaks ${ctx.protocol.toUpperCase()} (--protocol ${suite.protocol})`;
  return caseOutcome(kase, 'skipped', reason);
}
