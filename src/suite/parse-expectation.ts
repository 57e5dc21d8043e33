import { isMap, isScalar, isSeq } from 'yaml';
import type { SourceSpan } from '../core/span.js';
import { isCodePattern, isEnhancedPattern } from './code-pattern.js';
import { checkTemplate } from './check-template.js';
import type { LoadContext } from './load-context.js';
import type { Expectation } from './model.js';
import {
  describeNode,
  getList,
  getString,
  hadRejectedKeys,
  readMapping,
  typeError,
} from './yaml-nodes.js';
import type { Entries, Field } from './yaml-nodes.js';

/**
 * Expectations (docs/suite-format.md, "Expectations"):
 *
 *   expectation = code | pattern | "[" alternative *( "," alternative ) "]" | mapping
 *   alternative = code | pattern                          any of them may match
 *   code        = 3DIGIT, unquoted                         250
 *   pattern     = 3( DIGIT / "x" ), first of 2-5 or x      "2xx", "55x"
 *   mapping     = { code: alts, not: alts, enhanced: E, text: regex }   at least one key
 *   alts        = alternative | "[" alternative … "]"
 *   regex       = "/" source "/" flags | source          flags from i m s u
 */
const EXPECTATION_KEYS = ['code', 'not', 'enhanced', 'text'] as const;
const REGEX_FLAGS = /^[imsu]*$/;
const CODE_HINT =
  'a code pattern is three characters, each a digit or x, the first 2-5 or x: 250, 2xx, 55x';

export function parseExpectation(ctx: LoadContext, field: Field): Expectation | undefined {
  const node = field.node;
  if (node && isSeq(node)) {
    const codes = parseAlternatives(ctx, field);
    return codes && { codes, not: [], span: field.span };
  }
  if (node && isMap(node)) return parseExpectationMapping(ctx, field);
  if (node && isScalar(node) && node.value !== null && typeof node.value !== 'boolean') {
    const code = parseCodePattern(ctx, field);
    return code === undefined ? undefined : { codes: [code], not: [], span: field.span };
  }
  typeError(ctx, field, 'a reply code (250), a pattern ("2xx"), a list of them, or a mapping');
  return undefined;
}

/** A list with one expectation per reply; `lineCount`, when given, is what `send` writes. */
export function parseExpectationList(
  ctx: LoadContext,
  field: Field,
  lineCount?: number,
): Expectation[] | undefined {
  if (lineCount !== undefined && !(field.node && isSeq(field.node))) {
    const hint = `'send' has ${lineCount} pipelined lines: write one expectation per line, expect: [E1, E2, …]`;
    typeError(ctx, field, 'a list', hint);
    return undefined;
  }
  const items = getList(ctx, field);
  if (!items) return undefined;
  if (lineCount !== undefined && items.length !== lineCount) {
    const lines = lineCount === 1 ? '1 line' : `${lineCount} lines`;
    const count = items.length === 1 ? '1 expectation' : `${items.length} expectations`;
    const message = `${field.label} has ${count}, but 'send' has ${lines}`;
    ctx.error(field.span, 'expectation count', message, 'give one expectation per line, in order');
  }
  const parsed = items.map((item) => parseExpectation(ctx, item));
  return parsed.every((e) => e !== undefined) ? (parsed as Expectation[]) : undefined;
}

/** The expectation a step has when the suite gives none, e.g. 250 for `ehlo`. */
export function defaultExpectation(code: string, span: SourceSpan): Expectation {
  return { codes: [code], not: [], span };
}

function parseExpectationMapping(ctx: LoadContext, field: Field): Expectation | undefined {
  const entries = readMapping(ctx, field, { what: 'expectation', keys: EXPECTATION_KEYS });
  if (!entries) return undefined;
  if (entries.size === 0) {
    if (hadRejectedKeys(field, entries)) return undefined;
    const hint = `give at least one of ${EXPECTATION_KEYS.join(', ')}`;
    ctx.error(field.span, 'empty expectation', 'this expectation has no condition', hint);
    return undefined;
  }
  const expectation: Expectation = { codes: [], not: [], span: field.span };
  let ok = readCodes(ctx, entries, 'code', expectation.codes);
  ok = readCodes(ctx, entries, 'not', expectation.not) && ok;
  const enhancedField = entries.get('enhanced');
  if (enhancedField) {
    expectation.enhanced = parseEnhanced(ctx, enhancedField);
    ok = expectation.enhanced !== undefined && ok;
  }
  const textField = entries.get('text');
  if (textField) {
    expectation.text = parseRegex(ctx, textField);
    ok = expectation.text !== undefined && ok;
  }
  return ok ? expectation : undefined;
}

function readCodes(ctx: LoadContext, entries: Entries, key: string, into: string[]): boolean {
  const field = entries.get(key);
  if (!field) return true;
  if (field.node && isSeq(field.node)) {
    const codes = parseAlternatives(ctx, field);
    into.push(...(codes ?? []));
    return codes !== undefined;
  }
  const code = parseCodePattern(ctx, field);
  if (code !== undefined) into.push(code);
  return code !== undefined;
}

function parseAlternatives(ctx: LoadContext, field: Field): string[] | undefined {
  const items = getList(ctx, field);
  if (!items) return undefined;
  const codes = items.map((item) => {
    if (item.node && (isMap(item.node) || isSeq(item.node))) {
      const hint =
        'inside a list of codes write only codes; use { code: [...], text: ... } to combine';
      typeError(ctx, item, 'a reply code or pattern', hint);
      return undefined;
    }
    return parseCodePattern(ctx, item);
  });
  return codes.every((c) => c !== undefined) ? (codes as string[]) : undefined;
}

/** `250` or `"2xx"` → the pattern as text, lower-cased. */
export function parseCodePattern(ctx: LoadContext, field: Field): string | undefined {
  const node = field.node;
  const value = node && isScalar(node) ? node.value : undefined;
  if (typeof value !== 'number' && typeof value !== 'string') {
    typeError(ctx, field, 'a reply code or pattern', CODE_HINT);
    return undefined;
  }
  const pattern = String(value).trim().toLowerCase();
  if (isCodePattern(pattern)) return pattern;
  const found = describeNode(ctx, node);
  ctx.error(
    field.span,
    'bad code pattern',
    `expected a reply code pattern, found ${found}`,
    CODE_HINT,
  );
  return undefined;
}

function parseEnhanced(ctx: LoadContext, field: Field): string | undefined {
  const node = field.node;
  if (node && isScalar(node) && typeof node.value === 'number') {
    typeError(ctx, field, 'a string', 'quote enhanced codes: enhanced: "2.1.0"');
    return undefined;
  }
  const text = getString(ctx, field)?.trim().toLowerCase();
  if (text === undefined) return undefined;
  if (isEnhancedPattern(text)) return text;
  const hint =
    'write class.subject.detail (RFC 3463), each part digits or x: "2.1.0", "5.x.x", or "*" for any';
  ctx.error(
    field.span,
    'bad enhanced pattern',
    `'${text}' is not an enhanced status code pattern`,
    hint,
  );
  return undefined;
}

/** `/source/flags` or a bare source; checked by compiling it. */
export function parseRegex(ctx: LoadContext, field: Field): Expectation['text'] {
  const text = getString(ctx, field);
  if (text === undefined) return undefined;
  const last = text.lastIndexOf('/');
  const delimited = text.startsWith('/') && last > 0;
  const source = delimited ? text.slice(1, last) : text;
  const flags = delimited ? text.slice(last + 1) : '';
  if (!REGEX_FLAGS.test(flags) || new Set(flags).size !== flags.length) {
    const hint = 'flags are i, m, s and u; to match a literal "/", write the whole regex as /…/';
    ctx.error(field.span, 'bad regex flags', `'${flags}' are not regex flags`, hint);
    return undefined;
  }
  try {
    new RegExp(source, flags);
  } catch (e) {
    const reason = (e as Error).message.replace(/^Invalid regular expression: /, '');
    const hint = 'text is a JavaScript regular expression, written /…/flags or bare';
    ctx.error(field.span, 'bad regex', `invalid regular expression: ${reason}`, hint);
    return undefined;
  }
  checkTemplate(ctx, field, source, { inRepeat: false });
  return { source, flags };
}
