import { setTimeout as sleep } from 'node:timers/promises';
import { decodeEscapes } from '../core/escapes.js';
import { encodeDataBody } from '../protocol/dot-stuffing.js';
import { formatReply } from '../protocol/reply.js';
import type {
  DataStep,
  EhloStep,
  ExpectCloseStep,
  ExpectSilenceStep,
  RawStep,
  SendStep,
} from '../suite/model.js';
import { capabilityKeywords } from './capabilities.js';
import { expand, OK, remainingMs, type CaseRun, type StepOutcome } from './case-run.js';
import { describeExpectation, matchExpectation } from './expectation.js';
import { generateMessage, textBody } from './message-body.js';
import {
  bytesLabel,
  commandLabel,
  readExpect,
  readExpectAll,
  readOne,
  readRequire,
} from './read-expect.js';

/** `send`: each round writes all lines in one write, then reads one reply per line. */
export async function runSend(run: CaseRun, step: SendStep): Promise<StepOutcome> {
  const rounds = step.repeat ?? 1;
  try {
    for (let n = 1; n <= rounds; n++) {
      if (step.repeat !== undefined) run.vars.n = String(n);
      const lines: string[] = [];
      for (const template of step.lines) {
        const line = expand(run, template);
        if (!line.ok) return line.outcome;
        lines.push(line.text);
      }
      run.session.write(Buffer.from(lines.map((line) => `${line}\r\n`).join(''), 'utf8'));
      const labels = lines.map(commandLabel);
      const outcome = await readExpectAll(run, labels, step.expect ?? lines.map(() => undefined));
      if (outcome.kind !== 'ok') return outcome;
    }
    return OK;
  } finally {
    delete run.vars.n;
  }
}

/** `raw`: the bytes exactly as written; then as many replies as there are expectations. */
export async function runRaw(run: CaseRun, step: RawStep): Promise<StepOutcome> {
  const text = expand(run, step.bytes);
  if (!text.ok) return text.outcome;
  const bytes = decodeEscapes(text.text);
  if (!bytes.ok) return { kind: 'error', reason: `raw bytes: ${bytes.message}` };
  run.session.write(bytes.bytes);
  const label = rawLabel(bytes.bytes);
  const expectations = step.expect ?? [];
  return readExpectAll(
    run,
    expectations.map(() => label),
    expectations,
  );
}

/** How raw bytes are named in reasons: escaped, without a final CRLF; `(empty line)` for CRLF. */
function rawLabel(bytes: Buffer): string {
  const crlf =
    bytes.length >= 2 && bytes[bytes.length - 2] === 13 && bytes[bytes.length - 1] === 10;
  const shown = crlf ? bytes.subarray(0, -2) : bytes;
  return shown.length > 0 ? bytesLabel(shown) : '(empty line)';
}

/** `ehlo`: EHLO, the expectation, and the capabilities of a 250 answer. */
export async function runEhlo(run: CaseRun, step: EhloStep): Promise<StepOutcome> {
  const domain = expand(run, step.domain);
  if (!domain.ok) return domain.outcome;
  const command = `EHLO ${domain.text}`;
  run.session.sendLine(command);
  const read = await readOne(run, command);
  const expected = `${describeExpectation(step.expect)} to ${command}`;
  if (!read.ok) return { kind: 'fail', expected, actual: read.actual, timedOut: read.timedOut };
  const match = matchExpectation(step.expect, read.reply);
  if (!match.ok)
    return { kind: 'fail', expected, actual: `${formatReply(read.reply)} (${match.reason})` };
  if (read.reply.code === 250) run.capabilities = capabilityKeywords(read.reply);
  return OK;
}

/** `data`: DATA must get 354; then the body and the final dot; then the expectation. */
export async function runData(run: CaseRun, step: DataStep): Promise<StepOutcome> {
  run.session.sendLine('DATA');
  const intermediate = await readRequire(run, 'DATA', 354);
  if (intermediate.kind !== 'ok') return intermediate;
  const payload = dataPayload(run, step);
  if (!payload.ok) return payload.outcome;
  run.session.write(payload.bytes);
  return readExpect(run, 'end of data', step.expect);
}

function dataPayload(
  run: CaseRun,
  step: DataStep,
): { ok: true; bytes: Buffer } | { ok: false; outcome: StepOutcome } {
  const body = step.body;
  if (body.kind === 'generated') {
    return {
      ok: true,
      bytes: encodeDataBody(generateMessage(body.size, body.lineLength, run.vars)),
    };
  }
  const text = expand(run, body.kind === 'text' ? body.text : body.bytes);
  if (!text.ok) return text;
  if (body.kind === 'text') return { ok: true, bytes: encodeDataBody(textBody(text.text)) };
  const raw = decodeEscapes(text.text);
  if (!raw.ok) return { ok: false, outcome: { kind: 'error', reason: `raw body: ${raw.message}` } };
  return { ok: true, bytes: raw.bytes };
}

/** `starttls`: STARTTLS must get 220, then the handshake must succeed. */
export async function runStartTls(run: CaseRun): Promise<StepOutcome> {
  run.session.sendLine('STARTTLS');
  const ready = await readRequire(run, 'STARTTLS', 220);
  if (ready.kind !== 'ok') return ready;
  const servername = run.ctx.target.servername;
  const upgraded = await run.session.upgradeTls({ servername, timeoutMs: remainingMs(run) });
  if (upgraded.ok) return OK;
  const actual = `handshake failed: ${upgraded.message}`;
  return { kind: 'fail', expected: 'a TLS handshake after 220', actual };
}

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

/** `expect-silence`: nothing may arrive for the time. */
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
  return { kind: 'fail', expected, actual: `the server sent "${bytesLabel(outcome.bytes)}"` };
}

/** `pause`: waits, bounded by the case deadline; an interrupt ends the wait. */
export async function runPause(run: CaseRun, ms: number): Promise<StepOutcome> {
  await sleep(Math.min(ms, remainingMs(run)), undefined, { signal: run.signal }).catch(
    () => undefined,
  );
  return OK;
}
