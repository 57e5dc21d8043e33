import { openSession } from '../protocol/session.js';
import { sessionOptions, type RunContext } from './run-context.js';

/**
 * Is the target still answering? Greeting, EHLO (LHLO) and NOOP, each within the reply
 * time-out. Asked when several cases in a row timed out: a target that answers this had cases
 * that timed out for their own reasons (missing replies they test for), and the run goes on.
 */
export async function targetAnswers(ctx: RunContext): Promise<boolean> {
  const opened = await openSession(sessionOptions(ctx.target, ctx.timeouts));
  if (!opened.ok) return false;
  const session = opened.session;
  try {
    const hello = ctx.protocol === 'lmtp' ? 'LHLO' : 'EHLO';
    for (const command of [
      undefined,
      `${hello} ${ctx.vars.client ?? 'client.example.test'}`,
      'NOOP',
    ]) {
      if (command) session.sendLine(command);
      if ((await session.readReply(ctx.timeouts.replyMs)).kind !== 'reply') return false;
    }
    return true;
  } finally {
    await session.close();
  }
}
