import { REDACTED } from '../protocol/redaction.js';
import type { AuthStep } from '../suite/model.js';
import type { CaseRun, StepOutcome } from './case-run.js';
import { readExpect, readRequire } from './read-expect.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * `auth`: SASL PLAIN (RFC 4616, as an initial response) or LOGIN with the run's credentials.
 * Every line that carries a credential is recorded in the transcript as `<redacted>`.
 */
export async function runAuth(run: CaseRun, step: AuthStep): Promise<StepOutcome> {
  const credentials = run.ctx.credentials;
  if (!credentials) {
    return { kind: 'skip', reason: 'no credentials: give --auth USER:PASS or set SMTPGAUGE_AUTH' };
  }
  if (step.mechanism === 'PLAIN') {
    const response = b64(`\0${credentials.user}\0${credentials.pass}`);
    run.session.sendLine(`AUTH PLAIN ${response}`, { display: `AUTH PLAIN ${REDACTED}` });
    return readExpect(run, 'AUTH PLAIN', step.expect);
  }
  run.session.sendLine('AUTH LOGIN');
  for (const secret of [credentials.user, credentials.pass]) {
    const challenge = await readRequire(run, 'AUTH LOGIN', 334);
    if (challenge.kind !== 'ok') return challenge;
    run.session.sendLine(b64(secret), { display: REDACTED });
  }
  return readExpect(run, 'AUTH LOGIN', step.expect);
}
