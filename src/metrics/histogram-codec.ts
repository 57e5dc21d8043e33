import { deflateSync } from 'node:zlib';
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import { COUNTS_LENGTH, indexOfMicros, LatencyHistogram, MAX_MICROS } from './latency-histogram.js';

/**
 * The encoded form of a `LatencyHistogram`: HdrHistogram's V2 compressed encoding in base64
 * (the bytes hdr-histogram-js's `encodeIntoCompressedBase64` writes, deflated at zlib level 1,
 * which every HdrHistogram port reads, e.g. Java's `HistogramLogProcessor`). The header says lowest discernible value 1, highest trackable
 * 3,600,000,000 and 3 significant digits; values are microseconds. docs/metrics.md describes
 * the bytes. The layouts are the same, so counts are copied index for index and
 * decode(encode(h)) has exactly h's counts.
 *
 * `clamped` is not part of the HdrHistogram format; the snapshot carries it beside the string.
 */
export function encodeHistogram(histogram: LatencyHistogram): string {
  const payload = encodeV2(histogram);
  const compressed = deflateSync(payload, DEFLATE_OPTIONS);
  const out = Buffer.allocUnsafe(8 + compressed.length);
  out.writeInt32BE(V2_COMPRESSED_COOKIE, 0);
  out.writeInt32BE(compressed.length, 4);
  compressed.copy(out, 8);
  return out.toString('base64');
}

/**
 * zlib's fastest level: a payload is a few KB of run-length words, and level 1 makes it about
 * 5% larger than the default level (6) in a third to a half of the time (0.09–0.12 against
 * 0.20–0.26 ms for one second at 10,000/s, measured with `deflateSync` in a loop).
 */
const DEFLATE_OPTIONS = { level: 1 };
const V2_COOKIE = 0x1c849303 | 0x10;
const V2_COMPRESSED_COOKIE = 0x1c849304 | 0x10;
const HEADER_BYTES = 40;
const SIGNIFICANT_DIGITS = 3;
/** A count (< 2^32) or a run of zeros (< 2^15) is at most 5 ZigZag LEB128 bytes. */
const MAX_WORD_BYTES = 5;
let scratch = new Uint8Array(HEADER_BYTES + 1024 * MAX_WORD_BYTES);

/**
 * The encoding is written here, not by hdr-histogram-js (which reads it back in the tests,
 * bucket for bucket, and decodes it below): its `encodeIntoCompressedBase64` first copies the
 * counts into a new 94 KB `Int32Histogram` and grows a byte buffer as it goes. Once a second,
 * when the series closes an interval on the load generator's thread, that took about 0.8 ms of
 * seldom-run code, and at 10,000 starts/s it made 26–61 starts a second late by over 1 ms
 * (docs/performance.md, change 13). Here it is one pass over the counts into a reused buffer.
 *
 * The bytes are HdrHistogram's V2 layout, as hdr-histogram-js writes them: a 40-byte big-endian
 * header (cookie, payload length, normalizing index offset 1, significant digits, lowest and
 * highest trackable value, conversion ratio 1 as an integer), then the counts from index 0 to
 * the highest recorded one as ZigZag LEB128 words, a run of several zeros as one negative word.
 */
function encodeV2(histogram: LatencyHistogram): Uint8Array {
  const counts = histogram.counts;
  // hdr-histogram-js encodes up to the index of its max value: index 0 when it is empty.
  const limit = Math.max(histogram.highestIndex, 0) + 1;
  const needed = HEADER_BYTES + limit * MAX_WORD_BYTES;
  if (scratch.length < needed) scratch = new Uint8Array(needed);
  const bytes = scratch;
  let at = HEADER_BYTES;
  for (let i = 0; i < limit;) {
    const count = counts[i++]!;
    let zeros = 0;
    if (count === 0) {
      zeros = 1;
      while (i < limit && counts[i] === 0) {
        zeros++;
        i++;
      }
    }
    at = putZigZag(bytes, at, zeros > 1 ? -zeros : count);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  view.setInt32(0, V2_COOKIE);
  view.setInt32(4, at - HEADER_BYTES);
  view.setInt32(8, 1);
  view.setInt32(12, SIGNIFICANT_DIGITS);
  view.setBigInt64(16, 1n);
  view.setBigInt64(24, BigInt(MAX_MICROS));
  view.setBigInt64(32, 1n);
  return bytes.subarray(0, at);
}

/** Writes `value` ZigZag LEB128 at `at` (values up to 2^35: plain arithmetic, no 32-bit ops). */
function putZigZag(bytes: Uint8Array, at: number, value: number): number {
  let word = value >= 0 ? value * 2 : -value * 2 - 1;
  while (word >= 0x80) {
    bytes[at++] = (word % 0x80) | 0x80;
    word = Math.floor(word / 0x80);
  }
  bytes[at++] = word;
  return at;
}

export type DecodeResult =
  { ok: true; histogram: LatencyHistogram } | { ok: false; message: string };

/**
 * Decodes an encoded histogram; `clamped` is the count the snapshot carries beside it. One
 * written by another HdrHistogram (other precision or range) is accepted too: each of its
 * buckets is re-recorded at its lowest value, and values beyond `MAX_MICROS` count as clamped.
 */
export function decodeHistogram(text: string, clamped = 0): DecodeResult {
  let hdr: JsHistogram;
  try {
    hdr = decodeFromCompressedBase64(text, 32, false) as JsHistogram;
  } catch (error) {
    return { ok: false, message: `not an encoded HdrHistogram (${describe(error)})` };
  }
  const histogram = new LatencyHistogram();
  histogram.addClamped(clamped);
  const sameLayout = hdr.unitMagnitude === 0 && hdr.subBucketHalfCountMagnitude === 10;
  const top = Math.min(hdr.countsArrayLength - 1, hdr.countsArrayIndex(hdr.maxValue));
  for (let i = 0; i <= top; i++) {
    const n = hdr.getCountAtIndex(i);
    if (n === 0) continue;
    if (!(n > 0 && Number.isSafeInteger(n))) {
      return { ok: false, message: `bucket ${i} has an impossible count ${n}` };
    }
    if (sameLayout && i < COUNTS_LENGTH) {
      histogram.addAtIndex(i, n);
      continue;
    }
    const value = hdr.valueFromIndex(i);
    if (value > MAX_MICROS) histogram.addClamped(n);
    histogram.addAtIndex(indexOfMicros(Math.min(value, MAX_MICROS)), n);
  }
  return { ok: true, histogram };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
