import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/suite/model.js';
import { load, onlyProblem, problems, withSteps } from './helpers.js';

/** The steps of the one case, with spans and expectation spans left out. */
function stepsOf(...lines: string[]): unknown[] {
  const result = load(withSteps(...lines));
  expect(result.diagnostics).toEqual([]);
  return result.suite!.cases[0]!.steps.map(withoutSpans);
}

function withoutSpans(step: Step): unknown {
  return JSON.parse(
    JSON.stringify(step, (key, value: unknown) => (key === 'span' ? undefined : value)),
  );
}

describe('loadSuite: step forms', () => {
  it('expands the ehlo and starttls shorthands with their defaults', () => {
    expect(stepsOf('- ehlo', '- starttls', '- ehlo:', '- starttls: true')).toEqual([
      { kind: 'ehlo', domain: '${client}', expect: { codes: ['250'], not: [] } },
      { kind: 'starttls' },
      { kind: 'ehlo', domain: '${client}', expect: { codes: ['250'], not: [] } },
      { kind: 'starttls' },
    ]);
  });

  it('reads ehlo with a domain, auth with its default 235 and data with its default 250', () => {
    expect(stepsOf('- ehlo: x.test', '- auth: login', '- data: "Subject: a\\n\\nb"')).toEqual([
      { kind: 'ehlo', domain: 'x.test', expect: { codes: ['250'], not: [] } },
      { kind: 'auth', mechanism: 'LOGIN', expect: { codes: ['235'], not: [] } },
      {
        kind: 'data',
        body: { kind: 'text', text: 'Subject: a\n\nb' },
        expect: [{ codes: ['250'], not: [] }],
      },
    ]);
  });

  it('reads the long data forms with the default line length', () => {
    const steps = stepsOf(
      '- data: { text: hi }',
      '- data: { generate: { size: 1000 } }',
      "- data: { raw: 'a\\r\\n' }",
    );
    expect(steps.map((s) => (s as { body: unknown }).body)).toEqual([
      { kind: 'text', text: 'hi' },
      { kind: 'generated', size: 1000, lineLength: 76 },
      { kind: 'raw', bytes: 'a\\r\\n' },
    ]);
  });

  it('reads send with one line, a list, repeat and per-line expectations', () => {
    expect(
      stepsOf(
        '- send: NOOP',
        '- send: [A, B]',
        '  expect: [250, [250, 251]]',
        '- send: X ${n}',
        '  repeat: 3',
      ),
    ).toEqual([
      { kind: 'send', lines: ['NOOP'] },
      {
        kind: 'send',
        lines: ['A', 'B'],
        expect: [
          { codes: ['250'], not: [] },
          { codes: ['250', '251'], not: [] },
        ],
      },
      { kind: 'send', lines: ['X ${n}'], repeat: 3 },
    ]);
  });

  it('reads a single send expectation list as any-of, and a raw list as one per reply', () => {
    const steps = stepsOf(
      '- send: A',
      '  expect: [250, 251]',
      "- raw: 'A\\r\\nB\\r\\n'",
      '  expect: [250, 251]',
    );
    expect(steps[0]).toMatchObject({ expect: [{ codes: ['250', '251'] }] });
    expect(steps[1]).toMatchObject({ expect: [{ codes: ['250'] }, { codes: ['251'] }] });
  });

  it('reads expect-each on data, tls-handshake, and expect-silence with accept-refusal', () => {
    expect(
      stepsOf(
        "- data: { generate: { size: '${size_over}' } }",
        '  expect-each: [250, 550]',
        '- tls-handshake',
        '- expect-silence: { for: 2s, accept-refusal: true }',
      ),
    ).toEqual([
      {
        kind: 'data',
        body: { kind: 'generated', size: '${size_over}', lineLength: 76 },
        expect: [
          { codes: ['250'], not: [] },
          { codes: ['550'], not: [] },
        ],
      },
      { kind: 'tls-handshake' },
      { kind: 'expect-silence', ms: 2000, acceptRefusal: true },
    ]);
  });

  it('refuses expect and expect-each together, expect-each off data, and tiny generated sizes', () => {
    expect(onlyProblem(withSteps('- data: x', '  expect: 250', '  expect-each: [250]')).title).toBe(
      'conflicting keys',
    );
    expect(onlyProblem(withSteps('- send: NOOP', '  expect-each: [250]')).hint).toBe(
      "'expect-each' works only with 'data'",
    );
    expect(onlyProblem(withSteps('- data: { generate: { size: 100 } }')).message).toMatch(/512/);
  });

  it('reads durations for pause, expect-close and expect-silence', () => {
    expect(stepsOf('- pause: 500ms', '- expect-close: 2s', '- expect-silence: 1500')).toEqual([
      { kind: 'pause', ms: 500 },
      { kind: 'expect-close', ms: 2000 },
      { kind: 'expect-silence', ms: 1500, acceptRefusal: false },
    ]);
  });

  it('gives every step the span of its mapping', () => {
    const step = load(withSteps('- send: NOOP', '- ehlo')).suite!.cases[0]!.steps[1]!;
    expect(step.span).toMatchObject({ line: 11, col: 9 });
  });
});

describe('loadSuite: step problems', () => {
  it('reports a step with two actions at the second', () => {
    const p = onlyProblem(withSteps('- send: NOOP', '  raw: X'));
    expect(p).toMatchObject({ title: 'two actions', at: '11:9', hint: 'split it into two steps' });
    expect(p.message).toBe("'raw' and 'send' in one step; a step does exactly one thing");
  });

  it('reports a step with no action', () => {
    const p = onlyProblem(withSteps('- repeat: 2'));
    expect(p).toMatchObject({ title: 'missing action', at: '10:9' });
  });

  it('reports only the misspelled key when that was the action', () => {
    const p = onlyProblem(withSteps('- sned: NOOP'));
    expect(p).toMatchObject({ title: 'unknown key', at: '10:9', hint: "did you mean 'send'?" });
  });

  it('allows repeat only on send', () => {
    const p = onlyProblem(withSteps("- raw: 'X'", '  repeat: 2'));
    expect(p).toMatchObject({
      title: 'modifier not allowed',
      at: '11:9',
      hint: "'repeat' works only with 'send'",
    });
  });

  it('refuses expect on starttls and pause', () => {
    const p = onlyProblem(withSteps('- starttls: true', '  expect: 454'));
    expect(p).toMatchObject({ title: 'modifier not allowed', at: '11:9' });
    expect(p.hint).toContain('send: STARTTLS');
    expect(onlyProblem(withSteps('- pause: 1s', '  expect: 250')).title).toBe(
      'modifier not allowed',
    );
  });

  it('requires one expectation per pipelined line', () => {
    const p = onlyProblem(withSteps('- send: [A, B, C]', '  expect: [250, 250]'));
    expect(p).toMatchObject({ title: 'expectation count', at: '11:17' });
    expect(p.message).toBe("'expect' has 2 expectations, but 'send' has 3 lines");
  });

  it('asks for a list of expectations when send is a list', () => {
    const p = onlyProblem(withSteps('- send: [A, B]', '  expect: 250'));
    expect(p).toMatchObject({ title: 'wrong type', at: '11:17' });
    expect(p.hint).toContain('one expectation per line');
  });

  it('names unknown shorthands and actions that need a value', () => {
    expect(onlyProblem(withSteps('- quit'))).toMatchObject({ title: 'unknown step', at: '10:9' });
    expect(onlyProblem(withSteps('- ehlp'))).toMatchObject({ hint: "did you mean 'ehlo'?" });
    expect(onlyProblem(withSteps('- data'))).toMatchObject({
      title: 'missing value',
      hint: "write 'data: …'",
    });
  });

  it('checks repeat, auth mechanism, durations and starttls values', () => {
    expect(onlyProblem(withSteps('- send: A', '  repeat: 0'))).toMatchObject({
      title: 'out of range',
      at: '11:17',
    });
    expect(onlyProblem(withSteps('- auth: CRAM-MD5'))).toMatchObject({
      title: 'invalid auth',
      at: '10:15',
    });
    const pause = onlyProblem(withSteps('- pause: 5 sec'));
    expect(pause).toMatchObject({ title: 'bad duration', at: '10:16' });
    expect(pause.hint).toContain('250ms');
    expect(onlyProblem(withSteps('- starttls: false'))).toMatchObject({
      title: 'useless step',
      at: '10:19',
    });
  });

  it('checks data bodies', () => {
    expect(onlyProblem(withSteps('- data:'))).toMatchObject({ title: 'missing body', at: '10:9' });
    expect(onlyProblem(withSteps('- data: { text: a, raw: b }'))).toMatchObject({
      title: 'two bodies',
      at: '10:26',
    });
    expect(onlyProblem(withSteps('- data: { generate: { line-length: 80 } }'))).toMatchObject({
      title: 'missing key',
      message: "this generate has no 'size'",
    });
    expect(
      onlyProblem(withSteps('- data: { generate: { size: 1000, line-length: 999 } }')).title,
    ).toBe('out of range');
    expect(onlyProblem(withSteps('- data: { txt: a }')).hint).toBe("did you mean 'text'?");
  });

  it('warns about a line break inside a send line, and still loads', () => {
    const text = withSteps('- send: "NOOP\\r\\nNOOP"');
    expect(problems(text)).toMatchObject([{ severity: 'warning', title: 'line break in send' }]);
    expect(load(text).suite).toBeDefined();
  });

  it('reports every problem of a case at once', () => {
    const found = problems(
      withSteps('- sned: A', '- send: B', '  expcet: 250', '- pause: x', '- raw: "\\xff"'),
    );
    expect(found.map((p) => p.title)).toEqual([
      'unknown key',
      'unknown key',
      'bad duration',
      'escape in double quotes',
    ]);
  });
});
