import { describe, expect, it } from 'vitest';
import { colourTags, wantsColour } from '../../src/report/console-colour.js';

describe('console colour', () => {
  const summary = [
    'level     passed  failed',
    'FAIL  rfc5321-rcpt/rcpt-before-mail  RFC 5321 §3.3 (must)',
    'WARN  rfc5321-data/data-args  RFC 5321 §4.3.2 (should)',
    'PASS  p99(eod) < 50ms  (p99(eod) = 1.2 ms)',
    'FAILED: 1 case at or above must level failed (gate: must).',
  ].join('\n');

  it('colours only the tag that opens a line, and leaves the rest as it was', () => {
    const coloured = colourTags(summary);
    expect(coloured).toContain('\x1b[1;31mFAIL\x1b[0m  rfc5321-rcpt/rcpt-before-mail');
    expect(coloured).toContain('\x1b[33mWARN\x1b[0m  rfc5321-data');
    expect(coloured).toContain('\x1b[32mPASS\x1b[0m  p99(eod)');
    expect(coloured).toContain('\x1b[1;31mFAILED:\x1b[0m 1 case');
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(summary);
    expect(coloured.split('\n')[0]).toBe('level     passed  failed');
  });

  it('colours a terminal unless NO_COLOR is set; FORCE_COLOR colours anywhere', () => {
    expect(wantsColour({}, true)).toBe(true);
    expect(wantsColour({}, false)).toBe(false);
    expect(wantsColour({ NO_COLOR: '1' }, true)).toBe(false);
    expect(wantsColour({ NO_COLOR: '' }, true)).toBe(true);
    expect(wantsColour({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(wantsColour({ FORCE_COLOR: '0' }, true)).toBe(true);
    expect(wantsColour({ FORCE_COLOR: '0', NO_COLOR: '1' }, true)).toBe(false);
  });
});
