import { decodeEscapes, escapeBytes } from '../core/escapes.js';
import { nowMicros } from '../core/clock.js';
import type { ExpectDeliveredStep } from '../suite/model.js';
import type { CapturedMessage, CaptureView } from './capture-view.js';
import { expand, OK, remainingMs, type CaseRun, type StepOutcome } from './case-run.js';

/** `disconnect`: drop the connection without QUIT. */
export async function runDisconnect(run: CaseRun): Promise<StepOutcome> {
  await run.session.close();
  return OK;
}

/**
 * `expect-delivered`: waits until `count` messages carrying the match have reached the capture
 * sink (at most `within`), then watches `settle` longer for an extra one; `count: 0` watches
 * the whole `within`. Each matching message must hold every `contains` and no `not-contains`.
 */
export async function runExpectDelivered(
  run: CaseRun,
  step: ExpectDeliveredStep,
): Promise<StepOutcome> {
  const capture = run.ctx.capture;
  if (!capture) return { kind: 'skip', reason: 'the run has no capture sink (--capture)' };
  const needles = decodeAll(run, [step.match, ...step.contains, ...step.notContains]);
  if (!needles.ok) return needles.outcome;
  const [match, ...rest] = needles.bytes;
  const contains = rest.slice(0, step.contains.length);
  const notContains = rest.slice(step.contains.length);
  const from = step.from === undefined ? undefined : expand(run, step.from);
  if (from && !from.ok) return from.outcome;
  const select = selector(capture, match!, from?.text);
  if (step.count === 0 && remainingMs(run) < step.withinMs) {
    const left = Math.round(remainingMs(run));
    const reason = `the case deadline leaves ${left} ms, less than the ${step.withinMs} ms this step must watch; raise --case-timeout`;
    return { kind: 'error', reason };
  }
  const found = await awaitMessages(run, capture, select, step);
  const sender = from ? ` from <${from.text}>` : '';
  const expected = `${step.count} delivered message(s)${sender} containing "${escapeBytes(match!)}"`;
  if (found.length !== step.count) {
    const actual = `${found.length} within ${describeWait(step)}`;
    return { kind: 'fail', expected, actual };
  }
  return checkContent(found, contains, notContains);
}

type Selection = () => CapturedMessage[];

/** The captured messages that carry `match` (and come from `from`, when given). */
function selector(capture: CaptureView, match: Buffer, from: string | undefined): Selection {
  const sender = from?.toLowerCase();
  return () =>
    capture
      .messagesContaining(match)
      .filter((m) => sender === undefined || m.mailFrom.toLowerCase() === sender);
}

async function awaitMessages(
  run: CaseRun,
  capture: CaptureView,
  select: Selection,
  step: ExpectDeliveredStep,
): Promise<CapturedMessage[]> {
  const wanted = step.count === 0 ? 1 : step.count;
  await waitWhile(run, capture, step.withinMs, () => select().length < wanted);
  if (step.count > 0 && select().length === step.count) {
    await waitWhile(run, capture, step.settleMs, () => select().length <= step.count);
  }
  return select();
}

/** Waits for arrivals while `pending` holds, for at most `ms` (and the case's deadline). */
async function waitWhile(
  run: CaseRun,
  capture: CaptureView,
  ms: number,
  pending: () => boolean,
): Promise<void> {
  const until = nowMicros() + Math.min(ms, remainingMs(run)) * 1000;
  while (pending() && !run.signal?.aborted) {
    const left = (until - nowMicros()) / 1000;
    if (left <= 0) return;
    await capture.nextArrival(left, run.signal);
  }
}

function checkContent(
  found: CapturedMessage[],
  contains: Buffer[],
  notContains: Buffer[],
): StepOutcome {
  for (const [index, message] of found.entries()) {
    const which = found.length > 1 ? `delivered message ${index + 1}` : 'the delivered message';
    const missing = contains.find((needle) => !message.raw.includes(needle));
    if (missing) {
      return {
        kind: 'fail',
        expected: `${which} to contain "${escapeBytes(missing)}"`,
        actual: `it does not: "${excerpt(message.raw)}"`,
      };
    }
    const present = notContains.find((needle) => message.raw.includes(needle));
    if (present) {
      return {
        kind: 'fail',
        expected: `${which} not to contain "${escapeBytes(present)}"`,
        actual: `it does: "${excerpt(message.raw)}"`,
      };
    }
  }
  return OK;
}

function describeWait(step: ExpectDeliveredStep): string {
  return step.count === 0
    ? `${step.withinMs} ms`
    : `${step.withinMs} ms (+${step.settleMs} ms settle)`;
}

/** The end of the message (its body), escaped, at most 300 bytes. */
function excerpt(raw: Buffer): string {
  const headerEnd = raw.indexOf('\r\n\r\n');
  const body = headerEnd >= 0 ? raw.subarray(headerEnd + 4) : raw;
  return escapeBytes(body.subarray(0, 300)) + (body.length > 300 ? '…' : '');
}

function decodeAll(
  run: CaseRun,
  templates: string[],
): { ok: true; bytes: Buffer[] } | { ok: false; outcome: StepOutcome } {
  const bytes: Buffer[] = [];
  for (const template of templates) {
    const text = expand(run, template);
    if (!text.ok) return text;
    const decoded = decodeEscapes(text.text);
    if (!decoded.ok) return { ok: false, outcome: { kind: 'error', reason: decoded.message } };
    bytes.push(decoded.bytes);
  }
  return { ok: true, bytes };
}
