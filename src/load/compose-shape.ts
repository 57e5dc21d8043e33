import MailComposer from 'nodemailer/lib/mail-composer';
import { type AttachmentFiller, base64Length, rawForBase64, textBody } from './message-content.js';

/**
 * One generated message of a target size, composed by nodemailer's MailComposer.
 *
 * nodemailer builds the headers and the MIME structure around short placeholders (one
 * MailComposer build per shape, ~1 ms); the placeholders are then replaced by filler of the
 * size that makes the whole message exactly `size` octets. The result is byte for byte what
 * MailComposer builds from that filler itself (the tests check this), without streaming megabytes
 * through its encoders (a 10 MiB text part takes it ~400 ms; the splice takes a few ms).
 *
 *   attachments = 0   text/plain, 7bit (8bit with `eightBit`)
 *   attachments = k   multipart/mixed: the text part, then k application/octet-stream base64
 *                     parts named attachment-1.bin … attachment-k.bin
 *
 * Size split: the text gets 10% of the octets left after the headers and MIME structure (at
 * least 256, at most all of them), the attachments share the rest equally, and whatever base64
 * rounding leaves over goes back to the text. A target below the structure's own size gives
 * the smallest message that structure allows (text of one empty line).
 *
 * 8-bit bodies: MailComposer encodes any non-ASCII text as quoted-printable, so with
 * `eightBit` the text placeholder's `Content-Transfer-Encoding: 7bit` is rewritten to `8bit`
 * (same length) and the filler is UTF-8 text.
 */
export interface ShapeSpec {
  index: number;
  /** Target size in octets, headers included. */
  size: number;
  /** 0 to MAX_ATTACHMENTS. */
  attachments: number;
  eightBit: boolean;
}

export interface ComposeContext {
  sender: string;
  /** The To: header (the envelope recipients are chosen per message, not per shape). */
  to: string;
  domain: string;
  date: Date;
  /** Hex, shared part of the MIME boundaries (deterministic per seed). */
  baseBoundary: string;
  /** Goes into the Message-ID: `<smtpgauge.${runTag}.${index}@${domain}>`. */
  runTag: string;
  filler: AttachmentFiller;
}

export interface ComposedShape {
  /** The message in pieces, in order (views into the skeleton and the filler buffers). */
  parts: Buffer[];
  length: number;
  textOctets: number;
  /** Raw octets of each attachment, in order. */
  attachmentOctets: number[];
}

export const MAX_ATTACHMENTS = 16;
const TEXT_SHARE = 0.1;
const MIN_TEXT = 256;
const TEXT_MARK = 'smtpgauge-text-placeholder\r\n';
const SEVEN_BIT = 'Content-Transfer-Encoding: 7bit';

export async function composeShape(spec: ShapeSpec, ctx: ComposeContext): Promise<ComposedShape> {
  const k = Math.min(Math.max(0, Math.floor(spec.attachments)), MAX_ATTACHMENTS);
  const skeleton = await buildSkeleton(spec.index, k, ctx);
  const marks = findPlaceholders(skeleton, k);
  if (spec.eightBit) markEightBit(skeleton, marks[0]!.at);
  const overhead = skeleton.length - marks.reduce((sum, mark) => sum + mark.length, 0);
  const { text, attachments } = splitBudget(Math.max(0, spec.size - overhead), k);
  const fills = [textBody(text, spec.eightBit), ...attachments.map((n) => ctx.filler.encoded(n))];
  const parts: Buffer[] = [];
  let from = 0;
  for (const mark of [...marks].sort((a, b) => a.at - b.at)) {
    parts.push(skeleton.subarray(from, mark.at), fills[mark.fill]!);
    from = mark.at + mark.length;
  }
  parts.push(skeleton.subarray(from));
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  return { parts, length, textOctets: fills[0]!.length, attachmentOctets: attachments };
}

/** What MailComposer gets for a shape, with `text` and the attachments' content given. */
export function mailOptions(
  index: number,
  ctx: ComposeContext,
  text: string | Buffer,
  attachments: Buffer[],
) {
  return {
    from: ctx.sender,
    to: ctx.to,
    subject: `smtpgauge load message ${index + 1}`,
    date: ctx.date,
    messageId: `<smtpgauge.${ctx.runTag}.${index + 1}@${ctx.domain}>`,
    baseBoundary: ctx.baseBoundary,
    text,
    attachments: attachments.map((content, i) => ({
      filename: `attachment-${i + 1}.bin`,
      contentType: 'application/octet-stream',
      content,
    })),
  };
}

function buildSkeleton(index: number, k: number, ctx: ComposeContext): Promise<Buffer> {
  const placeholders = Array.from({ length: k }, (_, i) => Buffer.from([0xff, 0xff, 0xf0 + i]));
  return new MailComposer(mailOptions(index, ctx, TEXT_MARK, placeholders)).compile().build();
}

interface Placeholder {
  at: number;
  length: number;
  /** 0 for the text, i for attachment i. */
  fill: number;
}

/** The text placeholder, then each attachment's (`///w`, `///x`, …, between blank line and boundary). */
function findPlaceholders(skeleton: Buffer, k: number): Placeholder[] {
  const text = skeleton.indexOf(TEXT_MARK, 0, 'latin1');
  const marks: Placeholder[] = [{ at: text, length: TEXT_MARK.length, fill: 0 }];
  for (let i = 0; i < k; i++) {
    const encoded = Buffer.from([0xff, 0xff, 0xf0 + i]).toString('base64');
    const at = skeleton.indexOf(`\r\n\r\n${encoded}\r\n--`, 0, 'latin1');
    marks.push({ at: at === -1 ? -1 : at + 4, length: encoded.length, fill: i + 1 });
  }
  if (marks.some((mark) => mark.at === -1)) {
    throw new Error('MailComposer output has an unexpected form: a placeholder was not found');
  }
  return marks;
}

function markEightBit(skeleton: Buffer, textAt: number): void {
  const header = skeleton.lastIndexOf(SEVEN_BIT, textAt, 'latin1');
  if (header === -1) throw new Error('MailComposer did not mark the text part 7bit');
  skeleton.write('8', header + SEVEN_BIT.length - 4, 'latin1');
}

/** Octets of text and raw octets per attachment for `budget` octets of content. */
function splitBudget(budget: number, k: number): { text: number; attachments: number[] } {
  if (k === 0) return { text: budget, attachments: [] };
  const text = Math.min(budget, Math.max(MIN_TEXT, Math.round(budget * TEXT_SHARE)));
  const each = rawForBase64(Math.floor((budget - text) / k));
  const attachments = new Array<number>(k).fill(each);
  return { text: budget - k * base64Length(each), attachments };
}
