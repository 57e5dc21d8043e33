import { isMap, isSeq } from 'yaml';
import type { SourceSpan } from '../core/span.js';
import { checkByteString } from './byte-string.js';
import { checkTemplate } from './check-template.js';
import type { LoadContext } from './load-context.js';
import type { ExpectDeliveredStep } from './model.js';
import {
  getDuration,
  getInteger,
  getList,
  getString,
  readMapping,
  typeError,
} from './yaml-nodes.js';
import type { Field } from './yaml-nodes.js';

/**
 * `expect-delivered` (docs/suite-format.md, "Delivered mail"):
 *
 *   expect-delivered: N                      exactly N messages carry ${token}
 *   expect-delivered:
 *     count: N            default 1
 *     match: TEXT         default ${token}; a byte string
 *     from: ADDRESS       only messages with this envelope sender count
 *     within: DURATION    default 10s: how long to wait for the N messages
 *     settle: DURATION    default 1s: how long no further message may follow
 *     contains: BYTES | [BYTES …]       every matching message holds each
 *     not-contains: BYTES | [BYTES …]   and none of these
 */
const KEYS = ['count', 'match', 'from', 'within', 'settle', 'contains', 'not-contains'] as const;
const MAX_COUNT = 1_000;
export const DELIVERY_DEFAULTS = { match: '${token}', withinMs: 10_000, settleMs: 1_000 } as const;

export function buildExpectDelivered(
  ctx: LoadContext,
  value: Field,
  span: SourceSpan,
): ExpectDeliveredStep | undefined {
  const base = { kind: 'expect-delivered', span, ...DELIVERY_DEFAULTS } as const;
  if (!value.node || !isMap(value.node)) {
    const count = getInteger(ctx, value, 0, MAX_COUNT);
    return count === undefined ? undefined : { ...base, count, contains: [], notContains: [] };
  }
  const entries = readMapping(ctx, value, { what: 'expect-delivered', keys: KEYS });
  if (!entries) return undefined;
  const countField = entries.get('count');
  const count = countField ? getInteger(ctx, countField, 0, MAX_COUNT) : 1;
  const matchField = entries.get('match');
  const match = matchField ? byteTemplate(ctx, matchField) : DELIVERY_DEFAULTS.match;
  const fromField = entries.get('from');
  const from = fromField && getString(ctx, fromField);
  if (fromField && from !== undefined) checkTemplate(ctx, fromField, from, { inRepeat: false });
  const withinField = entries.get('within');
  const withinMs = withinField ? getDuration(ctx, withinField) : DELIVERY_DEFAULTS.withinMs;
  const settleField = entries.get('settle');
  const settleMs = settleField ? getDuration(ctx, settleField) : DELIVERY_DEFAULTS.settleMs;
  const contains = byteList(ctx, entries.get('contains'));
  const notContains = byteList(ctx, entries.get('not-contains'));
  if (
    count === undefined ||
    match === undefined ||
    withinMs === undefined ||
    settleMs === undefined ||
    (fromField && from === undefined) ||
    !contains ||
    !notContains
  )
    return undefined;
  const step: ExpectDeliveredStep = {
    ...base,
    count,
    match,
    withinMs,
    settleMs,
    contains,
    notContains,
  };
  if (from !== undefined) step.from = from;
  return step;
}

/** One byte string, or a list of them; absent = none. */
function byteList(ctx: LoadContext, field: Field | undefined): string[] | undefined {
  if (!field) return [];
  const items = field.node && isSeq(field.node) ? getList(ctx, field) : [field];
  if (!items) return undefined;
  const values = items.map((item) => byteTemplate(ctx, item));
  return values.every((v): v is string => v !== undefined) ? values : undefined;
}

function byteTemplate(ctx: LoadContext, field: Field): string | undefined {
  const text = getString(ctx, field);
  if (text === undefined) return undefined;
  if (text === '') {
    typeError(ctx, field, 'a non-empty byte string');
    return undefined;
  }
  checkTemplate(ctx, field, text, { inRepeat: false });
  checkByteString(ctx, field, text);
  return text;
}
