import { readFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseResult, SuiteResult } from '../../src/dialogue/case-result.js';
import {
  buildConformanceReport,
  type ConformanceReport,
} from '../../src/report/conformance-report.js';
import { renderJunit, renderLoadJunit } from '../../src/report/junit.js';
import { loadSuite } from '../../src/suite/load-suite.js';
import type { Suite } from '../../src/suite/model.js';
import { REFERENCE_CREDENTIALS, startReferenceTarget } from '../../src/targets/reference-target.js';
import { repoPath, yamlText } from '../cli/cli-harness.js';
import { runAgainst } from '../integration/run-helpers.js';
import { startScriptedServer } from '../support/scripted-server.js';
import type { Defect } from '../support/smtp-defects.js';
import { junitSchemaErrors, startTags, unescapeXml } from './junit-schema.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function result(partial: Partial<CaseResult> & Pick<CaseResult, 'id' | 'status'>): CaseResult {
  return {
    title: `title of ${partial.id}`,
    rfc: '5321',
    section: '4.1.1',
    level: 'must',
    reason: partial.status === 'passed' ? '' : `why ${partial.id}`,
    durationMs: 2.5,
    transcript: [],
    findings: [],
    ...partial,
  };
}

function report(
  suites: SuiteResult[],
  extra: { gate?: 'must' | 'should'; baseline?: { caseId: string; reason: string }[] } = {},
): ConformanceReport {
  return buildConformanceReport({
    tool: { name: 'smtpgauge', version: '0.0.0-test' },
    target: { host: '127.0.0.1', port: 2525, banner: '220 mx ESMTP', capabilities: [] },
    startedAt: new Date('2026-11-23T10:00:00.000Z'),
    durationMs: 4180,
    interrupted: false,
    gate: extra.gate ?? 'must',
    suites,
    baseline: extra.baseline,
  });
}

const suite = (id: string, cases: CaseResult[]): SuiteResult => ({
  id,
  title: `suite ${id}`,
  file: `suites/${id}.yaml`,
  rfc: '5321',
  cases,
});

/** The counts a JUnit consumer reads, checked against the report they came from. */
function expectCountsOf(xml: string, r: ConformanceReport): void {
  const s = r.summary;
  const belowGate = s.counts.failed - s.gatingFailures;
  const [top] = startTags(xml, 'testsuites');
  expect(top).toMatchObject({
    name: 'smtpgauge',
    tests: String(s.total),
    failures: String(s.gatingFailures),
    errors: String(s.counts.error),
    time: (r.durationMs / 1000).toFixed(3),
  });
  const suites = startTags(xml, 'testsuite');
  expect(suites.map((t) => t.name)).toEqual(r.conformance.suites.map((x) => x.id));
  const sum = (key: string) => suites.reduce((n, t) => n + Number(t[key]), 0);
  expect(sum('tests')).toBe(s.total);
  expect(sum('failures')).toBe(s.gatingFailures);
  expect(sum('errors')).toBe(s.counts.error);
  expect(sum('skipped')).toBe(s.counts.skipped + belowGate);
  expect(startTags(xml, 'testcase')).toHaveLength(s.total);
  expect(startTags(xml, 'failure')).toHaveLength(s.gatingFailures);
  expect(startTags(xml, 'error')).toHaveLength(s.counts.error);
  expect(startTags(xml, 'skipped')).toHaveLength(s.counts.skipped + belowGate);
}

describe('renderJunit', () => {
  it('writes a passed and a failed case exactly so', () => {
    const xml = renderJunit(
      report([
        suite('rfc5321-rcpt', [
          result({
            id: 'rcpt-ok',
            status: 'passed',
            title: 'RCPT after MAIL gets 250',
            section: '3.3',
            durationMs: 1.5,
            transcript: [
              { dir: 'S', atMicros: 412, text: '220 mx ESMTP' },
              { dir: 'C', atMicros: 530, text: 'EHLO client.example.test' },
            ],
          }),
          result({
            id: 'rcpt-before-mail',
            status: 'failed',
            title: 'RCPT without a transaction is refused with 503',
            section: '3.3',
            reason: 'expected 503 to RCPT TO:<postmaster@example.test>, got 250 OK',
            failure: {
              step: 2,
              location: 'suites/rfc5321/rcpt.yaml:14:9',
              expected: '503 to RCPT TO:<postmaster@example.test>',
              actual: '250 OK',
            },
          }),
        ]),
      ]),
    );
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="smtpgauge" tests="2" failures="1" errors="0" time="4.180">',
        '  <testsuite name="rfc5321-rcpt" tests="2" failures="1" errors="0" skipped="0" time="0.004" timestamp="2026-11-23T10:00:00.000Z" hostname="127.0.0.1:2525">',
        '    <properties>',
        '      <property name="title" value="suite rfc5321-rcpt"/>',
        '      <property name="file" value="suites/rfc5321-rcpt.yaml"/>',
        '      <property name="rfc" value="5321"/>',
        '      <property name="gate" value="must"/>',
        '    </properties>',
        '    <testcase classname="rfc5321-rcpt" name="rcpt-ok: RCPT after MAIL gets 250 (RFC 5321 §3.3)" time="0.002">',
        '      <system-out>rfc5321-rcpt/rcpt-ok  RFC 5321 §3.3  level must',
        '    0.412 ms  S: 220 mx ESMTP',
        '    0.530 ms  C: EHLO client.example.test',
        '</system-out>',
        '    </testcase>',
        '    <testcase classname="rfc5321-rcpt" name="rcpt-before-mail: RCPT without a transaction is refused with 503 (RFC 5321 §3.3)" time="0.003">',
        '      <failure type="must" message="expected 503 to RCPT TO:&lt;postmaster@example.test&gt;, got 250 OK">expected: 503 to RCPT TO:&lt;postmaster@example.test&gt;',
        'actual:   250 OK',
        'at suites/rfc5321/rcpt.yaml:14:9 (step 2)</failure>',
        '      <system-out>rfc5321-rcpt/rcpt-before-mail  RFC 5321 §3.3  level must',
        '</system-out>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('maps each status and gate position to its element; only gating failures are <failure>', async () => {
    const r = report(
      [
        suite('mixed', [
          result({ id: 'ok', status: 'passed' }),
          result({ id: 'must-fail', status: 'failed' }),
          result({ id: 'should-fail', status: 'failed', level: 'should' }),
          result({ id: 'may-fail', status: 'failed', level: 'may' }),
          result({ id: 'known', status: 'failed' }),
          result({ id: 'broke', status: 'error', reason: 'not run: the target stopped answering' }),
          result({ id: 'skip', status: 'skipped', reason: 'the target does not advertise SIZE' }),
        ]),
      ],
      { baseline: [{ caseId: 'mixed/known', reason: 'our MX does this on purpose' }] },
    );
    const xml = renderJunit(r);
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expectCountsOf(xml, r);
    const byCase = (id: string) => xml.slice(xml.indexOf(`name="${id}:`)).split('</testcase>')[0]!;
    expect(byCase('ok')).not.toMatch(/<(failure|error|skipped)/);
    expect(startTags(byCase('must-fail'), 'failure')).toEqual([
      { type: 'must', message: 'why must-fail' },
    ]);
    expect(startTags(byCase('should-fail'), 'skipped')).toEqual([
      {
        type: 'warning',
        message: 'warning: should case failed below the gate (must): why should-fail',
      },
    ]);
    expect(startTags(byCase('may-fail'), 'skipped')[0]!.type).toBe('note');
    expect(startTags(byCase('known'), 'skipped')).toEqual([
      {
        type: 'known-deviation',
        message: 'known deviation (our MX does this on purpose): why known',
      },
    ]);
    expect(startTags(byCase('broke'), 'error')).toEqual([
      { type: 'error', message: 'not run: the target stopped answering' },
    ]);
    expect(startTags(byCase('skip'), 'skipped')).toEqual([
      { message: 'the target does not advertise SIZE' },
    ]);
    // With --level should, the SHOULD failure gates: a <failure type="should">.
    const strict = report(r.conformance.suites, { gate: 'should' });
    const strictXml = renderJunit(strict);
    expect(startTags(strictXml, 'failure').map((t) => t.type)).toEqual(['must', 'should']);
    expectCountsOf(strictXml, strict);
  });

  it('keeps the file well-formed whatever bytes a reply or a suite carries', async () => {
    const hostile =
      '250 \x00\x01\x08\x0b\x0c\x1b[2K\x7f\x85 ]]> <b>&amp; "q" \'a\'\r\n\t\uFFFE\uD800!';
    const r = report([
      suite('hostile <&> "suite"', [
        result({
          id: 'x',
          status: 'failed',
          title: `a ${hostile}`,
          reason: `expected 500, got ${hostile}`,
          failure: { step: 1, location: 'x.yaml:1:1', expected: '500', actual: hostile },
          transcript: [{ dir: 'S', atMicros: 1, text: hostile }],
        }),
        result({ id: 'y', status: 'skipped', reason: hostile }),
        result({ id: 'z', status: 'error', reason: hostile }),
      ]),
    ]);
    const xml = renderJunit(r);
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expectCountsOf(xml, r);
    expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\ud800]/);
    expect(xml).not.toContain(']]>');
    // Forbidden characters become visible escapes; everything else survives the round trip.
    const message = startTags(xml, 'failure')[0]!.message!;
    expect(message).toBe(
      'expected 500, got 250 \\x00\\x01\\x08\\x0b\\x0c\\x1b[2K\\x7f\\x85 ]]> <b>&amp; "q" \'a\'\r\n\t\\ufffe\\ud800!',
    );
    expect(unescapeXml(xml)).toContain('S: 250 \\x00\\x01');
    expect(startTags(xml, 'testsuite')[0]!.name).toBe('hostile <&> "suite"');
  });
});

describe('renderLoadJunit', () => {
  it('writes one testcase per threshold in a "load thresholds" suite; a crossed one fails', async () => {
    const xml = renderLoadJunit(
      [
        { expression: 'p99(eod) < 50ms', ok: true, actual: 12.5, unit: 'ms' },
        {
          expression: 'rate(errors) < 1%',
          ok: false,
          actual: 3.2,
          unit: '%',
          reason: 'rate(errors) was 3.2%, over 1%',
        },
        { expression: 'p50(rcpt) < 5ms', ok: false },
      ],
      {
        startedAt: '2026-11-23T10:00:00.000Z',
        target: { host: '::1', port: 25 },
        durationMs: 30_000,
      },
    );
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expect(startTags(xml, 'testsuites')[0]).toMatchObject({
      tests: '3',
      failures: '2',
      time: '30.000',
    });
    expect(startTags(xml, 'testsuite')).toEqual([
      expect.objectContaining({
        name: 'load thresholds',
        tests: '3',
        failures: '2',
        hostname: '[::1]:25',
      }),
    ]);
    expect(startTags(xml, 'testcase').map((t) => [t.classname, t.name])).toEqual([
      ['load thresholds', 'p99(eod) < 50ms'],
      ['load thresholds', 'rate(errors) < 1%'],
      ['load thresholds', 'p50(rcpt) < 5ms'],
    ]);
    expect(startTags(xml, 'failure')).toEqual([
      { type: 'threshold', message: 'rate(errors) was 3.2%, over 1%' },
      { type: 'threshold', message: 'p50(rcpt) < 5ms crossed: actual no value' },
    ]);
    expect(xml).toContain('<system-out>actual: 12.5ms\n</system-out>');
  });
});

// Reports of real runs, through the library path the CLI uses.
async function suitesOf(...files: string[]): Promise<Suite[]> {
  return Promise.all(
    files.map(async (file) => {
      const loaded = loadSuite(file, await readFile(repoPath(file), 'utf8'));
      if (!loaded.suite) throw new Error(`${file} does not load`);
      return loaded.suite;
    }),
  );
}

async function realReport(
  port: number,
  suites: Suite[],
  options: Parameters<typeof runAgainst>[2] = {},
): Promise<ConformanceReport> {
  const run = await runAgainst(port, suites, options);
  return buildConformanceReport({
    tool: { name: 'smtpgauge', version: '0.0.0-test' },
    target: { host: '127.0.0.1', port, banner: null, capabilities: [] },
    startedAt: new Date(),
    durationMs: 1234,
    interrupted: run.interrupted,
    gate: 'must',
    suites: run.suites,
  });
}

async function scripted(...defects: Defect[]): Promise<number> {
  const server = await startScriptedServer({ defects });
  closers.push(() => server.close());
  return server.port;
}

describe('JUnit of real runs validates against junit-10.xsd', () => {
  it('the embedded target with AUTH cases: valid, counts agree, the password never appears', async () => {
    const target = await startReferenceTarget();
    closers.push(() => target.close());
    const { user, pass } = REFERENCE_CREDENTIALS;
    const auth = loadSuite(
      'auth.yaml',
      yamlText(
        'suite: auth-check',
        'title: AUTH with the run credentials',
        "rfc: '4954'",
        'cases:',
        ...['PLAIN', 'LOGIN'].flatMap((mechanism) => [
          `  - id: auth-${mechanism.toLowerCase()}`,
          `    title: AUTH ${mechanism} succeeds`,
          "    section: '4'",
          '    level: must',
          '    steps:',
          '      - ehlo',
          `      - auth: ${mechanism}`,
        ]),
      ),
    ).suite!;
    const r = await realReport(
      target.port,
      [auth, ...(await suitesOf('suites/rfc5321/noop.yaml'))],
      { credentials: { user, pass } },
    );
    expect(r.summary.counts.passed).toBeGreaterThanOrEqual(4);
    const xml = renderJunit(r);
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expectCountsOf(xml, r);
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    for (const secret of [pass, b64(`\0${user}\0${pass}`), b64(pass)])
      expect(xml, secret).not.toContain(secret);
    expect(xml).toContain('C: AUTH PLAIN &lt;redacted&gt;');
  });

  it('a broken server: MUST failures, a SHOULD failure below the gate, and an error', async () => {
    const port = await scripted('rcpt-before-mail-accepted', 'unknown-verb-250');
    const r = await realReport(
      port,
      await suitesOf('suites/rfc5321/sequencing.yaml', 'suites/rfc5321/unknown-commands.yaml'),
    );
    expect(r.summary.gatingFailures).toBeGreaterThanOrEqual(3);
    expect(r.summary.counts.failed).toBeGreaterThan(r.summary.gatingFailures);
    const xml = renderJunit(r);
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expectCountsOf(xml, r);
    expect(startTags(xml, 'failure')).toContainEqual({
      type: 'must',
      message: expect.stringMatching(
        /^expected 503 to RCPT TO:<postmaster@example\.test>, got 250/,
      ),
    });
    expect(xml).toContain('at suites/rfc5321/sequencing.yaml:14:9 (step 2)');
    expect(startTags(xml, 'skipped').map((t) => t.type)).toContain('warning');

    const silent = await scripted('never-answers');
    const stalled = await realReport(silent, await suitesOf('suites/rfc5321/sequencing.yaml'), {
      replyMs: 300,
    });
    expect(stalled.summary.counts.error).toBeGreaterThan(0);
    const stalledXml = renderJunit(stalled);
    expect(await junitSchemaErrors(stalledXml)).toEqual([]);
    expectCountsOf(stalledXml, stalled);
    expect(startTags(stalledXml, 'error')[0]!.message).toMatch(/^not run: /);
    expect(stalledXml).toContain('(no reply in time)');
  });

  it('a server whose replies carry control bytes and "]]>"', async () => {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.write('220 hostile.test ESMTP\r\n');
      socket.on('data', (chunk) => {
        for (const line of chunk.toString('latin1').split('\r\n').filter(Boolean)) {
          if (/^QUIT/i.test(line)) return void socket.end('221 bye\r\n');
          if (/^EHLO/i.test(line)) socket.write('250 hostile.test\r\n');
          else socket.write('500 \x00\x01\x1b[2K]]><!-- &amp; \x0b\xff\r\n', 'latin1');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    const port = (server.address() as { port: number }).port;
    const r = await realReport(port, await suitesOf('suites/rfc5321/noop.yaml'));
    const xml = renderJunit(r);
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expectCountsOf(xml, r);
    expect(r.summary.counts.failed).toBeGreaterThan(0);
    expect(xml).not.toContain(']]>');
    expect(unescapeXml(xml)).toContain(']]><!-- &amp;');
  });
});
