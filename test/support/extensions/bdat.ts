import type { ReplyLines } from '../server-profile.js';
import { NOTHING, say } from '../smtp-outcome.js';
import type { Outcome } from '../smtp-outcome.js';
import type { SmtpSession } from '../smtp-state.js';

/**
 * CHUNKING (RFC 3030): `BDAT <size> [LAST]` is followed by exactly <size> octets of message,
 * with no dot-stuffing and no terminator. The octets are read even when the command is refused
 * ("the receiver-SMTP MUST accept and discard the associated message data before sending the
 * appropriate 5XX or 4XX code", §2), so nothing inside a chunk is ever run as a command.
 *
 * A non-LAST chunk gets 250; LAST ends the message like DATA's final dot (LMTP: one reply per
 * recipient). Over the size limit: 552, and the transaction is over.
 */
export interface ChunkState {
  size: number;
  remaining: number;
  last: boolean;
  /** The reply the chunk gets once read, when the BDAT itself was refused. */
  refusal?: ReplyLines;
  /** The last octets read, to find an in-band CRLF.CRLF (defect bdat-inband-dot). */
  tail: string;
}

const BDAT_ARGS = /^(\d{1,20})(?: (LAST))?$/i;
const IN_BAND_END = '\r\n.\r\n';

export function bdat(session: SmtpSession, args: string): Outcome {
  const match = BDAT_ARGS.exec(args);
  if (!match) return say(session.replies.badSyntax); // no size: nothing can be read
  const size = Number(match[1]);
  const { transaction } = session;
  const inTransaction = transaction.sender !== null && transaction.recipients > 0;
  const refusal = inTransaction ? undefined : session.replies.badSequence;
  if (refusal && session.broken('bdat-eats-commands')) return say(refusal);
  session.beginChunk({ size, remaining: size, last: match[2] !== undefined, refusal, tail: '' });
  return size === 0 ? endChunk(session) : NOTHING;
}

/** Octets of the chunk being read; the reply comes after the last one. */
export function receiveChunk(session: SmtpSession, text: string): Outcome {
  const chunk = session.chunk;
  if (!chunk) return NOTHING;
  if (!chunk.refusal && session.broken('bdat-inband-dot')) {
    const seen = chunk.tail + text;
    const at = seen.indexOf(IN_BAND_END);
    if (at !== -1) {
      const used = at + IN_BAND_END.length - chunk.tail.length;
      session.transaction.content.push(text.slice(0, Math.max(0, used - 3))); // up to the dot
      session.endChunk();
      return { ...session.deliver(session.replies.messageAccepted), unread: text.slice(used) };
    }
    chunk.tail = seen.slice(-(IN_BAND_END.length - 1));
  }
  if (!chunk.refusal) session.transaction.content.push(text);
  chunk.remaining -= text.length;
  return chunk.remaining > 0 ? NOTHING : endChunk(session);
}

function endChunk(session: SmtpSession): Outcome {
  const chunk = session.chunk;
  session.endChunk();
  if (!chunk) return NOTHING;
  if (chunk.refusal) return say(chunk.refusal);
  const { transaction } = session;
  transaction.chunks += 1;
  transaction.chunkOctets += chunk.size;
  const tooBig = transaction.chunkOctets > session.profile.limits.messageSize;
  if (chunk.last) {
    return session.deliver(
      tooBig ? session.replies.messageTooBig : session.replies.messageAccepted,
    );
  }
  if (!tooBig) return say(session.replies.chunkReceived);
  session.resetTransaction();
  return say(session.replies.messageTooBig);
}
