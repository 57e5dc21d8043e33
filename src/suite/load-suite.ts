import type { Diagnostic } from '../core/diagnostic.js';
import { parseYamlFile, sortDiagnostics } from './load-context.js';
import type { LoadContext } from './load-context.js';
import { AUTH_VARS, CASE_VARS, DEFAULT_VARS, PROTOCOLS, SIZE_VARS } from './model.js';
import type { Suite } from './model.js';
import { getId, getReference, parseCases } from './parse-case.js';
import { parseVars } from './parse-vars.js';
import { getKeyword, getString, isNothing, readMapping } from './yaml-nodes.js';
import type { Field } from './yaml-nodes.js';

/**
 * Loads one suite file (docs/suite-format.md): YAML text → validated `Suite` model.
 *
 *   suite file = { suite: ID, title: TEXT, cases: [case…], rfc?: "NNNN", protocol?: smtp|lmtp,
 *                  vars?: { NAME: VALUE… } }
 *
 * Every problem is reported, each with its place; the suite is returned only when there are no
 * errors (warnings allowed). YAML syntax errors are reported alone: the tree YAML recovers from
 * broken syntax is not reliable enough to check further. No file IO: the caller passes the text.
 */
const SUITE_KEYS = ['suite', 'title', 'rfc', 'protocol', 'vars', 'cases'] as const;
const REQUIRED = ['suite', 'title', 'cases'] as const;

export interface LoadSuiteOptions {
  /** More variable names the run defines (e.g. from `--var name=value`). */
  extraVars?: string[];
}

export interface LoadSuiteResult {
  suite?: Suite;
  /** Sorted by their place in the file. */
  diagnostics: Diagnostic[];
}

export function loadSuite(
  file: string,
  text: string,
  options: LoadSuiteOptions = {},
): LoadSuiteResult {
  const { ctx, syntaxOk } = parseYamlFile(file, text, 'suite');
  if (!syntaxOk) return { diagnostics: sortDiagnostics(ctx.diagnostics) };
  const known = [
    ...Object.keys(DEFAULT_VARS),
    ...AUTH_VARS,
    ...SIZE_VARS,
    ...CASE_VARS,
    ...(options.extraVars ?? []),
  ];
  for (const name of known) ctx.knownVars.add(name);
  const suite = buildSuite(ctx);
  const diagnostics = sortDiagnostics(ctx.diagnostics);
  return { ...(suite && !ctx.hasErrors() ? { suite } : {}), diagnostics };
}

function buildSuite(ctx: LoadContext): Suite | undefined {
  const root = ctx.doc.contents;
  const field: Field = { label: 'the suite file', node: root, span: ctx.span(0, 0) };
  if (isNothing(root)) {
    const hint = 'start with suite: ID, title: TEXT and cases: [...] (see docs/suite-format.md)';
    ctx.error(ctx.span(0, 0), 'empty suite', 'the file holds no suite', hint);
    return undefined;
  }
  const entries = readMapping(ctx, field, { what: 'suite', keys: SUITE_KEYS, required: REQUIRED });
  if (!entries) return undefined;
  const get = (key: string) => entries.get(key);
  const idField = get('suite');
  const id = idField && getId(ctx, idField);
  const titleField = get('title');
  const title = titleField && getString(ctx, titleField);
  const rfcField = get('rfc');
  const rfc = rfcField && getReference(ctx, rfcField);
  const varsField = get('vars');
  const vars = varsField ? parseVars(ctx, varsField) : {};
  const protocolField = get('protocol');
  const protocol = protocolField ? getKeyword(ctx, protocolField, PROTOCOLS) : 'smtp';
  const casesField = get('cases');
  // An invalid suite `rfc` is reported once, not again as missing from every case.
  const defaults = rfcField ? { rfc: rfc ?? '' } : {};
  const cases = casesField ? parseCases(ctx, casesField, defaults) : [];
  if (id === undefined || title === undefined || protocol === undefined) return undefined;
  const span = ctx.span(root!.range?.[0] ?? 0, root!.range?.[1] ?? 0);
  return { id, title, rfc: rfc ?? '', file: ctx.file, protocol, vars, cases, span };
}
