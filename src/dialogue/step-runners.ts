import { decodeEscapes } from '../core/escapes.js';
import { encodeDataBody } from '../protocol/dot-stuffing.js';
import type { DataStep, EhloStep, RawStep, SendStep } from '../suite/model.js';
import { expand, OK, type CaseRun, type StepOutcome } from './case-run.js';
import { generateMessage, textBody } from './message-body.js';
import { bytesLabel, commandLabel, readExpect, readExpectAll, readRequire } from './read-expect.js';

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

/** `ehlo`: EHLO (LHLO in an LMTP run) and its expectation, 250 unless the step says otherwise. */
export async function runEhlo(run: CaseRun, step: EhloStep): Promise<StepOutcome> {
  const domain = expand(run, step.domain);
  if (!domain.ok) return domain.outcome;
  const command = `${helloVerb(run)} ${domain.text}`;
  run.session.sendLine(command);
  return readExpect(run, command, step.expect);
}

export function helloVerb(run: CaseRun): 'EHLO' | 'LHLO' {
  return run.ctx.protocol === 'lmtp' ? 'LHLO' : 'EHLO';
}

/** A generated size: a number, or a template (`${size_over}`) that must expand to one. */
function generatedSize(
  run: CaseRun,
  size: number | string,
): { ok: true; size: number } | { ok: false; outcome: StepOutcome } {
  if (typeof size === 'number') return { ok: true, size };
  const text = expand(run, size);
  if (!text.ok) return text;
  const value = Number(text.text);
  if (Number.isSafeInteger(value) && value >= 0) return { ok: true, size: value };
  return {
    ok: false,
    outcome: { kind: 'error', reason: `generated size '${text.text}' is not a number of octets` },
  };
}

/** `data`: DATA must get 354; then the body and the final dot; then the expectation. */
export async function runData(run: CaseRun, step: DataStep): Promise<StepOutcome> {
  run.session.sendLine('DATA');
  const intermediate = await readRequire(run, 'DATA', 354);
  if (intermediate.kind !== 'ok') return intermediate;
  const payload = dataPayload(run, step);
  if (!payload.ok) return payload.outcome;
  run.session.write(payload.bytes);
  return readExpectAll(
    run,
    step.expect.map(() => 'end of data'),
    step.expect,
  );
}

function dataPayload(
  run: CaseRun,
  step: DataStep,
): { ok: true; bytes: Buffer } | { ok: false; outcome: StepOutcome } {
  const body = step.body;
  if (body.kind === 'generated') {
    const size = generatedSize(run, body.size);
    if (!size.ok) return size;
    return {
      ok: true,
      bytes: encodeDataBody(generateMessage(size.size, body.lineLength, run.vars)),
    };
  }
  const text = expand(run, body.kind === 'text' ? body.text : body.bytes);
  if (!text.ok) return text;
  if (body.kind === 'text') return { ok: true, bytes: encodeDataBody(textBody(text.text)) };
  const raw = decodeEscapes(text.text);
  if (!raw.ok) return { ok: false, outcome: { kind: 'error', reason: `raw body: ${raw.message}` } };
  return { ok: true, bytes: raw.bytes };
}
