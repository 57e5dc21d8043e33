import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSuite } from '../../src/suite/load-suite.js';
import { withSteps } from './helpers.js';

/**
 * The JSON Schema (docs/schema/suite.schema.json) describes the same format as the loader, for
 * editors. It must accept every valid suite, and reject broken ones the loader also rejects.
 */
const schema = JSON.parse(readFileSync('docs/schema/suite.schema.json', 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

function accepts(text: string): boolean {
  return validate(parse(text)) === true;
}

/** Every `*.yaml` under `dir`, recursively; empty when the folder does not exist. */
function yamlFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .map((name) => join(dir, name))
    .sort();
}

describe('suite JSON Schema', () => {
  it('accepts the rich fixture', () => {
    const ok = accepts(readFileSync('test/suite/fixtures/rich-suite.yaml', 'utf8'));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('accepts the minimal forms of every step', () => {
    const text = withSteps(
      '- ehlo',
      '- starttls',
      '- ehlo:',
      '- expect: 220',
      '- auth: plain',
      '- send: [A, B]',
      '  expect: [250, [250, 251]]',
      '- raw: x',
      '  expect: [{ code: 250 }, 251]',
      '- data: { generate: { size: 600 } }',
      "- data: { generate: { size: '${size_over}' } }",
      '  expect-each: [250, 550]',
      '- tls-handshake',
      '- expect-silence: { for: 2s, accept-refusal: true }',
      '- expect-close: 2s',
    );
    expect(accepts(text)).toBe(true);
  });

  // suites/load/ holds load profiles, which have their own schema.
  const suites = yamlFilesUnder('suites').filter((f) => !f.startsWith(join('suites', 'load')));
  it('finds the suites of the repository, when there is a suites folder', () => {
    if (existsSync('suites')) expect(suites.length).toBeGreaterThanOrEqual(1);
  });
  for (const file of suites) {
    it(`accepts ${file}, which the loader accepts too`, () => {
      const text = readFileSync(file, 'utf8');
      const ok = accepts(text);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
      expect(loadSuite(file, text).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    });
  }

  const broken: [string, string][] = [
    [
      'an unknown top-level key',
      withSteps('- ehlo').replace('title: t\n', 'title: t\ncasse: []\n'),
    ],
    ['a missing case key', withSteps('- ehlo').replace('    level: must\n', '')],
    ['an unquoted section', withSteps('- ehlo').replace('section: "1"', 'section: 4.1')],
    ['an invalid level', withSteps('- ehlo').replace('level: must', 'level: required')],
    ['a misspelled step key', withSteps('- sned: NOOP')],
    ['two actions in one step', withSteps('- send: NOOP', '  raw: x')],
    ['repeat on raw', withSteps('- raw: x', '  repeat: 2')],
    ['a bad code pattern', withSteps('- expect: "6xx"')],
    ['a bad enhanced pattern', withSteps('- expect: { enhanced: "2.1" }')],
    ['a bad duration', withSteps('- pause: 5 sec')],
    ['a bad suite id', withSteps('- ehlo').replace('suite: s', 'suite: Bad_Id')],
    ['two data bodies', withSteps('- data: { text: a, raw: b }')],
  ];
  for (const [what, text] of broken) {
    it(`rejects ${what}, as the loader does`, () => {
      expect(accepts(text)).toBe(false);
      expect(loadSuite('x.yaml', text).suite).toBeUndefined();
    });
  }
});
