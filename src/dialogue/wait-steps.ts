import { setTimeout as sleep } from 'node:timers/promises';
import { formatReply } from '../protocol/reply.js';
import type { ExpectCloseStep, ExpectSilenceStep } from '../suite/model.js';
import type { CaseRun, StepOutcome } from './case-run.js';
import { OK, remainingMs } from './case-run.js';
import { bytesLabel, readOne } from './read-expect.js';

/** `expect-close`: the server must close within the time, without sending anything. */
export async function runExpectClose(run: CaseRun, step: ExpectCloseStep): Promise<StepOutcome> {
  const ms = Math.min(step.ms, remainingMs(run));
  const expected = `the server to close the connection within ${step.ms} ms`;
  const outcome = await run.session.waitForClose(ms);
  if (outcome.kind === 'closed') return OK;
  if (outcome.kind === 'timeout') {
    return { kind: 'fail', expected, actual: `still open after ${Math.round(ms)} ms` };
  }
  return { kind: 'fail', expected, actual: `the server sent "${bytesLabel(outcome.bytes)}"` };
}

/**
 * `expect-silence`: nothing may arrive for the time. With `accept-refusal`, a 4xx/5xx reply
 * instead ends the case as passed: the server refused safely (a smuggling probe it rejected).
 */
export async function runExpectSilence(
  run: CaseRun,
  step: ExpectSilenceStep,
): Promise<StepOutcome> {
  const ms = Math.min(step.ms, remainingMs(run));
  const expected = `no reply for ${step.ms} ms`;
  const outcome = await run.session.waitForSilence(ms);
  if (outcome.kind === 'silent') return OK;
  if (outcome.kind === 'closed')
    return { kind: 'fail', expected, actual: 'the server closed the connection' };
  if (!step.acceptRefusal)
    return { kind: 'fail', expected, actual: `the server sent "${bytesLabel(outcome.bytes)}"` };
  const read = await readOne(run, 'the silence');
  if (!read.ok)
    return { kind: 'fail', expected, actual: `the server sent "${bytesLabel(outcome.bytes)}"` };
  if (read.reply.code >= 400 && read.reply.code < 600) {
    return { kind: 'end', note: `refused during the silence: ${formatReply(read.reply)}` };
  }
  return {
    kind: 'fail',
    expected: `${expected} (or a 4xx/5xx refusal)`,
    actual: formatReply(read.reply),
  };
}

/** `pause`: waits, bounded by the case deadline; an interrupt ends the wait. */
export async function runPause(run: CaseRun, ms: number): Promise<StepOutcome> {
  await sleep(Math.min(ms, remainingMs(run)), undefined, { signal: run.signal }).catch(
    () => undefined,
  );
  return OK;
}
