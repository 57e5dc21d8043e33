import { formatReply } from '../protocol/reply.js';
import { capabilityKeywords } from './capabilities.js';
import { OK, remainingMs, type CaseRun, type StepOutcome } from './case-run.js';
import { readOne } from './read-expect.js';

/**
 * What happens before a case's first step: the 220 greeting (unless the case reads it itself)
 * and, for a `--tls starttls` run, EHLO + STARTTLS + handshake. A greeting other than 220 is
 * the server's failure; a STARTTLS setup that does not work is the run's error, not the case's.
 */
export async function greet(run: CaseRun, readGreeting: boolean): Promise<StepOutcome> {
  if (!readGreeting) return OK;
  const greeting = await readOne(run, 'greeting');
  if (!greeting.ok)
    return {
      kind: 'fail',
      expected: '220 greeting',
      actual: greeting.actual,
      timedOut: greeting.timedOut,
    };
  if (greeting.reply.code !== 220)
    return { kind: 'fail', expected: '220 greeting', actual: formatReply(greeting.reply) };
  return run.ctx.target.tls === 'starttls' ? upgrade(run) : OK;
}

async function upgrade(run: CaseRun): Promise<StepOutcome> {
  const client = run.vars.client ?? 'client.example.test';
  run.session.sendLine(`EHLO ${client}`);
  const ehlo = await readOne(run, 'EHLO');
  if (!ehlo.ok || ehlo.reply.code !== 250)
    return { kind: 'error', reason: 'STARTTLS setup: EHLO was not accepted' };
  if (!capabilityKeywords(ehlo.reply).has('STARTTLS')) {
    return { kind: 'error', reason: 'STARTTLS setup: the target does not advertise STARTTLS' };
  }
  run.session.sendLine('STARTTLS');
  const ready = await readOne(run, 'STARTTLS');
  if (!ready.ok || ready.reply.code !== 220)
    return { kind: 'error', reason: 'STARTTLS setup: STARTTLS was refused' };
  const upgraded = await run.session.upgradeTls({
    servername: run.ctx.target.servername,
    timeoutMs: remainingMs(run),
  });
  return upgraded.ok ? OK : { kind: 'error', reason: `STARTTLS setup: ${upgraded.message}` };
}
