import type { CaseRun, StepOutcome } from './case-run.js';
import { OK, remainingMs } from './case-run.js';
import { bytesLabel, readRequire } from './read-expect.js';

/** `starttls`: STARTTLS must get 220, then the handshake must succeed. */
export async function runStartTls(run: CaseRun): Promise<StepOutcome> {
  run.session.sendLine('STARTTLS');
  const ready = await readRequire(run, 'STARTTLS', 220);
  if (ready.kind !== 'ok') return ready;
  return runTlsHandshake(run);
}

/**
 * `tls-handshake` (and the second half of `starttls`): start TLS on the connection as it is.
 * Anything the server sent in clear after its 220 fails the step: a conforming server says
 * nothing more until the handshake (RFC 3207 §4.2), and bytes here are the trace of plaintext
 * commands executed across the upgrade (STARTTLS command injection, CVE-2011-0411).
 */
export async function runTlsHandshake(run: CaseRun): Promise<StepOutcome> {
  const servername = run.ctx.target.servername;
  const upgraded = await run.session.upgradeTls({ servername, timeoutMs: remainingMs(run) });
  if (!upgraded.ok) {
    return {
      kind: 'fail',
      expected: 'a TLS handshake after 220',
      actual: `handshake failed: ${upgraded.message}`,
    };
  }
  if (upgraded.plaintextLeftover.length > 0) {
    const actual = `the server sent "${bytesLabel(upgraded.plaintextLeftover)}" in clear after its 220`;
    return { kind: 'fail', expected: 'nothing between the 220 and the TLS handshake', actual };
  }
  return OK;
}
