import { LineReader } from '../../src/protocol/line-reader.js';
import { ReplyAssembler } from '../../src/protocol/reply-parser.js';
import type { BenchCase } from '../bench-case.js';

/**
 * `LineReader.push` + `ReplyAssembler.push`, and `LineReader.push` alone, over up to 64 KiB of
 * complete replies as a session reads them: one Postfix-style 10-line EHLO reply, then five
 * `250 2.1.0 Ok`, repeated. The stream is cut into 1460-byte (TCP MSS) or 1-byte chunks
 * beforehand; each call frames the whole stream with a fresh reader and assembler.
 */
export const STREAM_LIMIT = 64 * 1024;
export const MSS = 1460;

const EHLO_REPLY = [
  '250-mx.example.com',
  '250-PIPELINING',
  '250-SIZE 10240000',
  '250-VRFY',
  '250-ETRN',
  '250-STARTTLS',
  '250-ENHANCEDSTATUSCODES',
  '250-8BITMIME',
  '250-DSN',
  '250 SMTPUTF8',
]
  .map((line) => `${line}\r\n`)
  .join('');
const OK_REPLY = '250 2.1.0 Ok\r\n';
const SINGLE_PER_EHLO = 5;

export interface ReplyStream {
  bytes: Buffer;
  replies: number;
}

/** Whole replies, in the repeating pattern, while they fit in `limit` octets. */
export function buildReplyStream(limit: number = STREAM_LIMIT): ReplyStream {
  const pattern = [EHLO_REPLY, ...Array<string>(SINGLE_PER_EHLO).fill(OK_REPLY)];
  let text = '';
  let replies = 0;
  for (let i = 0; ; i++) {
    const next = pattern[i % pattern.length]!;
    if (text.length + next.length > limit) break;
    text += next;
    replies++;
  }
  return { bytes: Buffer.from(text, 'latin1'), replies };
}

export function splitChunks(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

/** Frames every chunk and returns the number of replies completed. */
export function frameReplies(chunks: readonly Buffer[]): number {
  const reader = new LineReader();
  const assembler = new ReplyAssembler();
  let replies = 0;
  for (const chunk of chunks) {
    for (const line of reader.push(chunk)) {
      if (assembler.push(line) !== undefined) replies++;
    }
  }
  return replies;
}

/** Frames every chunk into lines only and returns the number of lines (the framing share). */
export function frameLines(chunks: readonly Buffer[]): number {
  const reader = new LineReader();
  let lines = 0;
  for (const chunk of chunks) lines += reader.push(chunk).length;
  return lines;
}

export function replyFramingCases(): BenchCase[] {
  const stream = buildReplyStream();
  return [MSS, 1].flatMap((size) => [replyCase(stream, size), lineCase(stream, size)]);
}

function replyCase(stream: ReplyStream, size: number): BenchCase {
  const chunks = splitChunks(stream.bytes, size);
  const found = frameReplies(chunks);
  if (found !== stream.replies) {
    throw new Error(`framing found ${found} replies, the stream holds ${stream.replies}`);
  }
  return {
    name: `LineReader + ReplyAssembler, ${size}-byte chunks`,
    fn: () => {
      if (frameReplies(chunks) !== stream.replies) throw new Error('reply count changed');
    },
    bytesPerOp: stream.bytes.length,
    unitsPerOp: stream.replies,
    unit: 'replies',
  };
}

/** The same stream through `LineReader` alone: how much of the cost is line framing. */
function lineCase(stream: ReplyStream, size: number): BenchCase {
  const chunks = splitChunks(stream.bytes, size);
  const lines = frameLines(chunks);
  return {
    name: `LineReader only, ${size}-byte chunks`,
    fn: () => {
      if (frameLines(chunks) !== lines) throw new Error('line count changed');
    },
    bytesPerOp: stream.bytes.length,
    unitsPerOp: lines,
    unit: 'lines',
  };
}
