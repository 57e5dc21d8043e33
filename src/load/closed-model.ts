import { setTimeout as sleep } from 'node:timers/promises';
import type { ClosedModel } from '../suite/profile-model.js';
import type { LoadSession } from './load-session.js';
import { shareOf, type ModelContext } from './model-context.js';

/**
 * The closed model: a fixed number of sessions (virtual users), each sending one message after
 * the other, `thinkTimeMs` apart; after `messagesPerSession` messages a session QUITs and a new
 * one takes its place. The offered load follows the server: a slow reply delays the next
 * message of that session. Latency is measured from each message's actual start. The run's
 * end or a stop cuts a think time short.
 *
 * A session that cannot be opened (refused, rejected, timed out) is counted by the session
 * itself; its user waits `RETRY_MS` before the next attempt, so a dead target is not hammered
 * in a tight loop.
 */
const RETRY_MS = 10;
const THINK_SLICE_MS = 50;

export async function runClosed(model: ClosedModel, ctx: ModelContext): Promise<void> {
  const users = shareOf(model.sessions, ctx.worker, ctx.workers);
  await Promise.all(Array.from({ length: users }, () => runUser(model, ctx)));
}

async function runUser(model: ClosedModel, ctx: ModelContext): Promise<void> {
  while (!ctx.stopping()) {
    const session = ctx.newSession();
    ctx.active(1);
    try {
      if ((await session.open()) !== '2xx') {
        await sleep(RETRY_MS);
        continue;
      }
      await sendMessages(session, model, ctx);
      if (session.usable) await session.quit();
    } finally {
      session.destroy();
      ctx.active(-1);
    }
  }
}

/**
 * Sends the session's messages one after the other. The next message starts from inside the
 * previous one's final-reply handler (the session calls back synchronously), so a message
 * costs no promise and no microtask turn; only the end of the run of messages settles one.
 */
function sendMessages(session: LoadSession, model: ClosedModel, ctx: ModelContext): Promise<void> {
  const limit = ctx.reuse ? (model.messagesPerSession ?? Number.POSITIVE_INFINITY) : 1;
  return new Promise((resolve) => {
    let sent = 0;
    const next = (): void => {
      if (sent >= limit || !session.usable || ctx.stopping() || !ctx.takeMessage()) {
        resolve();
        return;
      }
      sent++;
      session.send(ctx.messages.next(ctx.random), undefined, afterMessage);
    };
    const afterMessage = (): void => {
      if (model.thinkTimeMs > 0) void think(model.thinkTimeMs, ctx).then(next);
      else next();
    };
    next();
  });
}

/** Waits `ms`, in slices of at most THINK_SLICE_MS, so a stop cuts a long think time short. */
async function think(ms: number, ctx: ModelContext): Promise<void> {
  const until = performance.now() + ms;
  for (let left = ms; left > 0 && !ctx.stopping(); left = until - performance.now())
    await sleep(Math.min(left, THINK_SLICE_MS));
}
