import { microsToMillis, nowMicros } from '../core/clock.js';
import { formatLocation } from '../core/span.js';
import { makeRedactor } from '../protocol/redaction.js';
import { openSession, type SmtpSession } from '../protocol/session.js';
import type { Case } from '../suite/model.js';
import type { CaseFailure, CaseResult, CaseStatus } from './case-result.js';
import { OK, type CaseRun, type StepOutcome } from './case-run.js';
import { caseVariables, credentialSecrets, missingPrerequisite } from './case-variables.js';
import { executeStep } from './execute-step.js';
import { auditExtraReply, noteStep, writesCommands } from './reply-count-audit.js';
import { greet } from './greet.js';
import { sessionOptions, type RunContext } from './run-context.js';

/**
 * Runs one case on its own connection: connect, (greeting), (STARTTLS when the run asks for
 * it), the steps in order until one does not pass, then QUIT and close. Never throws and never
 * outlives its deadline (or an abort of `signal`) by more than the farewell's second.
 */
export async function runCase(
  kase: Case,
  ctx: RunContext,
  suiteVars: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<CaseResult> {
  const started = nowMicros();
  const unmet = unmetRequirement(kase, ctx);
  if (unmet) return finish(kase, started, 'skipped', unmet);
  const secrets = credentialSecrets(ctx.credentials);
  const opened = await openSession(sessionOptions(ctx.target, ctx.timeouts, secrets));
  if (!opened.ok) return finish(kase, started, 'error', opened.failure.message);
  const run: CaseRun = {
    session: opened.session,
    ctx,
    deadlineMicros: started + (kase.timeoutMs ?? ctx.timeouts.caseMs) * 1000,
    vars: caseVariables(ctx, suiteVars),
    findings: [],
    signal,
  };
  // An interrupt closes the connection at once, so a waiting read returns instead of running
  // out its deadline; the caller discards the result of an interrupted case.
  const interrupt = () => void run.session.close();
  signal?.addEventListener('abort', interrupt, { once: true });
  if (signal?.aborted) interrupt();
  try {
    const { outcome, step } = await runSteps(run, kase);
    await farewell(run.session);
    return redactResult(toResult(kase, started, run, outcome, step), makeRedactor(secrets));
  } catch (cause) {
    await run.session.close();
    return finish(kase, started, 'error', `internal error: ${(cause as Error).message ?? cause}`);
  } finally {
    signal?.removeEventListener('abort', interrupt);
  }
}

/** A capability, protocol or variable the case needs and the run lacks: the skip reason. */
function unmetRequirement(kase: Case, ctx: RunContext): string | undefined {
  const missing = kase.requires.filter((keyword) => !ctx.capabilities.has(keyword));
  if (missing.length > 0) return `the target does not advertise ${missing.join(', ')}`;
  return missingPrerequisite(kase, ctx);
}

/** Masks the credentials in every text of a result, not only in the transcript. */
function redactResult(result: CaseResult, redact: (text: string) => string): CaseResult {
  const failure = result.failure && {
    ...result.failure,
    expected: redact(result.failure.expected),
    actual: redact(result.failure.actual),
  };
  return {
    ...result,
    reason: redact(result.reason),
    ...(failure ? { failure } : {}),
    findings: result.findings.map((f) => ({
      ...f,
      reply: redact(f.reply),
      command: redact(f.command),
    })),
  };
}

async function runSteps(run: CaseRun, kase: Case): Promise<{ outcome: StepOutcome; step: number }> {
  const setup = await greet(run, kase.greeting === 'auto');
  if (setup.kind !== 'ok') return { outcome: setup, step: 0 };
  if (kase.greeting === 'auto') run.settledCommand = 'the connection (greeting)';
  for (const [index, step] of kase.steps.entries()) {
    if (writesCommands(step)) auditExtraReply(run);
    const outcome = await executeStep(run, step);
    noteStep(run, step, outcome);
    if (outcome.kind !== 'ok') return { outcome, step: index + 1 };
  }
  auditExtraReply(run);
  return { outcome: OK, step: kase.steps.length };
}

/** Politely ends the session: QUIT, a short wait for the close, then the socket is destroyed. */
async function farewell(session: SmtpSession): Promise<void> {
  if (!session.isClosed) {
    session.sendLine('QUIT');
    await session.waitForClose(1000);
  }
  await session.close();
}

function toResult(
  kase: Case,
  started: number,
  run: CaseRun,
  outcome: StepOutcome,
  step: number,
): CaseResult {
  const transcript = run.session.transcript.entries();
  const base = { transcript, findings: run.findings };
  switch (outcome.kind) {
    case 'ok':
      return { ...finish(kase, started, 'passed', ''), ...base };
    case 'end':
      return { ...finish(kase, started, 'passed', outcome.note), ...base };
    case 'skip':
      return { ...finish(kase, started, 'skipped', outcome.reason), ...base };
    case 'error':
      return { ...finish(kase, started, 'error', outcome.reason), ...base };
    case 'fail': {
      const span = step > 0 ? kase.steps[step - 1]!.span : kase.span;
      const failure: CaseFailure = {
        step,
        location: formatLocation(span),
        expected: outcome.expected,
        actual: outcome.actual,
        ...(outcome.timedOut ? { timedOut: true } : {}),
      };
      const reason = `expected ${outcome.expected}, got ${outcome.actual}`;
      return { ...finish(kase, started, 'failed', reason), failure, ...base };
    }
  }
}

function finish(kase: Case, started: number, status: CaseStatus, reason: string): CaseResult {
  return caseOutcome(kase, status, reason, microsToMillis(nowMicros() - started));
}

/** A result with no conversation: a case skipped, not run, or refused before it talked. */
export function caseOutcome(
  kase: Case,
  status: CaseStatus,
  reason: string,
  durationMs = 0,
): CaseResult {
  const { id, title, rfc, section, level } = kase;
  return {
    id,
    title,
    rfc,
    section,
    level,
    status,
    reason,
    durationMs,
    transcript: [],
    findings: [],
  };
}
