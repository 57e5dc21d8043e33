import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadProfile } from '../../src/suite/load-profile.js';

/**
 * The JSON Schema (docs/schema/profile.schema.json) describes the profile format for editors.
 * It must accept every shipped profile, and reject broken ones the loader also rejects. (Some
 * checks are the loader's alone: weights adding up to 100%, rising empirical tables.)
 */
const schema = JSON.parse(readFileSync('docs/schema/profile.schema.json', 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

function accepts(text: string): boolean {
  return validate(parse(text)) === true;
}

const DIR = 'suites/load';
const profiles = readdirSync(DIR)
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => join(DIR, name))
  .sort();

const closed = (...lines: string[]) =>
  ['title: t', 'model: { kind: closed, sessions: 1 }', ...lines].join('\n') + '\n';
const open = (model: string) => `title: t\nmodel: { kind: open, ${model} }\n`;

describe('profile JSON Schema', () => {
  it('finds the shipped profiles', () => {
    expect(profiles.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of profiles) {
    it(`accepts ${file}, which the loader accepts too`, () => {
      const text = readFileSync(file, 'utf8');
      const ok = accepts(text);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
      expect(loadProfile(file, text).diagnostics).toEqual([]);
    });
  }

  it('accepts the other forms the loader accepts', () => {
    const valid = [
      closed('message: { size: default, recipients: { uniform: [1, 5] }, 8bit: true }'),
      closed('message: { size: { empirical: [[2KB, 25%], [1MB, 1]] } }'),
      closed('message: { size: 600 }', 'connection: { tls: { none: 0.5, starttls: 50% } }'),
      closed('connection: { tls: STARTTLS, helo: "[192.0.2.1]" }', 'envelope: { sender: "" }'),
      closed('thresholds: ["p99(eod) < 1s", { expr: x, abort: true }]', 'duration: 1.5s'),
      open('unit: session, messages-per-session: 3, rate: 30/m'),
      open('rate: 300/s, pre-open: 0'),
      open('start-rate: 0/s, stages: [{ duration: 1m, rate: 10/s }]'),
    ];
    for (const text of valid) {
      expect(loadProfile('x.yaml', text).diagnostics, text).toEqual([]);
      expect(accepts(text), `${text}\n${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  const broken: [string, string][] = [
    ['an unknown top-level key', closed('duraton: 10s')],
    ['a missing title', 'model: { kind: closed, sessions: 1 }\n'],
    ['a model without kind', 'title: t\nmodel: { sessions: 1 }\n'],
    ['a misspelled kind', 'title: t\nmodel: { kind: closd, sessions: 1 }\n'],
    ['a closed model without sessions', 'title: t\nmodel: { kind: closed }\n'],
    ['a key of the other model', 'title: t\nmodel: { kind: closed, sessions: 1, rate: 1/s }\n'],
    [
      'an open model with rate and stages',
      open('rate: 1/s, stages: [{ duration: 1s, rate: 1/s }]'),
    ],
    ['an open model with neither rate nor stages', open('max-sessions: 5')],
    ['start-rate with a constant rate', open('rate: 1/s, start-rate: 1/s')],
    ['messages-per-session with unit: message', open('rate: 1/s, messages-per-session: 2')],
    ['pre-open with unit: session', open('unit: session, rate: 1/s, pre-open: 2')],
    ['a negative pre-open', open('rate: 1/s, pre-open: -1')],
    ['a rate without a unit', open('rate: 200')],
    ['a rate per hour', open('rate: 200/h')],
    ['a constant rate of 0', open('rate: 0/s')],
    ['a stage without a rate', open('stages: [{ duration: 1s }]')],
    ['duration 0', closed('duration: 0')],
    ['duration 0s', closed('duration: 0s')],
    ['a bad size', closed('message: { size: 1 kilo }')],
    ['a size below 512 B', closed('message: { size: 100 }')],
    ['two size forms', closed('message: { size: { uniform: [1KB, 2KB], empirical: [[1KB, 1]] } }')],
    ['a uniform range of three', closed('message: { recipients: { uniform: [1, 2, 3] } }')],
    ['a share above 1', closed('connection: { tls: { none: 60 } }')],
    ['implicit TLS in a mix', closed('connection: { tls: { none: 50%, implicit: 50% } }')],
    ['an unknown TLS mode', closed('connection: { tls: startls }')],
    ['a string flag', closed('connection: { auth: yes }')],
    ['a sender in angle brackets', closed('envelope: { sender: "<a@b.test>" }')],
    ['an empty threshold', closed('thresholds: [""]')],
    ['a threshold without expr', closed('thresholds: [{ abort: true }]')],
  ];
  for (const [what, text] of broken) {
    it(`rejects ${what}, as the loader does`, () => {
      expect(accepts(text)).toBe(false);
      expect(loadProfile('x.yaml', text).profile).toBeUndefined();
    });
  }
});
