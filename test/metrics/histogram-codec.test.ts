import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
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
