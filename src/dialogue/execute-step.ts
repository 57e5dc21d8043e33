import type { Step } from '../suite/model.js';
import { runAuth } from './auth-step.js';
import type { CaseRun, StepOutcome } from './case-run.js';
import { runDisconnect, runExpectDelivered } from './delivery-steps.js';
import { readExpect } from './read-expect.js';
import { runData, runEhlo, runRaw, runSend } from './step-runners.js';
import { runStartTls, runTlsHandshake } from './tls-steps.js';
import { runExpectClose, runExpectSilence, runPause } from './wait-steps.js';

/** Runs one step of a case. Adding a step kind is adding a case here and a runner. */
export function executeStep(run: CaseRun, step: Step): Promise<StepOutcome> {
  switch (step.kind) {
    case 'send':
      return runSend(run, step);
    case 'raw':
      return runRaw(run, step);
    case 'expect':
      return readExpect(run, 'the previous command', step.expect);
    case 'ehlo':
      return runEhlo(run, step);
    case 'data':
      return runData(run, step);
    case 'starttls':
      return runStartTls(run);
    case 'auth':
      return runAuth(run, step);
    case 'pause':
      return runPause(run, step.ms);
    case 'expect-close':
      return runExpectClose(run, step);
    case 'expect-silence':
      return runExpectSilence(run, step);
    case 'tls-handshake':
      return runTlsHandshake(run);
    case 'expect-delivered':
      return runExpectDelivered(run, step);
    case 'disconnect':
      return runDisconnect(run);
  }
}
