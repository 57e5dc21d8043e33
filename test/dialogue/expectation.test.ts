import { describe, expect, it } from 'vitest';
import {
  codeMatches,
  describeExpectation,
  matchExpectation,
} from '../../src/dialogue/expectation.js';
import type { Expectation } from '../../src/suite/model.js';

const span = { file: 'x.yaml', line: 1, col: 1, offset: 0, length: 1 };
const e = (fields: Partial<Expectation>): Expectation => ({ codes: [], not: [], span, ...fields });

describe('codeMatches', () => {
  it('matches digits exactly and x as any digit', () => {
    expect(codeMatches('250', 250)).toBe(true);
    expect(codeMatches('250', 251)).toBe(false);
    expect(codeMatches('2xx', 221)).toBe(true);
    expect(codeMatches('2xx', 354)).toBe(false);
    expect(codeMatches('55x', 554)).toBe(true);
    expect(codeMatches('55x', 504)).toBe(false);
    expect(codeMatches('xxx', 421)).toBe(true);
  });

  it('never matches a missing code (0) against a real pattern', () => {
    expect(codeMatches('2xx', 0)).toBe(false);
  });
});

describe('describeExpectation', () => {
  it('describes codes, exclusions, enhanced codes and text', () => {
    expect(describeExpectation(e({ codes: ['250'] }))).toBe('250');
    expect(describeExpectation(e({ codes: ['250', '251'] }))).toBe('250 or 251');
    expect(describeExpectation(e({ codes: ['250', '251', '5xx'] }))).toBe('250, 251 or 5xx');
    const full = e({
      codes: ['2xx'],
      not: ['250'],
      enhanced: '2.1.x',
      text: { source: 'ok', flags: 'i' },
    });
    expect(describeExpectation(full)).toBe('2xx (not 250), enhanced 2.1.x, text /ok/i');
    expect(describeExpectation(e({ text: { source: 'ok', flags: '' } }))).toBe(
      'any code, text /ok/',
    );
    expect(describeExpectation(e({ codes: ['250'], enhanced: '*' }))).toBe('250, an enhanced code');
  });
});

describe('matchExpectation', () => {
  const reply = { code: 550, text: '5.1.1 unknown user', enhanced: '5.1.1' };

  it('accepts a matching reply', () => {
    const ok = e({
      codes: ['5xx'],
      not: ['551'],
      enhanced: '5.1.x',
      text: { source: 'UNKNOWN', flags: 'i' },
    });
    expect(matchExpectation(ok, reply)).toEqual({ ok: true });
    expect(matchExpectation(e({}), reply)).toEqual({ ok: true });
  });

  it('names the code that did not match', () => {
    expect(matchExpectation(e({ codes: ['250', '251'] }), reply)).toEqual({
      ok: false,
      reason: 'code 550 is not 250 or 251',
    });
  });

  it('names an excluded code', () => {
    expect(matchExpectation(e({ not: ['55x'] }), reply)).toEqual({
      ok: false,
      reason: 'code 550 is excluded (not 55x)',
    });
  });

  it('checks enhanced codes part by part, and their presence', () => {
    expect(matchExpectation(e({ enhanced: '2.1.x' }), reply)).toEqual({
      ok: false,
      reason: 'enhanced code 5.1.1 does not match 2.1.x',
    });
    expect(matchExpectation(e({ enhanced: '*' }), { code: 250, text: 'OK' })).toEqual({
      ok: false,
      reason: 'enhanced status code missing',
    });
    expect(matchExpectation(e({ enhanced: '5.1.1' }), { ...reply, enhanced: '5.01.1' }).ok).toBe(
      true,
    );
  });

  it('matches text with the flags given', () => {
    expect(matchExpectation(e({ text: { source: 'UNKNOWN', flags: '' } }), reply)).toEqual({
      ok: false,
      reason: 'text does not match /UNKNOWN/',
    });
  });
});
