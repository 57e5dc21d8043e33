import {
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  Int32Histogram,
} from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import { COUNTS_LENGTH, indexOfMicros, LatencyHistogram, MAX_MICROS } from './latency-histogram.js';

/**
 * The encoded form of a `LatencyHistogram`: HdrHistogram's V2 compressed encoding in base64
 * (what `encodeIntoCompressedBase64` writes and every HdrHistogram port reads, e.g. Java's
 * `HistogramLogProcessor`). The header says lowest discernible value 1, highest trackable
 * 3,600,000,000 and 3 significant digits; values are microseconds. docs/metrics.md describes
 * the bytes. The layouts are the same, so counts are copied index for index and
 * decode(encode(h)) has exactly h's counts.
 *
 * `clamped` is not part of the HdrHistogram format; the snapshot carries it beside the string.
 */
export function encodeHistogram(histogram: LatencyHistogram): string {
  const hdr = new Int32Histogram(1, MAX_MICROS, 3);
  const counts = histogram.counts;
  const top = histogram.highestIndex;
  for (let i = 0; i <= top; i++) {
    const n = counts[i]!;
    if (n !== 0) hdr.setCountAtIndex(i, n);
  }
  hdr.establishInternalTackingValues(top + 1);
  return encodeIntoCompressedBase64(hdr);
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
