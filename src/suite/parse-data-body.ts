import { isMap, isScalar } from 'yaml';
import { checkByteString } from './byte-string.js';
import { checkTemplate } from './check-template.js';
import type { LoadContext } from './load-context.js';
import type { DataBody } from './model.js';
import {
  getInteger,
  getString,
  hadRejectedKeys,
  isNothing,
  readMapping,
  typeError,
} from './yaml-nodes.js';
import type { Field } from './yaml-nodes.js';

/**
 * The body of a `data` step (docs/suite-format.md, "DATA bodies"):
 *
 *   body     = TEXT                                      shorthand for { text: TEXT }
 *            | { text: TEXT }                            lines joined with CRLF, dot-stuffed
 *            | { generate: { size: N, line-length: L } } L defaults to 76
 *            | { raw: BYTES }                            sent as written
 */
const BODY_KINDS = ['text', 'generate', 'raw'] as const;
const GENERATE_KEYS = ['size', 'line-length'] as const;
export const DEFAULT_LINE_LENGTH = 76;
/** RFC 5321 §4.5.3.1.6: 998 octets per line before the CRLF. */
const MAX_LINE_LENGTH = 998;
const MAX_SIZE = 1 << 30;
/** A generated message carries about 250 octets of headers; smaller sizes cannot be honoured. */
const MIN_SIZE = 512;

const NO_SCOPE = { inRepeat: false };

export function parseDataBody(ctx: LoadContext, field: Field): DataBody | undefined {
  const node = field.node;
  if (isNothing(node)) {
    const hint = 'write data: "Subject: hi\\n\\nbody", or data: { generate: { size: 1000 } }';
    ctx.error(field.span, 'missing body', "'data' needs a message body", hint);
    return undefined;
  }
  if (node && isScalar(node)) {
    const text = getString(ctx, field);
    if (text === undefined) return undefined;
    checkTemplate(ctx, field, text, NO_SCOPE);
    return { kind: 'text', text };
  }
  if (!node || !isMap(node)) {
    typeError(ctx, field, 'a text or a mapping with one of text, generate, raw');
    return undefined;
  }
  return parseBodyMapping(ctx, field);
}

function parseBodyMapping(ctx: LoadContext, field: Field): DataBody | undefined {
  const entries = readMapping(ctx, field, { what: 'data body', keys: BODY_KINDS });
  if (!entries) return undefined;
  const given = [...entries.values()];
  if (given.length === 0) {
    if (hadRejectedKeys(field, entries)) return undefined;
    const message = `this data body has none of ${BODY_KINDS.join(', ')}`;
    ctx.error(field.span, 'missing body', message, 'give exactly one of them');
    return undefined;
  }
  if (given.length > 1) {
    const message = `'${given[1]!.key}' and '${given[0]!.key}' in one data body`;
    ctx.error(given[1]!.keySpan, 'two bodies', message, 'give exactly one of text, generate, raw');
    return undefined;
  }
  const entry = given[0]!;
  if (entry.key === 'generate') return parseGenerate(ctx, entry);
  const value = getString(ctx, entry);
  if (value === undefined) return undefined;
  checkTemplate(ctx, entry, value, NO_SCOPE);
  if (entry.key === 'text') return { kind: 'text', text: value };
  checkByteString(ctx, entry, value);
  return { kind: 'raw', bytes: value };
}

/** A number of octets, or a template such as `${size_over}` resolved at run time. */
function getSize(ctx: LoadContext, field: Field): number | string | undefined {
  const node = field.node;
  if (node && isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
    checkTemplate(ctx, field, node.value, { inRepeat: false });
    return node.value;
  }
  return getInteger(ctx, field, MIN_SIZE, MAX_SIZE);
}

function parseGenerate(ctx: LoadContext, field: Field): DataBody | undefined {
  const spec = { what: 'generate', keys: GENERATE_KEYS, required: ['size'] };
  const entries = readMapping(ctx, field, spec);
  if (!entries) return undefined;
  const sizeField = entries.get('size');
  const size = sizeField && getSize(ctx, sizeField);
  const lineField = entries.get('line-length');
  const lineLength = lineField
    ? getInteger(ctx, lineField, 1, MAX_LINE_LENGTH)
    : DEFAULT_LINE_LENGTH;
  if (size === undefined || lineLength === undefined) return undefined;
  return { kind: 'generated', size, lineLength };
}
