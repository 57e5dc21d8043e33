import type { CaseResult, SuiteResult } from '../dialogue/case-result.js';
import type { TranscriptEntry } from '../protocol/transcript-types.js';
import type { Level } from '../suite/model.js';
import { isGated, type ConformanceReport } from './conformance-report.js';
import {
  renderJunitDocument,
  type JunitCase,
  type JunitOutcome,
  type JunitSuite,
} from './junit-xml.js';

/**
 * `junit.xml`: a conformance result for a CI's test view (docs/report-format.md, "JUnit"),
 * valid against the Jenkins xunit-plugin junit-10.xsd. One `<testsuite>` per suite, one
 * `<testcase>` per case:
 *
 * ```xml
 * <?xml version="1.0" encoding="UTF-8"?>
 * <testsuites name="smtpgauge" tests="2" failures="1" errors="0" time="4.180">
 *   <testsuite name="rfc5321-rcpt" tests="2" failures="1" errors="0" skipped="0" time="0.110" timestamp="2026-11-23T10:00:00.000Z" hostname="127.0.0.1:40123">
 *     <properties>
 *       <property name="title" value="RFC 5321: the RCPT command"/>
 *       <property name="file" value="suites/rfc5321/rcpt.yaml"/>
 *       <property name="rfc" value="5321"/>
 *       <property name="gate" value="must"/>
 *     </properties>
 *     <testcase classname="rfc5321-rcpt" name="rcpt-before-mail: RCPT without a transaction is refused with 503 (RFC 5321 §3.3)" time="0.003">
 *       <failure type="must" message="expected 503 to RCPT TO:&lt;postmaster@example.test&gt;, got 250 OK">expected: 503 to RCPT TO:&lt;postmaster@example.test&gt;
 * actual:   250 OK
 * at suites/rfc5321/rcpt.yaml:14:9 (step 2)</failure>
 *       <system-out>rfc5321-rcpt/rcpt-before-mail  RFC 5321 §3.3  level must
 *     0.412 ms  S: 220 mx.example.test ESMTP
 *     0.530 ms  C: EHLO client.example.test
 * </system-out>
 *     </testcase>
 *   </testsuite>
 * </testsuites>
 * ```
 *
 * The status of a case picks the element; a failure that does not gate the run is `<skipped>`,
 * so the CI's view shows it without failing the build, as the exit code does:
 *
 * | case | element |
 * |---|---|
 * | passed | none |
 * | failed, at or above the gate | `<failure type="LEVEL">` |
 * | failed, below the gate | `<skipped type="warning">` (SHOULD) or `type="note"` (MAY, INFO) |
 * | failed, accepted by the baseline | `<skipped type="known-deviation">` |
 * | error | `<error type="error">` |
 * | skipped | `<skipped>` with the reason |
 */
export function renderJunit(report: ConformanceReport): string {
  return renderJunitDocument(conformanceJunitSuites(report), report.durationMs / 1000);
}

/** A load threshold's verdict, as the load result will carry it. */
export interface ThresholdVerdict {
  expression: string;
  ok: boolean;
  actual?: number;
  unit?: string;
  reason?: string;
}

/** Where and when the load run happened, for the `<testsuite>` attributes. */
export interface LoadJunitMeta {
  /** ISO 8601 start of the run. */
  startedAt: string;
  target: { host: string; port: number };
  durationMs: number;
}

export const LOAD_THRESHOLDS_SUITE = 'load thresholds';

/**
 * `junit.xml` for a load run: one `<testsuite name="load thresholds">`, one `<testcase>` per
 * threshold, `<failure type="threshold">` for a threshold that was crossed.
 */
export function renderLoadJunit(
  thresholds: readonly ThresholdVerdict[],
  meta: LoadJunitMeta,
): string {
  return renderJunitDocument([thresholdJunitSuite(thresholds, meta)], meta.durationMs / 1000);
}

/** The conformance suites as JUnit suites (to combine with a threshold suite in one file). */
export function conformanceJunitSuites(report: ConformanceReport): JunitSuite[] {
  const hostname = hostPort(report.target);
  const gate = report.summary.gate;
  return report.conformance.suites.map((suite) => ({
    name: suite.id,
    timestamp: report.startedAt,
    hostname,
    properties: [
      ['title', suite.title],
      ['file', suite.file],
      ['rfc', suite.rfc],
      ['gate', gate],
      ...(report.interrupted ? [['interrupted', 'true'] as const] : []),
    ],
    cases: suite.cases.map((result) => junitCase(suite, result, gate)),
  }));
}

export function thresholdJunitSuite(
  thresholds: readonly ThresholdVerdict[],
  meta: LoadJunitMeta,
): JunitSuite {
  return {
    name: LOAD_THRESHOLDS_SUITE,
    timestamp: meta.startedAt,
    hostname: hostPort(meta.target),
    properties: [],
    cases: thresholds.map((t) => {
      const actual = t.actual === undefined ? 'no value' : `${t.actual}${t.unit ?? ''}`;
      return {
        classname: LOAD_THRESHOLDS_SUITE,
        name: t.expression,
        seconds: 0,
        systemOut: `actual: ${actual}\n`,
        ...(t.ok
          ? {}
          : {
              outcome: {
                element: 'failure',
                type: 'threshold',
                message: t.reason ?? `${t.expression} crossed: actual ${actual}`,
              },
            }),
      } satisfies JunitCase;
    }),
  };
}

function junitCase(suite: SuiteResult, result: CaseResult, gate: Level): JunitCase {
  const outcome = outcomeOf(result, gate);
  return {
    classname: suite.id,
    name: `${result.id}: ${result.title} (RFC ${result.rfc} §${result.section})`,
    seconds: result.durationMs / 1000,
    ...(outcome ? { outcome } : {}),
    systemOut: systemOut(suite, result),
  };
}

function outcomeOf(result: CaseResult, gate: Level): JunitOutcome | undefined {
  switch (result.status) {
    case 'passed':
      return undefined;
    case 'skipped':
      return { element: 'skipped', message: result.reason };
    case 'error':
      return { element: 'error', type: 'error', message: result.reason, text: details(result) };
    case 'failed':
      return failureOf(result, gate);
  }
}

function failureOf(result: CaseResult, gate: Level): JunitOutcome {
  const text = details(result);
  if (result.accepted)
    return {
      element: 'skipped',
      type: 'known-deviation',
      message: `known deviation (${result.accepted.reason}): ${result.reason}`,
      text,
    };
  if (isGated(result.level, gate))
    return { element: 'failure', type: result.level, message: result.reason, text };
  const warning = result.level === 'must' || result.level === 'should';
  return {
    element: 'skipped',
    type: warning ? 'warning' : 'note',
    message: `${warning ? 'warning' : 'note'}: ${result.level} case failed below the gate (${gate}): ${result.reason}`,
    text,
  };
}

/** Expected, actual and place of a failure, or the reason alone. */
function details(result: CaseResult): string {
  const f = result.failure;
  if (!f) return result.reason;
  const step = f.step === 0 ? 'greeting' : `step ${f.step}`;
  return [
    `expected: ${f.expected}`,
    `actual:   ${f.actual}${f.timedOut ? ' (no reply in time)' : ''}`,
    `at ${f.location} (${step})`,
  ].join('\n');
}

/** A header naming the case, then the transcript (redacted and escaped when it was recorded). */
function systemOut(suite: SuiteResult, result: CaseResult): string {
  const head = `${suite.id}/${result.id}  RFC ${result.rfc} §${result.section}  level ${result.level}`;
  return [head, ...result.transcript.map(transcriptLine)].join('\n') + '\n';
}

function transcriptLine(entry: TranscriptEntry): string {
  return `${(entry.atMicros / 1000).toFixed(3).padStart(9)} ms  ${entry.dir}: ${entry.text}`;
}

function hostPort(target: { host: string; port: number }): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${host}:${target.port}`;
}
