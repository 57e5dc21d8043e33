import { formatReply } from '../protocol/reply.js';
import type { Step } from '../suite/model.js';
import { expand, type CaseRun, type StepOutcome } from './case-run.js';

/**
 * "Every command MUST generate exactly one reply" (RFC 5321 §4.2), audited on every case.
 *
 * After a step that reads exactly the replies its commands owe (send, ehlo, data, auth,
 * starttls, and the greeting), the harness owes nothing; a complete reply already waiting when
 * the next command is about to be written (or the session is about to end) is a second reply
 * to that step's last command, and becomes an `extra-reply` finding. Steps that write bytes
 * without counting their replies (`raw`, `tls-handshake`) end the accounting for the rest of
 * the case: their replies may be read by any later step. The extra reply is left in place, so the case reads what it would have read.
 * A 421 is not counted: §3.8 lets a server announce its shutdown at any moment. Nor is a
 * command line over the 512-octet limit (§4.5.3.1.4): how a server recovers from one is not
 * specified, and some answer each piece they read.
 */
const COMMAND_LINE_LIMIT = 512;
const COUNTED: ReadonlySet<Step['kind']> = new Set(['send', 'ehlo', 'data', 'auth', 'starttls']);
const UNCOUNTED_WRITES: ReadonlySet<Step['kind']> = new Set(['raw', 'tls-handshake']);

/** Records the extra reply, if one is waiting, against the last settled command. */
export function auditExtraReply(run: CaseRun): void {
  const command = run.settledCommand;
  const extra = run.session.unreadReplies[0];
  if (command == null || !extra || extra.code === 421) return;
  run.findings.push({
    rule: 'extra-reply',
    line: 1,
    message: 'a second reply to one command',
    command,
    reply: formatReply(extra),
  });
  run.settledCommand = undefined;
}

/** Updates the accounting after a step ran. */
export function noteStep(run: CaseRun, step: Step, outcome: StepOutcome): void {
  if (UNCOUNTED_WRITES.has(step.kind)) run.settledCommand = null;
  if (run.settledCommand === null) return;
  run.settledCommand =
    outcome.kind === 'ok' && COUNTED.has(step.kind) && withinLineLimit(run, step)
      ? lastCommand(step)
      : undefined;
}

/** Whether every line the step sent stayed within the command-line limit (CRLF included). */
function withinLineLimit(run: CaseRun, step: Step): boolean {
  if (step.kind !== 'send') return true;
  return step.lines.every((line) => {
    const text = expand(run, line);
    return text.ok && Buffer.byteLength(text.text) + 2 <= COMMAND_LINE_LIMIT;
  });
}

/** Whether the step writes to the server (so an extra reply must be looked for first). */
export function writesCommands(step: Step): boolean {
  return COUNTED.has(step.kind) || UNCOUNTED_WRITES.has(step.kind);
}

function lastCommand(step: Step): string | undefined {
  switch (step.kind) {
    case 'send':
      return step.lines.at(-1);
    case 'ehlo':
      return 'EHLO';
    case 'data':
      return 'the final dot of DATA';
    case 'auth':
      return `AUTH ${step.mechanism}`;
    case 'starttls':
      return 'STARTTLS';
    default:
      return undefined;
  }
}
