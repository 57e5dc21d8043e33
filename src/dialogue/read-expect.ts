import { escapeBytes } from '../core/escapes.js';
import { formatReply, type Reply } from '../protocol/reply.js';
import type { Expectation } from '../suite/model.js';
import { interpolate, templateReferences } from '../core/template.js';
import { expand, replyWaitMs, OK, type CaseRun, type StepOutcome } from './case-run.js';
import { describeExpectation, matchExpectation } from './expectation.js';

/** Reads one reply, or says why none came. Audit findings are recorded against `command`. */
export async function readOne(
  run: CaseRun,
  command: string,
): Promise<{ ok: true; reply: Reply } | { ok: false; actual: string; timedOut: boolean }> {
  const waitMs = replyWaitMs(run);
  const outcome = await run.session.readReply(waitMs);
  if (outcome.kind === 'reply') {
    recordFindings(run, command, outcome.reply);
    return { ok: true, reply: outcome.reply };
  }
  const partial = outcome.partial.length > 0 ? ` (partial: "${bytesLabel(outcome.partial)}")` : '';
  if (outcome.kind === 'closed') {
    return { ok: false, actual: `the server closed the connection${partial}`, timedOut: false };
  }
  return {
    ok: false,
    actual: `no reply within ${Math.round(waitMs)} ms${partial}`,
    timedOut: true,
  };
}

/** Reads one reply and matches it against `expectation` (any reply matches when absent). */
export async function readExpect(
  run: CaseRun,
  command: string,
  expectation: Expectation | undefined,
): Promise<StepOutcome> {
  const expected = expectation ? describeExpectation(expectation) : 'a reply';
  const read = await readOne(run, command);
  if (!read.ok)
    return {
      kind: 'fail',
      expected: `${expected} to ${command}`,
      actual: read.actual,
      timedOut: read.timedOut,
    };
  if (!expectation) return OK;
  const expanded = withVariables(run, expectation);
  if ('kind' in expanded) return expanded;
  const match = matchExpectation(expanded, read.reply);
  if (match.ok) return OK;
  return {
    kind: 'fail',
    expected: `${expected} to ${command}`,
    actual: `${formatReply(read.reply)} (${match.reason})`,
  };
}

/**
 * `${name}` in a `text:` regex stands for the variable's value, matched literally (its regex
 * characters escaped): `text: '^${domain} '` matches the domain, dots and all.
 */
function withVariables(run: CaseRun, e: Expectation): Expectation | StepOutcome {
  if (!e.text || !e.text.source.includes('${')) return e;
  const escaped: Record<string, string> = {};
  for (const { name } of templateReferences(e.text.source)) {
    const value = expand(run, `\${${name}}`);
    if (!value.ok) return value.outcome;
    escaped[name] = value.text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const source = interpolate(e.text.source, escaped);
  if (!source.ok) return { kind: 'error', reason: `variable \${${source.missing}} is not defined` };
  return { ...e, text: { ...e.text, source: source.text } };
}

/** Reads one reply and requires exactly `code` (a 354 to DATA, a 220 to STARTTLS, …). */
export async function readRequire(
  run: CaseRun,
  command: string,
  code: number,
  expected = `${code} to ${command}`,
): Promise<StepOutcome> {
  const read = await readOne(run, command);
  if (!read.ok) return { kind: 'fail', expected, actual: read.actual, timedOut: read.timedOut };
  if (read.reply.code !== code) return { kind: 'fail', expected, actual: formatReply(read.reply) };
  return OK;
}

/** Reads one reply per expectation, in order, stopping at the first mismatch. */
export async function readExpectAll(
  run: CaseRun,
  commands: string[],
  expectations: (Expectation | undefined)[],
): Promise<StepOutcome> {
  for (let i = 0; i < expectations.length; i++) {
    const outcome = await readExpect(run, commands[i] ?? commands[0] ?? '', expectations[i]);
    if (outcome.kind !== 'ok') return outcome;
  }
  return OK;
}

function recordFindings(run: CaseRun, command: string, reply: Reply): void {
  for (const finding of reply.findings) {
    run.findings.push({ ...finding, command, reply: escapeBytes(reply.raw) });
  }
}

/** The command verb and argument as shown in reasons: `MAIL FROM:<a@b>`, cut at 60 characters. */
export function commandLabel(line: string): string {
  return bytesLabel(Buffer.from(line, 'utf8'));
}

/** Bytes as shown in reasons: escaped, cut at 60 characters. */
export function bytesLabel(bytes: Buffer): string {
  const shown = escapeBytes(bytes);
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}
