import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../../src/report/conformance-report.js';
import type { LoadReport } from '../../src/report/load-report.js';
import {
  closeScripted,
  removeTempDirs,
  repoPath,
  runCli,
  scripted,
  tempDir,
  yamlText,
} from '../cli/cli-harness.js';

/**
 * The published JSON Schema of report.json (docs/schema/report.schema.json) against real
 * results: conformance runs (the embedded target; a broken scripted server with a baseline, so
 * every status, an accepted failure, a stale entry and reply-syntax findings; a server that
 * never answers, so timed-out failures and cases not run), load runs against the embedded sink
 * and their merge, and a merged conformance result. Broken documents must be rejected, at the
 * field that is wrong.
 */
const schema = JSON.parse(
  readFileSync(repoPath('docs', 'schema', 'report.schema.json'), 'utf8'),
) as Record<string, unknown>;
// Strict mode (strictTypes, strictTuples, strictRequired) and no format plugin: the schema
// checks date-times by pattern, so a consumer needs nothing but ajv itself.
const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);

type Json = Record<string, unknown>;

/** The validation errors of `doc`, as `path: message` lines (empty when it is valid). */
function problems(doc: unknown): string[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath}: ${e.message}`);
}

function expectValid(doc: unknown): void {
  expect(problems(doc)).toEqual([]);
}

/** Rejected, with an error at `path` (the top level is '') among the errors. */
function expectRejectedAt(doc: unknown, path: string): void {
  expect(validate(doc)).toBe(false);
  expect((validate.errors ?? []).map((e) => e.instancePath)).toContain(path);
}

const clone = <T>(value: T): T => structuredClone(value);

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** Every histogram snapshot of a load result, phases with their outcomes and the named ones. */
function histograms(report: LoadReport): Json[] {
  const { phases, named } = report.load.snapshot;
  return [
    ...Object.values(phases).flatMap((p) => [p, ...Object.values(p.byOutcome)]),
    ...Object.values(named),
  ] as unknown as Json[];
}

const SUITE = (name: string) => repoPath('suites', 'rfc5321', `${name}.yaml`);

/** A suite with a case skipped for a missing extension and one that errors at run time. */
const MIXED_SUITE = yamlText(
  'suite: mixed',
  'title: A skipped case and a case that breaks the run',
  "rfc: '5321'",
  'vars:',
  '  big: lots',
  'cases:',
  '  - id: needs-extension',
  '    title: Skipped, the target does not advertise the extension',
  "    section: '2.2.1'",
  '    level: should',
  '    requires: XSMTPGAUGE-NEVER',
  '    steps:',
  '      - ehlo',
  '  - id: size-not-a-number',
  '    title: A generated size that expands to no number is an error of the run',
  "    section: '4.1.1.4'",
  '    level: must',
  '    steps:',
  '      - ehlo',
  '      - send: MAIL FROM:<${sender}>',
  '        expect: 250',
  '      - send: RCPT TO:<${recipient}>',
  '        expect: 250',
  "      - data: { generate: { size: '${big}' } }",
);

const BASELINE = yamlText(
  'deviations:',
  '  - case: rfc5321-unknown-commands/unknown-command-500',
  '    reason: "the MTA answers unknown verbs with 250 by design"',
  '  - case: rfc5321-noop/noop-accepted',
  '    reason: "listed long ago; NOOP works now"',
);

let dir: string;
/** A run against the embedded target (report.json in `embeddedDir`). */
let embedded: ConformanceReport;
let embeddedDir: string;
/** A run against a broken scripted server, with a baseline (report.json in `brokenDir`). */
let broken: ConformanceReport;
let brokenDir: string;
let brokenOutcome: { code: number; stderr: string };

beforeAll(async () => {
  dir = await tempDir('smtpgauge-report-schema-');
  embeddedDir = join(dir, 'embedded');
  const run = await runCli(['run', SUITE('noop'), SUITE('quit'), '--out', embeddedDir]);
  expect(run.stderr).toBe('');
  embedded = await readJson<ConformanceReport>(join(embeddedDir, 'report.json'));

  const cwd = await tempDir();
  await writeFile(join(cwd, 'mixed.yaml'), MIXED_SUITE);
  await writeFile(join(cwd, 'baseline.yaml'), BASELINE);
  const server = await scripted(
    'rcpt-before-mail-accepted',
    'unknown-verb-250',
    'two-replies-to-noop',
  );
  brokenDir = join(cwd, 'out');
  brokenOutcome = await runCli(
    [
      'run',
      'mixed.yaml',
      ...['sequencing', 'unknown-commands', 'noop'].map(SUITE),
      '--target',
      `127.0.0.1:${server.port}`,
      '--timeout',
      '2s',
      '--baseline',
      'baseline.yaml',
      '--out',
      brokenDir,
    ],
    { cwd },
  );
  broken = await readJson<ConformanceReport>(join(brokenDir, 'report.json'));
  await closeScripted();
}, 60_000);
afterEach(closeScripted);
afterAll(removeTempDirs);

describe('report.schema.json', () => {
  it('compiles under ajv strict mode', () => {
    expect(() => new Ajv({ strict: true, allErrors: true }).compile(schema)).not.toThrow();
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('describes every field', () => {
    const definitions = schema.definitions as Record<string, Json>;
    const described = (node: unknown): boolean => {
      if (typeof node !== 'object' || node === null) return true; // `true`: declared elsewhere
      const { description, $ref } = node as Json;
      if (typeof description === 'string' && description !== '') return true;
      return typeof $ref === 'string' && described(definitions[$ref.split('/').pop()!]);
    };
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        // Conditions restate fields declared beside them.
        if (['if', 'then', 'else', 'not'].includes(key)) continue;
        if (key === 'properties' && typeof value === 'object' && value !== null)
          for (const [name, field] of Object.entries(value as Json))
            if (!described(field)) missing.push(`${path}/properties/${name}`);
        walk(value, `${path}/${key}`);
      }
    };
    walk(schema, '#');
    expect(missing).toEqual([]);
  });

  it('accepts the example of docs/report-format.md', async () => {
    const text = await readFile(repoPath('docs', 'report-format.md'), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(text)![1]!;
    expectValid(JSON.parse(example));
  });
});

describe('conformance results', () => {
  it('accepts a run against the embedded target', () => {
    expect(embedded.conformance.suites.map((s) => s.id)).toEqual([
      'rfc5321-noop',
      'rfc5321-quit',
      'rfc5321-reply-syntax',
    ]);
    expectValid(embedded);
  });

  it('accepts a run with failures, errors, skips, findings and a baseline', () => {
    expect(brokenOutcome.stderr).toBe('');
    expect(brokenOutcome.code).toBe(1);
    const { summary } = broken;
    const cases = broken.conformance.suites.flatMap((s) => s.cases);
    // The result holds what the schema's conditional parts are about.
    expect(summary.verdict).toBe('failed');
    expect(summary.gatingFailures).toBeGreaterThan(0);
    const mixed = broken.conformance.suites.find((s) => s.id === 'mixed')!.cases;
    expect(mixed.map((c) => [c.id, c.status])).toEqual([
      ['needs-extension', 'skipped'],
      ['size-not-a-number', 'error'],
    ]);
    expect(summary.accepted).toBe(1);
    expect(summary.staleBaseline).toEqual(['rfc5321-noop/noop-accepted']);
    expect(cases.some((c) => c.findings.length > 0)).toBe(true);
    expect(cases.find((c) => c.id === 'reply-one-per-command')!.status).toBe('failed');
    expectValid(broken);
  });

  it('accepts a run against a server that never answers: timed out, then not run', async () => {
    const server = await scripted('never-answers');
    const out = join(dir, 'silent');
    const outcome = await runCli([
      'run',
      SUITE('sequencing'),
      '--target',
      `127.0.0.1:${server.port}`,
      '--timeout',
      '300ms',
      '--out',
      out,
    ]);
    expect(outcome.code).toBe(1);
    const report = await readJson<ConformanceReport>(join(out, 'report.json'));
    const cases = report.conformance.suites.flatMap((s) => s.cases);
    expect(report.target.banner).toBeNull();
    expect(cases.some((c) => c.failure?.timedOut === true)).toBe(true);
    expect(cases.some((c) => c.status === 'error' && c.transcript.length === 0)).toBe(true);
    expectValid(report);
  });

  it('accepts a merged conformance result', async () => {
    const out = join(dir, 'merged-conformance.json');
    const outcome = await runCli([
      'merge',
      join(embeddedDir, 'report.json'),
      join(brokenDir, 'report.json'),
      '-o',
      out,
    ]);
    expect(outcome.code, outcome.stderr).toBe(1);
    expectValid(await readJson(out));
  });
});

describe('load results', () => {
  let a: LoadReport;
  let b: LoadReport;
  let merged: LoadReport;

  async function loadRun(name: string, ...extra: string[]): Promise<LoadReport> {
    const out = join(dir, name);
    const outcome = await runCli([
      'load',
      repoPath('suites', 'load', 'smoke.yaml'),
      '--duration',
      '1s',
      '--workers',
      '1',
      '--out',
      out,
      ...extra,
    ]);
    expect([0, 1], outcome.stderr).toContain(outcome.code);
    return readJson<LoadReport>(join(out, 'report.json'));
  }

  beforeAll(async () => {
    a = await loadRun('load-a', '--seed', '1');
    // A threshold on a phase the profile never runs: it fails with no data and no `actual`.
    b = await loadRun('load-b', '--seed', '2', '--threshold', 'p99(auth) < 1ms');
    const out = join(dir, 'merged-load.json');
    const outcome = await runCli([
      'merge',
      join(dir, 'load-a', 'report.json'),
      join(dir, 'load-b', 'report.json'),
      '-o',
      out,
    ]);
    expect(outcome.code, outcome.stderr).toBe(1);
    merged = await readJson<LoadReport>(out);
  }, 60_000);

  it('accepts a load run against the embedded sink', () => {
    expect(a.load.snapshot.phases.eod?.byOutcome['2xx']).toBeDefined();
    expect(a.load.snapshot.series.intervals.length).toBeGreaterThan(0);
    expectValid(a);
  });

  it('accepts a run whose threshold had no data', () => {
    expect(b.summary.verdict).toBe('failed');
    const noData = b.load.thresholds.find((t) => t.expression === 'p99(auth) < 1ms')!;
    expect(noData).toMatchObject({ ok: false });
    expect('actual' in noData).toBe(false);
    expectValid(b);
  });

  it('accepts the merge of two load runs', () => {
    expect(merged.load.workers).toBe(2);
    expectValid(merged);
  });

  it('accepts histograms with or without their percentile distribution', () => {
    const without = clone(a);
    for (const h of histograms(without)) delete h.distribution;
    expectValid(without);
    const pairs = clone(a);
    for (const h of histograms(pairs))
      h.distribution = [
        [0, 0.1],
        [50, 0.2],
        [100, 0.3],
      ];
    expectValid(pairs);
  });

  it('accepts a warm-up, and nothing else in its place', () => {
    const warmed = clone(a) as unknown as Json & { load: Json };
    warmed.load.warmUp = { durationMs: 1000, attempted: 120, ok: 118 };
    expectValid(warmed);
    warmed.load.warmUp = { durationMs: 1000, attempted: 120 };
    expectRejectedAt(warmed, '/load/warmUp');
  });

  it('accepts a calibration, and nothing else in its place', () => {
    const calibrated = clone(a) as unknown as Json & { load: Json };
    calibrated.load.calibration = { messagesPerSecond: 31000, durationMs: 3000, sessions: 4 };
    expectValid(calibrated);
    calibrated.load.calibration = { messagesPerSecond: 31000 };
    expectRejectedAt(calibrated, '/load/calibration');
  });

  it('rejects broken load results at the field that is wrong', () => {
    const negative = clone(a);
    negative.load.snapshot.counters.messages.ok = -1;
    expectRejectedAt(negative, '/load/snapshot/counters/messages/ok');

    const fractional = clone(a);
    fractional.summary.messages = 1.5;
    expectRejectedAt(fractional, '/summary/messages');

    const outcome = clone(a) as unknown as { load: { snapshot: { phases: Json } } };
    (outcome.load.snapshot.phases.eod as { byOutcome: Json }).byOutcome['3xx'] = {};
    expectRejectedAt(outcome, '/load/snapshot/phases/eod/byOutcome');

    const triple = clone(a);
    for (const h of histograms(triple)) h.distribution = [[50, 0.2, 7]];
    expectRejectedAt(triple, '/load/snapshot/phases/eod/distribution/0');

    const unit = clone(a) as unknown as { load: { thresholds: Json[] } };
    unit.load.thresholds[0]!.unit = 'seconds';
    expectRejectedAt(unit, '/load/thresholds/0/unit');

    // A threshold that held always has its measured value.
    const held = clone(a) as unknown as { load: { thresholds: Json[] } };
    const index = held.load.thresholds.findIndex((t) => t.expression === 'rate(errors) < 1%');
    const threshold = held.load.thresholds[index]!;
    threshold.ok = true;
    delete threshold.actual;
    expectRejectedAt(held, `/load/thresholds/${index}`);

    // Saturated exactly when there are reasons.
    const saturated = clone(a);
    Object.assign(saturated.load.health, { saturated: true, reasons: [] });
    expectRejectedAt(saturated, '/load/health/reasons');
    const unsaturated = clone(a);
    Object.assign(unsaturated.load.health, { saturated: false, reasons: ['event-loop delay'] });
    expectRejectedAt(unsaturated, '/load/health/reasons');

    // A load result with a conformance summary.
    const summary = clone(a) as unknown as Json;
    summary.summary = clone(embedded.summary);
    expectRejectedAt(summary, '/summary');
  });

  it('rejects a result with both conformance and load, or neither', () => {
    const both = { ...clone(a), conformance: clone(embedded.conformance) };
    expectRejectedAt(both, '');
    const neither = clone(a) as unknown as Json;
    delete neither.load;
    expectRejectedAt(neither, '');
  });
});

describe('broken conformance results', () => {
  const firstCase = (report: ConformanceReport) => report.conformance.suites[0]!.cases[0]!;
  const PATH = '/conformance/suites/0/cases/0';

  it("rejects a case status 'ok'", () => {
    const report = clone(embedded);
    (firstCase(report) as { status: string }).status = 'ok';
    expectRejectedAt(report, `${PATH}/status`);
  });

  it('rejects a result without its summary', () => {
    const report = clone(embedded) as unknown as Json;
    delete report.summary;
    expectRejectedAt(report, '');
    expect(problems(report)).toContain(": must have required property 'summary'");
  });

  it('rejects a negative count', () => {
    const report = clone(embedded);
    report.summary.counts.passed = -1;
    expectRejectedAt(report, '/summary/counts/passed');
    const level = clone(embedded);
    level.summary.byLevel.must.error = -2;
    expectRejectedAt(level, '/summary/byLevel/must/error');
  });

  it('rejects other wrong fields', () => {
    const version = clone(embedded) as unknown as Json;
    version.schemaVersion = 2;
    expectRejectedAt(version, '/schemaVersion');

    const started = clone(embedded);
    started.startedAt = '23/11/2026 10:00';
    expectRejectedAt(started, '/startedAt');

    const local = clone(embedded);
    local.startedAt = '2026-11-23T10:00:00.000+01:00';
    expectRejectedAt(local, '/startedAt');

    const level = clone(embedded);
    (firstCase(level) as { level: string }).level = 'required';
    expectRejectedAt(level, `${PATH}/level`);

    const unknown = clone(embedded);
    (firstCase(unknown) as unknown as Json).verdict = 'passed';
    expectRejectedAt(unknown, PATH);

    const direction = clone(embedded);
    const withTranscript = direction.conformance.suites[0]!.cases.find(
      (c) => c.transcript.length > 0,
    )!;
    (withTranscript.transcript[0] as { dir: string }).dir = '>';
    const index = direction.conformance.suites[0]!.cases.indexOf(withTranscript);
    expectRejectedAt(direction, `/conformance/suites/0/cases/${index}/transcript/0/dir`);

    const port = clone(embedded);
    port.target.port = 0;
    expectRejectedAt(port, '/target/port');
  });

  it('ties failure and accepted to failed cases, and a reason to every case that did not pass', () => {
    const failed = broken.conformance.suites.flatMap((s, i) =>
      s.cases.flatMap((c, j) => (c.status === 'failed' ? [[i, j] as const] : [])),
    );
    const [i, j] = failed[0]!;
    const at = `/conformance/suites/${i}/cases/${j}`;

    const noFailure = clone(broken);
    delete noFailure.conformance.suites[i]!.cases[j]!.failure;
    expectRejectedAt(noFailure, at);

    const passedWithFailure = clone(broken);
    const passed = passedWithFailure.conformance.suites[i]!.cases[j]!;
    passed.status = 'passed';
    expectRejectedAt(passedWithFailure, `${at}/failure`);

    const skippedAccepted = clone(embedded);
    const skipped = firstCase(skippedAccepted);
    Object.assign(skipped, { status: 'skipped', reason: 'n/a', accepted: { reason: 'known' } });
    expectRejectedAt(skippedAccepted, `${PATH}/accepted`);

    const silentError = clone(embedded);
    Object.assign(firstCase(silentError), { status: 'error', reason: '' });
    expectRejectedAt(silentError, `${PATH}/reason`);

    const rule = clone(broken);
    const finding = rule.conformance.suites
      .flatMap((s) => s.cases)
      .flatMap((c) => c.findings)
      .at(0)! as { rule: string };
    finding.rule = 'too-long';
    expect(validate(rule)).toBe(false);
    expect(problems(rule).some((p) => /\/findings\/\d+\/rule: /.test(p))).toBe(true);
  });
});
