import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';

/** A message an smtp-server based target read in full: its envelope and its bytes. */
export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: Buffer;
}

type DataCallback = (error?: Error | null, message?: string) => void;

/**
 * Reads the DATA stream to its end and hands the message to `keep`, which returns the text of
 * the 250; a message over the SIZE limit gets 552 and is not kept.
 */
export function receiveMessage(
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  callback: DataCallback,
  keep: (message: ReceivedMessage) => string,
): void {
  const chunks: Buffer[] = [];
  // Past the SIZE limit smtp-server goes on reading (for the 552) but nothing more is kept.
  stream.on('data', (chunk: Buffer) => {
    if (!stream.sizeExceeded) chunks.push(chunk);
  });
  stream.on('error', (error: Error) => callback(error));
  stream.on('end', () => {
    if (stream.sizeExceeded) {
      const error = new Error('Message exceeds fixed maximum message size');
      callback(Object.assign(error, { responseCode: 552 }));
      return;
    }
    const { mailFrom, rcptTo } = session.envelope;
    const from = mailFrom ? mailFrom.address : '';
    callback(null, keep({ from, to: rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) }));
  });
}
