import { capabilityKeywords } from './capabilities.js';
import { expand, OK, type CaseRun, type StepOutcome } from './case-run.js';
import { readOne, readRequire } from './read-expect.js';
import { helloVerb } from './step-runners.js';
import { runStartTls } from './tls-steps.js';

/**
 * What happens before a case's first step: the 220 greeting (unless the case reads it itself)
 * and, for a `--tls starttls` run, EHLO + STARTTLS + handshake. A greeting other than 220 is
 * the server's failure; a STARTTLS setup that does not work is the run's error, not the case's.
 */
export async function greet(run: CaseRun, readGreeting: boolean): Promise<StepOutcome> {
  if (!readGreeting) return OK;
  const greeting = await readRequire(run, 'greeting', 220, '220 greeting');
  if (greeting.kind !== 'ok' || run.ctx.target.tls !== 'starttls') return greeting;
  return upgrade(run);
}

async function upgrade(run: CaseRun): Promise<StepOutcome> {
  const client = expand(run, '${client}');
  if (!client.ok) return client.outcome;
  run.session.sendLine(`${helloVerb(run)} ${client.text}`);
  const ehlo = await readOne(run, 'EHLO');
  if (!ehlo.ok || ehlo.reply.code !== 250) return setupError('EHLO was not accepted');
  if (!capabilityKeywords(ehlo.reply).has('STARTTLS')) {
    return setupError('the target does not advertise STARTTLS');
  }
  const outcome = await runStartTls(run);
  if (outcome.kind !== 'fail') return outcome;
  return setupError(`expected ${outcome.expected}, got ${outcome.actual}`);
}

function setupError(reason: string): StepOutcome {
  return { kind: 'error', reason: `STARTTLS setup: ${reason}` };
}
