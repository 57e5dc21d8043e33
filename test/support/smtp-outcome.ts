import type { ReplyLines } from './server-profile.js';

/** What the session asks the connection to do after one line or chunk of input. */
export interface Outcome {
  replies: ReplyLines[];
  /** Close the connection after sending the replies. */
  close: boolean;
  /** The verb of the command answered, upper case (for the pipelining defects). */
  verb?: string;
  /** Text to put back in front of the unread input (what follows a smuggled end of data). */
  unread?: string;
  /** Discard all unread input after sending the replies. */
  dropInput?: boolean;
  /** Send the replies, then start TLS on the connection (STARTTLS accepted). */
  startTls?: boolean;
  /** Close once every command already read has run (the `runs-after-quit` QUIT). */
  closeWhenDrained?: boolean;
  /** Messages to hand on (ScriptedServerOptions.deliver) before the replies are sent. */
  delivered?: DeliveredMessage[];
}

/** A message the server accepted, as it hands it on: dot-stuffing undone, no final dot line. */
export interface DeliveredMessage {
  from: string;
  to: string[];
  raw: Buffer;
}

export const say = (...replies: ReplyLines[]): Outcome => ({ replies, close: false });
export const sayAndClose = (...replies: ReplyLines[]): Outcome => ({ replies, close: true });
export const NOTHING: Outcome = { replies: [], close: false };

/** The envelope of the current mail transaction. */
export interface Transaction {
  sender: string | null;
  /** Recipients accepted so far (LMTP answers each one after the data). */
  recipients: number;
  /** Their addresses, in RCPT order. */
  rcptTo: string[];
  /** MAIL carried SMTPUTF8 (RFC 6531): non-ASCII addresses are allowed. */
  utf8: boolean;
  /** MAIL's BODY= value, upper case (RFC 6152, RFC 3030 §3); 7BIT when absent. */
  body: string;
  /** BDAT chunks accepted so far, and their octets (RFC 3030). */
  chunks: number;
  chunkOctets: number;
  /** The message received so far (DATA lines unstuffed, or BDAT octets), latin1. */
  content: string[];
}

export const emptyTransaction = (): Transaction => ({
  sender: null,
  recipients: 0,
  rcptTo: [],
  utf8: false,
  body: '7BIT',
  chunks: 0,
  chunkOctets: 0,
  content: [],
});
