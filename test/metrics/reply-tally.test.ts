import { describe, expect, it } from 'vitest';
import { ReplyTally } from '../../src/metrics/reply-tally.js';

describe('ReplyTally', () => {
  it('counts replies by code, ascending, and forgets them on reset', () => {
    const tally = new ReplyTally();
    for (const code of [452, 250, 250, 221, 599, 250]) tally.add(code);
    expect(tally.toRecord()).toEqual({ '221': 1, '250': 3, '452': 1, '599': 1 });
    expect(Object.keys(tally.toRecord())).toEqual(['221', '250', '452', '599']);
    expect(tally.count).toBe(6);
    tally.reset();
    expect(tally.toRecord()).toEqual({});
    expect(tally.count).toBe(0);
    tally.add(354);
    expect(tally.toRecord()).toEqual({ '354': 1 });
  });

  it('refuses what is not a three-digit code, counting nothing', () => {
    const tally = new ReplyTally();
    for (const bad of [99, 1000, 250.5, -250, Number.NaN]) {
      expect(() => tally.add(bad)).toThrow(/three digits/);
    }
    expect(tally.count).toBe(0);
  });
});
