import { describe, expect, it } from 'vitest';
import { load, onlyProblem, problems, withSteps } from './helpers.js';

/** The expectations of the first step, spans left out. */
function expectationOf(expectYaml: string): unknown {
  const result = load(withSteps('- send: NOOP', `  expect: ${expectYaml}`));
  expect(result.diagnostics).toEqual([]);
  const step = result.suite!.cases[0]!.steps[0]!;
  if (step.kind !== 'send') throw new Error('not a send step');
  return step.expect!.map(({ span: _span, ...rest }) => rest);
}

describe('loadSuite: expectations', () => {
  it('reads every form', () => {
    expect(expectationOf('250')).toEqual([{ codes: ['250'], not: [] }]);
    expect(expectationOf('"2XX"')).toEqual([{ codes: ['2xx'], not: [] }]);
    expect(expectationOf('[250, "5xx"]')).toEqual([{ codes: ['250', '5xx'], not: [] }]);
    expect(
      expectationOf('{ code: 2xx, not: [250, 251], enhanced: "2.1.x", text: "/ok/i" }'),
    ).toEqual([
      {
        codes: ['2xx'],
        not: ['250', '251'],
        enhanced: '2.1.x',
        text: { source: 'ok', flags: 'i' },
      },
    ]);
    expect(expectationOf('{ text: "^OK$" }')).toEqual([
      { codes: [], not: [], text: { source: '^OK$', flags: '' } },
    ]);
    expect(expectationOf('{ enhanced: "*" }')).toEqual([{ codes: [], not: [], enhanced: '*' }]);
  });

  it('reports bad code patterns with the rule in the hint', () => {
    for (const bad of ['25', '"2yx"', '"650"', '"2xxx"', '2500']) {
      const p = onlyProblem(withSteps('- send: NOOP', `  expect: ${bad}`));
      expect(p).toMatchObject({ title: 'bad code pattern', at: '11:17' });
      expect(p.hint).toContain('three characters, each a digit or x');
    }
  });

  it('reports a bad code inside a list and inside a mapping', () => {
    const found = problems(
      withSteps('- send: NOOP', '  expect: [250, 2]', '- send: A', '  expect: { not: "9xx" }'),
    );
    expect(found.map((p) => [p.title, p.at])).toEqual([
      ['bad code pattern', '11:23'],
      ['bad code pattern', '13:24'],
    ]);
  });

  it('reports a bad enhanced pattern, and an unquoted one as a number', () => {
    const p = onlyProblem(withSteps('- send: A', '  expect: { enhanced: "2.1" }'));
    expect(p).toMatchObject({ title: 'bad enhanced pattern', at: '11:29' });
    expect(p.hint).toContain('RFC 3463');
    expect(onlyProblem(withSteps('- send: A', '  expect: { enhanced: 2.1 }')).title).toBe(
      'wrong type',
    );
  });

  it('reports a bad regex with the engine message', () => {
    const p = onlyProblem(withSteps('- send: A', '  expect: { text: "/(/" }'));
    expect(p).toMatchObject({ title: 'bad regex', at: '11:25' });
    expect(p.message).toContain('Unterminated group');
    const flags = onlyProblem(withSteps('- send: A', '  expect: { text: "/a/x" }'));
    expect(flags.title).toBe('bad regex flags');
  });

  it('reports unknown and missing expectation keys', () => {
    expect(onlyProblem(withSteps('- send: A', '  expect: { cod: 250 }'))).toMatchObject({
      title: 'unknown key',
      at: '11:19',
      hint: "did you mean 'code'?",
    });
    expect(onlyProblem(withSteps('- send: A', '  expect: {}')).title).toBe('empty expectation');
  });

  it('refuses a mapping nested in an any-of list', () => {
    const p = onlyProblem(withSteps('- send: A', '  expect: [250, { code: 251 }]'));
    expect(p).toMatchObject({ title: 'wrong type', at: '11:23' });
  });
});

describe('loadSuite: byte strings', () => {
  it('keeps raw text with its escapes for the runner to decode', () => {
    const step = load(withSteps("- raw: 'A\\r\\n\\xc3\\xa9'")).suite!.cases[0]!.steps[0]!;
    expect(step).toMatchObject({ kind: 'raw', bytes: 'A\\r\\n\\xc3\\xa9' });
    expect(step).not.toHaveProperty('expect');
  });

  it('points at the exact backslash of each bad escape in a plain or single-quoted scalar', () => {
    const found = problems(withSteps("- raw: 'ab\\qc\\x4'", '- raw: x\\y'));
    expect(found.map((p) => [p.title, p.at])).toEqual([
      ['bad escape', '10:17'],
      ['bad escape', '10:20'],
      ['bad escape', '11:15'],
    ]);
    expect(found[0]!.message).toContain("'\\q' is not an escape");
  });

  it('refuses \\x in double quotes and suggests single quotes', () => {
    const p = onlyProblem(withSteps('- raw: "NOOP\\xc3\\r\\n"'));
    expect(p).toMatchObject({ title: 'escape in double quotes', at: '10:19' });
    expect(p.hint).toContain('use single quotes');
  });

  it('accepts other escapes in double quotes, and checks a literal backslash written \\\\', () => {
    expect(load(withSteps('- raw: "NOOP\\r\\n"')).diagnostics).toEqual([]);
    expect(onlyProblem(withSteps('- raw: "ab\\\\q"'))).toMatchObject({
      title: 'bad escape',
      at: '10:17',
    });
  });

  it('checks data raw bodies too', () => {
    expect(onlyProblem(withSteps("- data: { raw: 'x\\y' }"))).toMatchObject({
      title: 'bad escape',
      at: '10:24',
    });
  });
});

describe('loadSuite: variables', () => {
  it('accepts the defaults, suite vars and extra vars', () => {
    const text = withSteps(
      '- send: MAIL FROM:<${sender}> ${domain} ${client} ${recipient} ${mine}',
    );
    expect(problems(text, { extraVars: ['mine'] })).toEqual([]);
    expect(onlyProblem(text).title).toBe('unknown variable');
  });

  it('reports an unknown variable at its place, with a suggestion', () => {
    const p = onlyProblem(withSteps('- send: RCPT TO:<${recipent}>'));
    expect(p).toMatchObject({
      title: 'unknown variable',
      at: '10:24',
      hint: "did you mean 'recipient'?",
    });
  });

  it('suggests defining a variable when nothing is close', () => {
    const p = onlyProblem(withSteps('- ehlo: ${zzzzzz}'));
    expect(p.hint).toBe("define it under 'vars:' or pass --var zzzzzz=VALUE");
  });

  it('allows ${n} only in a repeat step', () => {
    expect(problems(withSteps('- send: X${n}', '  repeat: 2'))).toEqual([]);
    const p = onlyProblem(withSteps('- send: X${n}'));
    expect(p).toMatchObject({ title: 'variable outside repeat', at: '10:16' });
    expect(onlyProblem(withSteps("- raw: '${n}'")).title).toBe('variable outside repeat');
  });

  it('checks data text, raw and ehlo templates', () => {
    const found = problems(withSteps('- data: "${a}"', "- data: { raw: '${b}' }", '- ehlo: ${c}'));
    expect(found.map((p) => [p.title, p.at])).toEqual([
      ['unknown variable', '10:16'],
      ['unknown variable', '11:23'],
      ['unknown variable', '12:15'],
    ]);
  });

  it('reports a malformed reference and accepts $$', () => {
    expect(onlyProblem(withSteps('- send: X ${client'))).toMatchObject({
      title: 'malformed variable',
      at: '10:17',
    });
    expect(problems(withSteps('- send: X $${client} $$'))).toEqual([]);
  });
});
