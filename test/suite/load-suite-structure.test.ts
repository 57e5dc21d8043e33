import { describe, expect, it } from 'vitest';
import { HEADER, load, onlyProblem, problems, withSteps } from './helpers.js';

const VALID = withSteps('- send: NOOP');

describe('loadSuite: the file and its structure', () => {
  it('loads a minimal suite without diagnostics', () => {
    const result = load(VALID);
    expect(result.diagnostics).toEqual([]);
    expect(result.suite?.cases[0]?.steps).toHaveLength(1);
  });

  it('reports YAML syntax errors with their position and nothing else', () => {
    const text = 'suite: s\ncases:\n  - id: [a\n  - id: b\n';
    const found = problems(text);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.title === 'YAML syntax error')).toBe(true);
    expect(found[0]!.at).toMatch(/^[34]:\d+$/);
    expect(load(text).suite).toBeUndefined();
  });

  it('reports tabs used for indentation with a hint', () => {
    const found = problems('suite: s\ncases:\n\t- id: a\n');
    expect(found[0]).toMatchObject({ title: 'YAML syntax error', at: '3:1' });
  });

  it('reports an empty file', () => {
    expect(onlyProblem('# nothing\n')).toMatchObject({ title: 'empty suite', at: '1:1' });
  });

  it('reports a file that is not a mapping', () => {
    expect(onlyProblem('- a\n- b\n')).toMatchObject({
      title: 'wrong type',
      at: '1:1',
      message: 'the suite file must be a mapping (suite), found a list',
    });
  });

  it('reports unknown keys at the top level with a suggestion', () => {
    const p = onlyProblem(VALID.replace('title: t\n', 'title: t\ncasse: []\n'));
    expect(p).toMatchObject({ title: 'unknown key', at: '3:1', hint: "did you mean 'cases'?" });
    expect(p.message).toBe("'casse' is not a suite key");
  });

  it('lists the known keys when nothing is close', () => {
    const p = onlyProblem(VALID.replace('title: t\n', 'title: t\nzzzzzz: 1\n'));
    expect(p.hint).toBe('known keys: suite, title, rfc, protocol, vars, cases');
  });

  it('reports unknown case keys, and does not also report the key it suggests as missing', () => {
    const p = onlyProblem(VALID.replace('    level: must', '    levle: must'));
    expect(p).toMatchObject({ title: 'unknown key', at: '8:5', hint: "did you mean 'level'?" });
  });

  it('reports missing required keys at the mapping that lacks them', () => {
    const p = onlyProblem(VALID.replace('    title: t\n', ''));
    expect(p).toMatchObject({
      title: 'missing key',
      at: '5:5',
      message: "this case has no 'title'",
    });
    expect(p.hint).toBe("add the key 'title'");
  });

  it('names every missing key in one diagnostic', () => {
    const p = onlyProblem('suite: s\n');
    expect(p).toMatchObject({ title: 'missing key', at: '1:1' });
    expect(p.message).toBe("this suite has no 'title', 'cases'");
  });

  it('reports duplicate keys at the second, naming the first line', () => {
    const p = onlyProblem(VALID.replace('title: t\n', 'title: t\ntitle: u\n'));
    expect(p).toMatchObject({ title: 'duplicate key', at: '3:1' });
    expect(p.message).toBe("'title' is already given on line 2");
  });

  it('reports wrong types', () => {
    const p = onlyProblem(VALID.replace('    title: t\n', '    title: [a]\n'));
    expect(p).toMatchObject({
      title: 'wrong type',
      at: '6:12',
      message: "'title' must be a string, found a list",
    });
  });

  it('checks the suite id format', () => {
    const p = onlyProblem(VALID.replace('suite: s', 'suite: RFC_5321'));
    expect(p).toMatchObject({
      title: 'bad id',
      at: '1:8',
      message: "'RFC_5321' is not a valid id",
    });
    expect(p.hint).toContain("e.g. 'rfc-5321'");
  });

  it('reports duplicate case ids at the second, naming the first line', () => {
    const second = '  - id: c\n    title: u\n    section: "2"\n    level: may\n    steps: [ehlo]\n';
    const p = onlyProblem(VALID + second);
    expect(p).toMatchObject({ title: 'duplicate case id', at: '11:9' });
    expect(p.message).toBe("case id 'c' is already used on line 5");
  });
});

describe('loadSuite: case fields', () => {
  it('refuses an unquoted section and shows how YAML read it', () => {
    const p = onlyProblem(VALID.replace('section: "1"', 'section: 3.10'));
    expect(p).toMatchObject({
      title: 'unquoted number',
      at: '7:14',
      hint: 'quote it: section: "3.10"',
    });
    expect(p.message).toContain('(read as 3.1)');
  });

  it('refuses an unquoted rfc', () => {
    const p = onlyProblem(VALID.replace('rfc: "5321"', 'rfc: 5321'));
    expect(p).toMatchObject({ title: 'unquoted number', at: '3:6', hint: 'quote it: rfc: "5321"' });
  });

  it('accepts a quoted section and rfc, and takes the rfc from the suite', () => {
    const c = load(VALID.replace('section: "1"', "section: '3.10'")).suite!.cases[0]!;
    expect(c).toMatchObject({ section: '3.10', rfc: '5321' });
  });

  it('requires an rfc somewhere', () => {
    const p = onlyProblem(VALID.replace('rfc: "5321"\n', ''));
    expect(p).toMatchObject({ title: 'missing key', at: '4:5' });
  });

  it('refuses an rfc that is not a number', () => {
    expect(onlyProblem(VALID.replace('rfc: "5321"', 'rfc: "RFC5321"')).title).toBe('bad rfc');
  });

  it('reports an invalid level with a suggestion, and accepts upper case', () => {
    const p = onlyProblem(VALID.replace('level: must', 'level: shuold'));
    expect(p).toMatchObject({ title: 'invalid level', at: '8:12', hint: "did you mean 'should'?" });
    expect(load(VALID.replace('level: must', 'level: MUST')).suite?.cases[0]?.level).toBe('must');
  });

  it('reads greeting and suggests for a typo', () => {
    const manual = VALID.replace('level: must', 'level: must\n    greeting: manual');
    expect(load(manual).suite?.cases[0]?.greeting).toBe('manual');
    expect(load(VALID).suite?.cases[0]?.greeting).toBe('auto');
    const p = onlyProblem(VALID.replace('level: must', 'level: must\n    greeting: manaul'));
    expect(p).toMatchObject({ title: 'invalid greeting', hint: "did you mean 'manual'?" });
  });

  it('upper-cases requires keywords and accepts a single keyword', () => {
    const list = VALID.replace('level: must', 'level: must\n    requires: [pipelining, 8bitmime]');
    expect(load(list).suite?.cases[0]?.requires).toEqual(['PIPELINING', '8BITMIME']);
    const one = VALID.replace('level: must', 'level: must\n    requires: starttls');
    expect(load(one).suite?.cases[0]?.requires).toEqual(['STARTTLS']);
    const bad = VALID.replace('level: must', 'level: must\n    requires: [SIZE 100]');
    expect(onlyProblem(bad)).toMatchObject({ title: 'bad EHLO keyword', at: '9:16' });
  });

  it('reads timeout as a duration', () => {
    const ok = VALID.replace('level: must', 'level: must\n    timeout: 1.5s');
    expect(load(ok).suite?.cases[0]?.timeoutMs).toBe(1500);
    const bad = VALID.replace('level: must', 'level: must\n    timeout: soon');
    expect(onlyProblem(bad)).toMatchObject({ title: 'bad duration', at: '9:14' });
  });

  it('reports an empty steps list', () => {
    expect(onlyProblem(`${HEADER.replace('steps:\n', 'steps: []\n')}`).title).toBe('empty list');
  });
});

describe('loadSuite: vars', () => {
  const withVars = (vars: string) => VALID.replace('cases:', `vars:\n${vars}cases:`);

  it('collects vars, converting numbers to strings', () => {
    const suite = load(withVars('  a: x\n  port: 25\n')).suite!;
    expect(suite.vars).toEqual({ a: 'x', port: '25' });
  });

  it('lets values refer to other vars in any order', () => {
    expect(load(withVars('  a: ${b}\n  b: ${domain}\n')).diagnostics).toEqual([]);
  });

  it('reports cycles', () => {
    const p = onlyProblem(withVars('  a: ${b}\n  b: ${a}\n'));
    expect(p).toMatchObject({ title: 'variable cycle', at: '6:3' });
    expect(p.message).toContain('a → b → a');
  });

  it('reserves n and checks names', () => {
    expect(onlyProblem(withVars('  n: 1\n'))).toMatchObject({
      title: 'reserved variable',
      at: '5:3',
    });
    expect(onlyProblem(withVars('  1a: x\n'))).toMatchObject({
      title: 'bad variable name',
      at: '5:3',
    });
  });
});
