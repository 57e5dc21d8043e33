import { describe, expect, it } from 'vitest';
import { diffOutcomes, renderTable, tally, toExpected, type CaseRow } from '../interop/outcomes.js';

const row = (id: string, status: string, level = 'must'): CaseRow => ({
  id,
  suite: id.split('/')[0]!,
  level,
  status,
  reason: status === 'failed' ? 'expected 250, got 550' : '',
});

describe('interop expected outcomes', () => {
  const rows = [
    row('s1/a', 'passed'),
    row('s1/b', 'failed'),
    row('s2/c', 'failed', 'should'),
    row('s2/d', 'skipped'),
  ];

  it('round-trips: a run equals its own expected file', () => {
    expect(diffOutcomes(toExpected('x', 'X 1', rows), rows)).toEqual([]);
  });

  it('names changed, new and vanished cases', () => {
    const expected = toExpected('x', 'X 1', rows);
    const now = [
      row('s1/a', 'failed'),
      row('s1/b', 'failed'),
      row('s2/c', 'failed', 'should'),
      row('s3/e', 'passed'),
    ];
    expect(diffOutcomes(expected, now)).toEqual([
      '~ s1/a: expected passed, got failed (expected 250, got 550)',
      '+ s3/e: new case, got passed',
      '- s2/d: no longer run',
    ]);
  });

  it('counts MUST failures as failed and lower levels as warned', () => {
    expect(tally(rows)).toEqual({ passed: 1, failed: 1, warned: 1, skipped: 1, error: 0 });
  });

  it('renders a server × suite table', () => {
    expect(renderTable([{ name: 'x', version: 'X 1', rows }])).toBe(
      [
        '| suite | x (X 1) |',
        '|---|---|',
        '| s1 | 1 / 1 / 0 / 0 |',
        '| s2 | 0 / 0 / 1 / 1 |',
        '| **all** | **1 / 1 / 1 / 1** |',
      ].join('\n'),
    );
  });
});
