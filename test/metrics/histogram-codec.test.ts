import { inflateSync } from 'node:zlib';
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  Int32Histogram,
} from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { decodeHistogram, encodeHistogram } from '../../src/metrics/histogram-codec.js';
import { LatencyHistogram, MAX_MICROS } from '../../src/metrics/latency-histogram.js';

function filled(values: readonly number[]): LatencyHistogram {
  const h = new LatencyHistogram();
  for (const v of values) h.record(v);
  return h;
}

function decoded(text: string, clamped = 0): LatencyHistogram {
  const result = decodeHistogram(text, clamped);
  if (!result.ok) throw new Error(result.message);
  return result.histogram;
}

/** What hdr-histogram-js writes for the same counts (index for index, as the codec did before). */
function hdrEncoded(h: LatencyHistogram): string {
  const hdr = new Int32Histogram(1, MAX_MICROS, 3);
  for (let i = 0; i <= h.highestIndex; i++) if (h.counts[i]) hdr.setCountAtIndex(i, h.counts[i]!);
  hdr.establishInternalTackingValues(h.highestIndex + 1);
  return encodeIntoCompressedBase64(hdr);
}

/** The uncompressed V2 bytes of an encoded histogram (cookie and length, then zlib). */
function payload(text: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  expect(bytes.readInt32BE(0)).toBe(0x1c849314);
  expect(bytes.readInt32BE(4)).toBe(bytes.length - 8);
  return inflateSync(bytes.subarray(8));
}

describe('encodeHistogram / decodeHistogram', () => {
  it('round-trips the counts bucket for bucket', () => {
    const values = [0, 1, 2, 999, 2048, 5000, 5001, 123_456, 9_999_999, MAX_MICROS];
    const h = filled(values);
    const back = decoded(encodeHistogram(h));
    expect(back.count).toBe(values.length);
    expect(Array.from(back.counts)).toEqual(Array.from(h.counts));
    expect(back.summarise()).toEqual(h.summarise());
  });

  it('writes HdrHistogram V2 compressed base64 that hdr-histogram-js reads', () => {
    const text = encodeHistogram(filled([100, 200, 300, 40_000]));
    expect(text).toMatch(/^HISTF[A-Za-z0-9+/]+=*$/);
    const hdr = decodeFromCompressedBase64(text);
    expect(hdr.totalCount).toBe(4);
    expect(hdr.numberOfSignificantValueDigits).toBe(3);
    expect(hdr.highestTrackableValue).toBe(MAX_MICROS);
    expect(hdr.getValueAtPercentile(50)).toBe(200);
  });

  it("writes the very bytes of hdr-histogram-js's own encoder, before compression", () => {
    const big = filled([3, 70_000]);
    big.addAtIndex(5, 2 ** 32 - 1); // a 5-byte word
    big.addAtIndex(20_000, 2 ** 28); // after a zero run of 19,994
    const cases = [
      new LatencyHistogram(),
      filled([0]),
      filled([1, 3, 6]), // zero runs of one and of two
      filled([0, 1, 2, 999, 2048, 5000, 5001, 123_456, MAX_MICROS]),
      big,
    ];
    for (const h of cases) {
      expect(payload(encodeHistogram(h))).toEqual(payload(hdrEncoded(h)));
      expect(Array.from(decoded(encodeHistogram(h)).counts)).toEqual(Array.from(h.counts));
    }
  });

  it('encodes an empty histogram that decodes empty', () => {
    const back = decoded(encodeHistogram(new LatencyHistogram()));
    expect(back.count).toBe(0);
  });

  it('carries the clamped count given beside the string', () => {
    const back = decoded(encodeHistogram(filled([MAX_MICROS + 5])), 1);
    expect(back.clamped).toBe(1);
    expect(back.count).toBe(1);
  });

  it('reads a histogram written with another precision, bucket by bucket', () => {
    const other = build({ numberOfSignificantValueDigits: 2, highestTrackableValue: 10_000_000 });
    other.recordValue(1500);
    other.recordValue(250_000);
    const back = decoded(encodeIntoCompressedBase64(other));
    expect(back.count).toBe(2);
    expect(back.valueAtPercentile(100)! / 250_000).toBeCloseTo(1, 2);
  });

  it('returns a problem, not an exception, for text that is not a histogram', () => {
    for (const text of ['', 'not base64!', 'SGVsbG8gd29ybGQ=']) {
      const result = decodeHistogram(text);
      expect(result.ok, JSON.stringify(text)).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/not an encoded HdrHistogram/);
    }
  });
});
