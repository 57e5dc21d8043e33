import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance } from '../../src/core/did-you-mean.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions as one edit', () => {
    expect(editDistance('expect', 'expect')).toBe(0);
    expect(editDistance('expct', 'expect')).toBe(1);
    expect(editDistance('expectt', 'expect')).toBe(1);
    expect(editDistance('expact', 'expect')).toBe(1);
    expect(editDistance('expcet', 'expect')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('didYouMean', () => {
  const keys = ['send', 'raw', 'expect', 'expect-close', 'repeat'];

  it('suggests the closest key', () => {
    expect(didYouMean('expcet', keys)).toBe("did you mean 'expect'?");
    expect(didYouMean('sned', keys)).toBe("did you mean 'send'?");
    expect(didYouMean('EXPECT-CLOSE', keys)).toBe("did you mean 'expect-close'?");
  });

  it('suggests nothing when no key is close', () => {
    expect(didYouMean('banana', keys)).toBeUndefined();
    expect(closestMatch('x', keys)).toBeUndefined();
  });
});
