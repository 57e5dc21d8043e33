import { LineCounter, parseDocument } from 'yaml';
import type { Diagnostic } from '../core/diagnostic.js';
import type { SourceSpan } from '../core/span.js';
import { didYouMean } from '../core/did-you-mean.js';
import { LoadContext } from './load-context.js';
import { getList, getString, isNothing, readMapping, type Field } from './yaml-nodes.js';

/**
 * A baseline: the known deviations of one target, accepted so that they do not fail the run,
 * yet still reported (docs/baseline.md).
 *
 *   baseline file = { deviations: [ { case: "SUITE/CASE", reason: TEXT } … ] }
 */
export interface BaselineEntry {
  /** `suite-id/case-id`, as in reports. */
  caseId: string;
  reason: string;
  span: SourceSpan;
}

export interface Baseline {
  file: string;
  entries: BaselineEntry[];
}

const CASE_ID = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/;

/** Parses a baseline; every problem is reported with its place. No file IO. */
export function loadBaseline(
  file: string,
  text: string,
): { baseline?: Baseline; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const ctx = new LoadContext(file, text, doc, lines);
  for (const e of doc.errors)
    ctx.error(ctx.span(e.pos[0], e.pos[1]), 'YAML syntax error', e.message.split('\n')[0]!);
  if (doc.errors.length > 0) return { diagnostics: ctx.diagnostics };
  const root: Field = { label: 'the baseline file', node: doc.contents, span: ctx.span(0, 0) };
  if (isNothing(doc.contents)) {
    ctx.error(
      root.span,
      'empty baseline',
      'the file holds no deviations',
      'write deviations: [ { case: SUITE/CASE, reason: TEXT } ]',
    );
    return { diagnostics: ctx.diagnostics };
  }
  const entries = readMapping(ctx, root, {
    what: 'baseline',
    keys: ['deviations'],
    required: ['deviations'],
  });
  const list = entries?.get('deviations');
  const items = list ? (getList(ctx, list, true) ?? []) : [];
  const parsed = items
    .map((item) => parseEntry(ctx, item))
    .filter((e): e is BaselineEntry => e !== undefined);
  reportDuplicates(ctx, parsed);
  return {
    ...(ctx.hasErrors() ? {} : { baseline: { file, entries: parsed } }),
    diagnostics: ctx.diagnostics,
  };
}

function parseEntry(ctx: LoadContext, item: Field): BaselineEntry | undefined {
  const entries = readMapping(ctx, item, {
    what: 'deviation',
    keys: ['case', 'reason'],
    required: ['case', 'reason'],
  });
  const caseField = entries?.get('case');
  const reasonField = entries?.get('reason');
  const caseId = caseField && getString(ctx, caseField);
  const reason = reasonField && getString(ctx, reasonField);
  if (caseField && caseId !== undefined && !CASE_ID.test(caseId)) {
    ctx.error(
      caseField.span,
      'bad case id',
      `'${caseId}' is not SUITE/CASE`,
      'e.g. rfc5321-mail/mail-null-reverse-path',
    );
    return undefined;
  }
  if (reasonField && reason !== undefined && reason.trim() === '') {
    ctx.error(reasonField.span, 'empty reason', 'say why this deviation is accepted');
    return undefined;
  }
  if (caseId === undefined || reason === undefined || !caseField) return undefined;
  return { caseId, reason, span: caseField.span };
}

function reportDuplicates(ctx: LoadContext, entries: BaselineEntry[]): void {
  const seen = new Map<string, BaselineEntry>();
  for (const entry of entries) {
    const first = seen.get(entry.caseId);
    if (first)
      ctx.error(
        entry.span,
        'duplicate deviation',
        `'${entry.caseId}' is already listed on line ${first.span.line}`,
      );
    else seen.set(entry.caseId, entry);
  }
}

/** Diagnostics for entries that name no known case, with the closest known id as a hint. */
export function unknownBaselineCases(
  baseline: Baseline,
  knownIds: readonly string[],
): Diagnostic[] {
  const known = new Set(knownIds);
  return baseline.entries
    .filter((entry) => !known.has(entry.caseId))
    .map((entry) => ({
      severity: 'error' as const,
      title: 'unknown case',
      message: `no case '${entry.caseId}' in the suites of this run`,
      span: entry.span,
      ...(didYouMean(entry.caseId, knownIds) ? { hint: didYouMean(entry.caseId, knownIds)! } : {}),
    }));
}
