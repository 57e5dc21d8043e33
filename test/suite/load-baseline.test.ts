import { describe, expect, it } from 'vitest';
import { loadBaseline, unknownBaselineCases } from '../../src/suite/load-baseline.js';

const text = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('loadBaseline', () => {
  it('reads deviations with their places', () => {
    const loaded = loadBaseline(
      'b.yaml',
      text(
        'deviations:',
        '  - case: rfc5321-mail/mail-underscore-domain-rejected',
        '    reason: Postfix accepts underscores; no option',
      ),
    );
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.baseline!.entries).toMatchObject([
      {
        caseId: 'rfc5321-mail/mail-underscore-domain-rejected',
        reason: 'Postfix accepts underscores; no option',
        span: { line: 2, col: 11 },
      },
    ]);
  });

  it('reports every problem at once, each with its place', () => {
    const loaded = loadBaseline(
      'b.yaml',
      text(
        'deviations:',
        '  - case: not-a-case-id',
        '    reason: x',
        '  - case: a/b',
        '    reasn: typo',
        '  - case: a/c',
        "    reason: ''",
        '  - case: a/c',
        '    reason: twice',
      ),
    );
    expect(loaded.baseline).toBeUndefined();
    const found = loaded.diagnostics.map(
      (d) => `${d.span!.line}:${d.span!.col} ${d.title}${d.hint ? ` (${d.hint})` : ''}`,
    );
    expect(found).toEqual([
      '2:11 bad case id (e.g. rfc5321-mail/mail-null-reverse-path)',
      "5:5 unknown key (did you mean 'reason'?)",
      '7:13 empty reason',
    ]);
  });

  it('reports a duplicate at the second entry', () => {
    const loaded = loadBaseline(
      'b.yaml',
      text('deviations:', '  - { case: a/b, reason: x }', '  - { case: a/b, reason: y }'),
    );
    expect(loaded.diagnostics.map((d) => `${d.span!.line} ${d.title}: ${d.message}`)).toEqual([
      "3 duplicate deviation: 'a/b' is already listed on line 2",
    ]);
  });

  it('names entries that match no case of the run, with the closest id', () => {
    const { baseline } = loadBaseline(
      'b.yaml',
      text('deviations:', '  - { case: rfc5321-mail/mail-nul-reverse-path, reason: x }'),
    );
    const problems = unknownBaselineCases(baseline!, [
      'rfc5321-mail/mail-null-reverse-path',
      'rfc5321-rcpt/rcpt-accepted',
    ]);
    expect(problems).toMatchObject([
      {
        title: 'unknown case',
        span: { line: 2, col: 13 },
        hint: "did you mean 'rfc5321-mail/mail-null-reverse-path'?",
      },
    ]);
  });
});
