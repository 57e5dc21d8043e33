import { isMap, isScalar, isSeq } from 'yaml';
import type { LoadContext } from './load-context.js';
import { formatShare, formatSize, getShare, getSize } from './parse-profile-values.js';
import { DEFAULT_SIZE_DISTRIBUTION, PROFILE_DEFAULTS, PROFILE_LIMITS } from './profile-model.js';
import type { Distribution, MessageMix } from './profile-model.js';
import {
  getBoolean,
  getInteger,
  getList,
  hadRejectedKeys,
  readMapping,
  typeError,
} from './yaml-nodes.js';
import type { Entry, Field } from './yaml-nodes.js';

/**
 * The `message:` section of a profile (docs/load-profile.md):
 *
 *   message     = { size?: sizes, recipients?: counts, attachments?: counts, shapes?: N,
 *                   8bit?: BOOL }
 *   sizes       = SIZE | default | { uniform: [SIZE, SIZE] }
 *               | { empirical: [ [SIZE, SHARE], … ] }    share of messages below each size
 *   counts      = N | { uniform: [N, N] }
 *
 * Defaults: size `default` (DEFAULT_SIZE_DISTRIBUTION), 1 recipient, 0 attachments, 64 shapes,
 * 8bit false. Uniform bounds are inclusive; the minimum may equal the maximum.
 */
const MESSAGE_KEYS = ['size', 'recipients', 'attachments', 'shapes', '8bit'] as const;
const SIZE_FORMS = ['uniform', 'empirical'] as const;
const COUNT_FORMS = ['uniform'] as const;

export function defaultMessageMix(): MessageMix {
  return {
    size: structuredClone(DEFAULT_SIZE_DISTRIBUTION),
    recipients: { kind: 'fixed', value: 1 },
    attachments: { kind: 'fixed', value: 0 },
    shapes: PROFILE_DEFAULTS.shapes,
    eightBit: false,
  };
}

export function parseMessageMix(ctx: LoadContext, field: Field): MessageMix | undefined {
  const entries = readMapping(ctx, field, { what: 'message', keys: MESSAGE_KEYS });
  if (!entries) return undefined;
  const mix = defaultMessageMix();
  const sizeField = entries.get('size');
  const size = sizeField ? parseSizes(ctx, sizeField) : mix.size;
  const recipientsField = entries.get('recipients');
  const recipients = recipientsField
    ? parseCounts(ctx, recipientsField, 1, PROFILE_LIMITS.maxRecipients)
    : mix.recipients;
  const attachmentsField = entries.get('attachments');
  const attachments = attachmentsField
    ? parseCounts(ctx, attachmentsField, 0, PROFILE_LIMITS.maxAttachments)
    : mix.attachments;
  const shapesField = entries.get('shapes');
  const shapes = shapesField
    ? getInteger(ctx, shapesField, 1, PROFILE_LIMITS.maxShapes)
    : mix.shapes;
  const eightBitField = entries.get('8bit');
  const eightBit = eightBitField ? getBoolean(ctx, eightBitField) : mix.eightBit;
  if (!size || !recipients || !attachments || shapes === undefined || eightBit === undefined)
    return undefined;
  return { size, recipients, attachments, shapes, eightBit };
}

function parseSizes(ctx: LoadContext, field: Field): Distribution | undefined {
  const node = field.node;
  if (node && isScalar(node) && typeof node.value === 'string' && node.value.trim() === 'default')
    return structuredClone(DEFAULT_SIZE_DISTRIBUTION);
  if (!node || !isMap(node)) {
    if (node && isSeq(node)) {
      const hint = 'write { uniform: [1KB, 8KB] } or { empirical: [[2KB, 0.25], …] }';
      typeError(ctx, field, 'a size, default, or a mapping', hint);
      return undefined;
    }
    const value = getSize(ctx, field);
    return value === undefined ? undefined : { kind: 'fixed', value };
  }
  const form = readForm(ctx, field, 'size distribution', SIZE_FORMS);
  if (!form) return undefined;
  if (form.key === 'uniform') return parseUniform(ctx, form, (f) => getSize(ctx, f));
  return parseEmpirical(ctx, form);
}

/** A whole number from `min` to `max`, or `{ uniform: [a, b] }` in that range. */
function parseCounts(
  ctx: LoadContext,
  field: Field,
  min: number,
  max: number,
): Distribution | undefined {
  const node = field.node;
  const read = (f: Field) => getInteger(ctx, f, min, max);
  if (!node || !isMap(node)) {
    const value = read(field);
    return value === undefined ? undefined : { kind: 'fixed', value };
  }
  const form = readForm(ctx, field, 'count distribution', COUNT_FORMS);
  return form && parseUniform(ctx, form, read);
}

/** The one key of a distribution mapping, or undefined (reported) when there is not exactly one. */
function readForm(
  ctx: LoadContext,
  field: Field,
  what: string,
  forms: readonly string[],
): Entry | undefined {
  const entries = readMapping(ctx, field, { what, keys: forms });
  if (!entries) return undefined;
  const given = [...entries.values()];
  if (given.length === 1) return given[0];
  if (given.length === 0 && hadRejectedKeys(field, entries)) return undefined;
  const span = given[1]?.keySpan ?? field.span;
  const found = given.length === 0 ? 'none' : `'${given[0]!.key}' and '${given[1]!.key}'`;
  const message = `a ${what} has exactly one of ${forms.join(', ')}, found ${found}`;
  ctx.error(
    span,
    'bad distribution',
    message,
    `write ${field.label.replace(/'/g, '')}: { ${forms[0]}: [MIN, MAX] }`,
  );
  return undefined;
}

function parseUniform(
  ctx: LoadContext,
  field: Field,
  read: (f: Field) => number | undefined,
): Distribution | undefined {
  const items = getList(ctx, field);
  if (!items) return undefined;
  if (items.length !== 2) {
    const message = `${field.label} must be [MIN, MAX], found ${items.length} value${items.length === 1 ? '' : 's'}`;
    ctx.error(field.span, 'bad distribution', message, 'write uniform: [1KB, 8KB]');
    return undefined;
  }
  const [minField, maxField] = items as [Field, Field];
  const min = read({ ...minField, label: `${field.label} minimum` });
  const max = read({ ...maxField, label: `${field.label} maximum` });
  if (min === undefined || max === undefined) return undefined;
  if (min > max) {
    const message = `${field.label} minimum is above its maximum`;
    ctx.error(field.span, 'bad distribution', message, 'write the smaller bound first');
    return undefined;
  }
  return { kind: 'uniform', min, max };
}

/**
 * `empirical: [[2KB, 0.235], [4KB, 0.492], …]`: each row gives the share of messages smaller
 * than its size. Sizes rise strictly, shares rise strictly, and the last share is 100%.
 */
function parseEmpirical(ctx: LoadContext, field: Field): Distribution | undefined {
  const rows = getList(ctx, field);
  if (!rows) return undefined;
  const points: { upTo: number; cumulative: number; row: Field }[] = [];
  let ok = true;
  for (const [i, row] of rows.entries()) {
    const label = `${field.label} row ${i + 1}`;
    const cells = row.node && isSeq(row.node) ? getList(ctx, { ...row, label }) : undefined;
    if (!cells || cells.length !== 2) {
      if (!cells) typeError(ctx, { ...row, label }, '[SIZE, SHARE]');
      else ctx.error(row.span, 'bad distribution', `${label} must be [SIZE, SHARE]`);
      ok = false;
      continue;
    }
    const upTo = getSize(ctx, { ...cells[0]!, label: `${label} size` });
    const cumulative = getShare(ctx, { ...cells[1]!, label: `${label} share` });
    if (upTo === undefined || cumulative === undefined) ok = false;
    else points.push({ upTo, cumulative, row });
  }
  if (!ok || !checkRising(ctx, field, points)) return undefined;
  return {
    kind: 'empirical',
    points: points.map(({ upTo, cumulative }) => ({ upTo, cumulative })),
  };
}

function checkRising(
  ctx: LoadContext,
  field: Field,
  points: { upTo: number; cumulative: number; row: Field }[],
): boolean {
  let ok = true;
  for (const [i, point] of points.entries()) {
    const before = points[i - 1];
    if (!before) continue;
    if (point.upTo <= before.upTo) {
      const message = `row ${i + 1}'s size ${formatSize(point.upTo)} is not above row ${i}'s ${formatSize(before.upTo)}`;
      ctx.error(
        point.row.span,
        'empirical table not rising',
        message,
        'list the rows by increasing size',
      );
      ok = false;
    } else if (point.cumulative <= before.cumulative) {
      const message = `row ${i + 1}'s share ${formatShare(point.cumulative)} is not above row ${i}'s ${formatShare(before.cumulative)}`;
      const hint = 'each share counts the messages below its size, so shares rise row by row';
      ctx.error(point.row.span, 'empirical table not rising', message, hint);
      ok = false;
    }
  }
  const last = points.at(-1);
  if (ok && last && Math.abs(last.cumulative - 1) > 1e-9) {
    const message = `the last row's share must be 100%, found ${formatShare(last.cumulative)}`;
    const hint = `add a last row [SIZE, 100%] for the largest messages`;
    ctx.error(last.row.span, 'empirical table incomplete', message, hint);
    ok = false;
  }
  if (ok && last) last.cumulative = 1;
  return ok;
}
