import { isScalar, Scalar } from 'yaml';
import { decodeEscapes } from '../core/escapes.js';
import type { LoadContext } from './load-context.js';
import { locateInScalar, nodeSpan } from './yaml-nodes.js';
import type { Field } from './yaml-nodes.js';

/**
 * Checks a byte string (`raw:`, `data: {raw: …}`; escapes in src/core/escapes.ts). Every bad
 * escape is reported at its backslash. In a double-quoted scalar YAML has already decoded its
 * own escapes, and `"\xc3"` became the character U+00C3 rather than the byte 0xC3, so `\x`
 * there is refused in favour of single quotes.
 */
export function checkByteString(ctx: LoadContext, field: Field, value: string): void {
  const node = field.node;
  if (!node || !isScalar(node)) return;
  if (node.type === Scalar.QUOTE_DOUBLE) checkDoubleQuoted(ctx, node);
  let start = 0;
  while (start < value.length) {
    const result = decodeEscapes(value.slice(start));
    if (result.ok) return;
    const offset = start + result.offset;
    ctx.error(backslashSpan(ctx, node, value, offset), 'bad escape', result.message);
    start = offset + 2;
  }
}

/** Reports each YAML `\x` escape written inside double quotes. */
function checkDoubleQuoted(ctx: LoadContext, node: Scalar): void {
  if (!node.range) return;
  const source = ctx.text.slice(node.range[0], node.range[1]);
  for (let i = 0; i < source.length; i++) {
    if (source[i] !== '\\') continue;
    if (source[i + 1] === 'x') {
      const at = node.range[0] + i;
      const escape = source.slice(i, i + 4);
      const message = `YAML decodes "${escape}" in double quotes to a character, not to a byte`;
      const hint = `use single quotes ('…'), where smtpgauge decodes \\xHH to one byte`;
      ctx.error(ctx.span(at, at + 4), 'escape in double quotes', message, hint);
    }
    i++;
  }
}

/**
 * Where the backslash at `offset` of the decoded value was written. In plain, single-quoted and
 * block scalars backslashes are literal, so the k-th in the value is the k-th in the source; in
 * double quotes a literal backslash is written `\\`.
 */
function backslashSpan(ctx: LoadContext, node: Scalar, value: string, offset: number) {
  if (node.type !== Scalar.QUOTE_DOUBLE) {
    const span = locateInScalar(ctx, node, offset, '\\');
    return span.length === 1 ? { ...span, length: 2 } : span;
  }
  if (!node.range) return nodeSpan(ctx, node, ctx.span(0, 0));
  const k = [...value.slice(0, offset)].filter((c) => c === '\\').length;
  const source = ctx.text.slice(node.range[0], node.range[1]);
  let seen = 0;
  for (let i = 0; i < source.length; i++) {
    if (source[i] !== '\\') continue;
    if (source[i + 1] === '\\' && seen++ === k)
      return ctx.span(node.range[0] + i, node.range[0] + i + 2);
    i++;
  }
  return nodeSpan(ctx, node, ctx.span(0, 0));
}
