import { encodeDataBody } from '../protocol/dot-stuffing.js';
import type { Distribution, EnvelopeOptions, MessageMix } from '../suite/profile-model.js';
import { type ComposeContext, composeShape, MAX_ATTACHMENTS } from './compose-shape.js';
import { AttachmentFiller } from './message-content.js';
import { quantile, Random } from './random.js';

/**
 * The messages of a run, built once before it starts: `mix.shapes` shapes, each composed to a
 * size drawn from `mix.size` and kept as ready-to-write buffers. At send time a message is a
 * shape picked uniformly by the run's PRNG plus a recipient count drawn from `mix.recipients`:
 * two PRNG draws, no allocation but the small `OutgoingMessage`.
 *
 * Sizes are drawn stratified: shape i gets the quantile at (i + u) / shapes, u uniform in
 * [0, 1), so even 64 shapes follow the distribution closely (the default mix's 1 %-tail of
 * 1–10 MiB messages gets about one shape, not zero or three by chance).
 *
 * Memory: every shape is stored as `BDAT n LAST` CRLF + message, plus the dot-stuffed form with
 * its terminator: one buffer when the message has no line starting with "." (the forms are views
 * into it), else two (the generated text has such a line every 64 lines, so about 2 × size).
 * Bounds: one shape is at most `maxShapeBytes` (default 10 MiB, larger draws are cut to it), and
 * the stored octets of all shapes (counted as 2 × size) at most `maxTotalBytes` (default
 * 256 MiB): when the draws exceed it, the largest shapes are cut to a common cap that makes
 * them fit. `stats.clampedShapes` counts the shapes cut by either rule.
 * The default size mix with 64 shapes (seeds 1–5): 9–11 MB of messages, 18–22 MB stored (the
 * 1–10 MiB tail shape dominates), built in 0.2–0.3 s on a busy 2-core VM.
 */
export interface MessageShape {
  readonly index: number;
  /** Octets of the message (headers included, before dot-stuffing): the BDAT chunk size. */
  readonly size: number;
  /** The size drawn for it (after the bounds); `size` differs only below the MIME minimum. */
  readonly targetSize: number;
  readonly attachments: number;
  /** The message, dot-stuffed, ending in CRLF "." CRLF: written after the 354. */
  readonly data: Buffer;
  /** `BDAT <size> LAST` CRLF followed by the message: one write. */
  readonly bdat: Buffer;
  /** The message as composed (a view into `bdat`). */
  readonly raw: Buffer;
}

export interface OutgoingMessage {
  shape: MessageShape;
  /** Envelope recipients, 1 to `maxRecipients`. */
  recipients: number;
}

export interface MessageSetOptions {
  seed: number;
  envelope: EnvelopeOptions;
  maxShapeBytes?: number;
  maxTotalBytes?: number;
  /** Upper bound of the recipient draw (default 1000; RFC 5321 §4.5.3.1.8 requires 100). */
  maxRecipients?: number;
  /** Date: header of every shape (default: now). */
  date?: Date;
}

export interface MessageSetStats {
  shapes: number;
  /** Octets held by all shapes' buffers. */
  storedBytes: number;
  clampedShapes: number;
  buildMillis: number;
}

export const DEFAULT_MAX_SHAPE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_TOTAL_BYTES = 256 * 1024 * 1024;
export const DEFAULT_MAX_RECIPIENTS = 1000;

export class MessageSet {
  constructor(
    readonly shapes: readonly MessageShape[],
    readonly recipients: Distribution,
    readonly maxRecipients: number,
    readonly stats: MessageSetStats,
  ) {}

  /** The next message: a shape, then a recipient count, both drawn from `random`. */
  next(random: Random): OutgoingMessage {
    const shape = this.pickShape(random);
    return { shape, recipients: this.pickRecipients(random) };
  }

  pickShape(random: Random): MessageShape {
    return this.shapes[Math.floor(random.nextFloat() * this.shapes.length)]!;
  }

  pickRecipients(random: Random): number {
    const n = random.sampleInt(this.recipients);
    return n < 1 ? 1 : n > this.maxRecipients ? this.maxRecipients : n;
  }
}

export async function buildMessageSet(
  mix: MessageMix,
  opts: MessageSetOptions,
): Promise<MessageSet> {
  const started = performance.now();
  const random = new Random(opts.seed, 0x4d697820); // the mix's own stream: 'Mix '
  const count = Math.max(1, Math.floor(mix.shapes));
  const drawn = drawSizes(mix.size, count, random, opts);
  const attachments = drawn.sizes.map(() =>
    Math.min(MAX_ATTACHMENTS, Math.max(0, random.sampleInt(mix.attachments))),
  );
  const ctx = composeContext(opts, random);
  const built = await Promise.all(
    drawn.sizes.map((size, index) =>
      buildShape(index, size, attachments[index]!, mix.eightBit, ctx),
    ),
  );
  const shapes = built.map((b) => b.shape);
  const stats: MessageSetStats = {
    shapes: shapes.length,
    storedBytes: built.reduce((sum, b) => sum + b.storedBytes, 0),
    clampedShapes: drawn.clamped,
    buildMillis: performance.now() - started,
  };
  const maxRecipients = opts.maxRecipients ?? DEFAULT_MAX_RECIPIENTS;
  return new MessageSet(shapes, mix.recipients, maxRecipients, stats);
}

/** Stratified draws, cut to the per-shape and total bounds (see the file comment). */
function drawSizes(
  dist: Distribution,
  count: number,
  random: Random,
  opts: MessageSetOptions,
): { sizes: number[]; clamped: number } {
  const maxShape = opts.maxShapeBytes ?? DEFAULT_MAX_SHAPE_BYTES;
  const budget = Math.floor((opts.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES) / 2);
  const wanted = Array.from({ length: count }, (_, i) =>
    Math.max(0, Math.round(quantile(dist, (i + random.nextFloat()) / count))),
  );
  const cap = Math.min(maxShape, commonCap(wanted, budget));
  const sizes = wanted.map((size) => Math.min(size, cap));
  return { sizes, clamped: wanted.filter((size) => size > cap).length };
}

/** The largest cap c with sum(min(size, c)) <= budget (Infinity when all sizes fit). */
function commonCap(sizes: readonly number[], budget: number): number {
  const sorted = [...sizes].sort((a, b) => a - b);
  let below = 0;
  for (let i = 0; i < sorted.length; i++) {
    const remaining = sorted.length - i;
    if (below + sorted[i]! * remaining > budget) return Math.floor((budget - below) / remaining);
    below += sorted[i]!;
  }
  return Infinity;
}

function composeContext(opts: MessageSetOptions, random: Random): ComposeContext {
  const hex = (): string => random.nextUint32().toString(16).padStart(8, '0');
  const { sender, recipientPrefix, domain } = opts.envelope;
  return {
    sender,
    to: `${recipientPrefix}1@${domain}`,
    domain,
    date: opts.date ?? new Date(),
    baseBoundary: `${hex()}${hex()}`,
    runTag: hex(),
    filler: new AttachmentFiller(opts.seed),
  };
}

const TERMINATOR = Buffer.from('.\r\n', 'latin1');
const CRLF_DOT = Buffer.from('\r\n.', 'latin1');

async function buildShape(
  index: number,
  size: number,
  attachments: number,
  eightBit: boolean,
  ctx: ComposeContext,
): Promise<{ shape: MessageShape; storedBytes: number }> {
  const composed = await composeShape({ index, size, attachments, eightBit }, ctx);
  const command = Buffer.from(`BDAT ${composed.length} LAST\r\n`, 'latin1');
  const wire = Buffer.allocUnsafe(command.length + composed.length + TERMINATOR.length);
  let at = command.copy(wire, 0);
  for (const part of composed.parts) at += part.copy(wire, at);
  TERMINATOR.copy(wire, at);
  const raw = wire.subarray(command.length, command.length + composed.length);
  const bdat = wire.subarray(0, command.length + composed.length);
  // The composed message ends in CRLF; without a line starting with "." it needs no stuffing.
  const clean = raw[0] !== 0x2e && raw.indexOf(CRLF_DOT) === -1 && endsWithCrlf(raw);
  const data = clean ? wire.subarray(command.length) : encodeDataBody(raw);
  const shape = { index, size: composed.length, targetSize: size, attachments, data, bdat, raw };
  return { shape, storedBytes: wire.length + (clean ? 0 : data.length) };
}

function endsWithCrlf(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[bytes.length - 2] === 0x0d && bytes[bytes.length - 1] === 0x0a;
}
