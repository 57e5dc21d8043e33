import type { CaseStatus } from '../dialogue/case-result.js';
import { LEVEL_ORDER, SCHEMA_VERSION } from './conformance-report.js';
import type { GaugeResult } from './formats.js';

/**
 * Reads a stored `report.json` back for re-rendering (`smtpgauge report`). The check is shallow
 * but covers every field a renderer reads, so a file that passes renders without a crash; the
 * first problem is named by its JSON path:
 *
 * ```
 * not a smtpgauge result: conformance.suites[0].cases[3].status is "ok", expected one of passed, failed, skipped, error
 * ```
 */
export type StoredResult = { ok: true; report: GaugeResult } | { ok: false; problem: string };

const STATUSES: readonly CaseStatus[] = ['passed', 'failed', 'skipped', 'error'];

type Json = unknown;

export function parseStoredResult(text: string): StoredResult {
  let value: Json;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not JSON: ${(error as Error).message}` };
  }
  const version = field(value, 'schemaVersion');
  if (typeof version === 'number' && version > SCHEMA_VERSION)
    return {
      ok: false,
      problem: `written by a newer smtpgauge (schemaVersion ${version}; this one reads ${SCHEMA_VERSION})`,
    };
  const problem = resultProblem(value);
  return problem === undefined
    ? { ok: true, report: value as GaugeResult }
    : { ok: false, problem: `not a smtpgauge result: ${problem}` };
}

function resultProblem(value: Json): string | undefined {
  if (field(value, 'schemaVersion') !== SCHEMA_VERSION)
    return `schemaVersion is ${show(field(value, 'schemaVersion'))}, expected ${SCHEMA_VERSION}`;
  return (
    expectType(value, 'tool.name', 'string') ??
    expectType(value, 'target.host', 'string') ??
    expectType(value, 'target.port', 'number') ??
    expectType(value, 'startedAt', 'string') ??
    expectType(value, 'durationMs', 'number') ??
    expectType(value, 'interrupted', 'boolean') ??
    (field(value, 'load') !== undefined ? loadProblem(value) : conformanceProblem(value))
  );
}

function conformanceProblem(value: Json): string | undefined {
  return expectOneOf(value, 'summary.gate', LEVEL_ORDER) ?? suitesProblem(value);
}

/** A load result: the fields the renderers and `merge` read (load-report.ts). */
function loadProblem(value: Json): string | undefined {
  return (
    expectOneOf(value, 'summary.verdict', ['passed', 'failed', 'error']) ??
    expectType(value, 'load.workers', 'number') ??
    expectType(value, 'load.profile.id', 'string') ??
    expectType(value, 'load.snapshot.durationMs', 'number') ??
    expectType(value, 'load.snapshot.phases', 'object') ??
    expectType(value, 'load.snapshot.counters.messages.attempted', 'number') ??
    expectType(value, 'load.snapshot.series.intervalMs', 'number') ??
    expectType(value, 'load.health.saturated', 'boolean') ??
    listProblem(at(value, 'load.thresholds'), 'load.thresholds')
  );
}

function listProblem(list: Json, path: string): string | undefined {
  return Array.isArray(list) ? undefined : `${path} is ${show(list)}, expected a list`;
}

function suitesProblem(value: Json): string | undefined {
  const suites = at(value, 'conformance.suites');
  if (!Array.isArray(suites)) return `conformance.suites is ${show(suites)}, expected a list`;
  for (const [i, suite] of suites.entries()) {
    const path = `conformance.suites[${i}]`;
    const problem =
      ['id', 'title', 'file', 'rfc']
        .map((key) => expectType(suite, key, 'string', path))
        .find((p) => p !== undefined) ?? casesProblem(suite, path);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function casesProblem(suite: Json, suitePath: string): string | undefined {
  const cases = field(suite, 'cases');
  if (!Array.isArray(cases)) return `${suitePath}.cases is ${show(cases)}, expected a list`;
  for (const [i, c] of cases.entries()) {
    const path = `${suitePath}.cases[${i}]`;
    const problem =
      ['id', 'title', 'rfc', 'section', 'reason']
        .map((key) => expectType(c, key, 'string', path))
        .find((p) => p !== undefined) ??
      expectOneOf(c, 'level', LEVEL_ORDER, path) ??
      expectOneOf(c, 'status', STATUSES, path) ??
      expectType(c, 'durationMs', 'number', path) ??
      transcriptProblem(field(c, 'transcript'), `${path}.transcript`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function transcriptProblem(transcript: Json, path: string): string | undefined {
  if (!Array.isArray(transcript)) return `${path} is ${show(transcript)}, expected a list`;
  const bad = transcript.findIndex(
    (e) => typeof field(e, 'text') !== 'string' || typeof field(e, 'atMicros') !== 'number',
  );
  return bad < 0 ? undefined : `${path}[${bad}] is not a transcript entry {dir, atMicros, text}`;
}

function expectType(value: Json, path: string, type: string, prefix = ''): string | undefined {
  const found = at(value, path);
  return typeof found === type
    ? undefined
    : `${join(prefix, path)} is ${show(found)}, expected a ${type}`;
}

function expectOneOf(
  value: Json,
  path: string,
  allowed: readonly string[],
  prefix = '',
): string | undefined {
  const found = at(value, path);
  return typeof found === 'string' && allowed.includes(found)
    ? undefined
    : `${join(prefix, path)} is ${show(found)}, expected one of ${allowed.join(', ')}`;
}

function at(value: Json, path: string): Json {
  return path.split('.').reduce<Json>((v, key) => field(v, key), value);
}

function field(value: Json, key: string): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, Json>)[key]
    : undefined;
}

function join(prefix: string, path: string): string {
  return prefix ? `${prefix}.${path}` : path;
}

function show(value: Json): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
