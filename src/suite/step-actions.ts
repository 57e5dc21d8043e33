import { isMap, isScalar, isSeq } from 'yaml';
import type { SourceSpan } from '../core/span.js';
import { checkByteString } from './byte-string.js';
import { checkTemplate } from './check-template.js';
import type { TemplateScope } from './check-template.js';
import type { LoadContext } from './load-context.js';
import type { Expectation, SendStep, Step } from './model.js';
import { parseDataBody } from './parse-data-body.js';
import { buildExpectDelivered } from './parse-delivery-step.js';
import { defaultExpectation, parseExpectation, parseExpectationList } from './parse-expectation.js';
import {
  getDuration,
  getInteger,
  getKeyword,
  getList,
  getBoolean,
  getString,
  isNothing,
  readMapping,
  typeError,
} from './yaml-nodes.js';
import type { Entries, Entry, Field } from './yaml-nodes.js';

/** Builds each kind of step from its checked keys (parse-step.ts has the grammar). */
export const ACTIONS = [
  'send',
  'raw',
  'expect',
  'ehlo',
  'data',
  'starttls',
  'auth',
  'pause',
  'expect-close',
  'expect-silence',
  'tls-handshake',
  'expect-delivered',
  'disconnect',
] as const;
export type Action = (typeof ACTIONS)[number];

/** The modifiers each action allows. */
export const MODIFIERS: Record<Action, readonly string[]> = {
  send: ['expect', 'repeat'],
  raw: ['expect'],
  expect: [],
  ehlo: ['expect'],
  data: ['expect', 'expect-each'],
  starttls: [],
  auth: ['expect'],
  pause: [],
  'expect-close': [],
  'expect-silence': [],
  'tls-handshake': [],
  'expect-delivered': [],
  disconnect: [],
};

export const DEFAULT_EHLO_DOMAIN = '${client}';
const MAX_REPEAT = 100_000;
const MECHANISMS = ['PLAIN', 'LOGIN'] as const;

export function buildStep(
  ctx: LoadContext,
  action: Action,
  entries: Entries,
  span: SourceSpan,
): Step | undefined {
  const value = entries.get(action) ?? { label: `'${action}'`, node: null, span };
  switch (action) {
    case 'send':
      return buildSend(ctx, value, entries, span);
    case 'raw':
      return buildRaw(ctx, value, entries.get('expect'), span);
    case 'expect': {
      const expect = parseExpectation(ctx, value);
      return expect && { kind: 'expect', expect, span };
    }
    case 'ehlo':
      return buildEhlo(ctx, value, entries.get('expect'), span);
    case 'data':
      return buildData(ctx, value, entries, span);
    case 'starttls':
    case 'tls-handshake':
    case 'disconnect':
      return buildFlagStep(ctx, action, value, span);
    case 'auth': {
      const mechanism = getKeyword(ctx, value, MECHANISMS);
      const expect = expectOr(ctx, entries.get('expect'), '235', span);
      return mechanism && expect && { kind: 'auth', mechanism, expect, span };
    }
    case 'pause':
    case 'expect-close': {
      const ms = getDuration(ctx, value);
      return ms === undefined ? undefined : { kind: action, ms, span };
    }
    case 'expect-silence':
      return buildSilence(ctx, value, span);
    case 'expect-delivered':
      return buildExpectDelivered(ctx, value, span);
  }
}

/** `data` reads one reply (`expect`, default 250) or one per item of `expect-each` (LMTP). */
function buildData(
  ctx: LoadContext,
  value: Field,
  entries: Entries,
  span: SourceSpan,
): Step | undefined {
  const body = parseDataBody(ctx, value);
  const each = entries.get('expect-each');
  const single = entries.get('expect');
  if (each && single) {
    const message = "'expect' and 'expect-each' both say what follows the final dot";
    ctx.error(
      single.keySpan,
      'conflicting keys',
      message,
      "keep one: 'expect-each' for one reply per recipient (LMTP)",
    );
    return undefined;
  }
  const one = each ? undefined : expectOr(ctx, single, '250', span);
  const expect = each ? parseExpectationList(ctx, each) : one && [one];
  return body && expect && { kind: 'data', body, expect, span };
}

/** `expect-silence: 2s` or `expect-silence: { for: 2s, accept-refusal: true }`. */
function buildSilence(ctx: LoadContext, value: Field, span: SourceSpan): Step | undefined {
  if (!value.node || !isMap(value.node)) {
    const ms = getDuration(ctx, value);
    return ms === undefined
      ? undefined
      : { kind: 'expect-silence', ms, acceptRefusal: false, span };
  }
  const entries = readMapping(ctx, value, {
    what: 'expect-silence',
    keys: ['for', 'accept-refusal'],
    required: ['for'],
  });
  const forField = entries?.get('for');
  const ms = forField && getDuration(ctx, forField);
  const refusalField = entries?.get('accept-refusal');
  const acceptRefusal = refusalField ? getBoolean(ctx, refusalField) : false;
  if (ms === undefined || acceptRefusal === undefined) return undefined;
  return { kind: 'expect-silence', ms, acceptRefusal, span };
}

function expectOr(ctx: LoadContext, field: Entry | undefined, code: string, span: SourceSpan) {
  return field ? parseExpectation(ctx, field) : defaultExpectation(code, span);
}

function buildSend(
  ctx: LoadContext,
  value: Field,
  entries: Entries,
  span: SourceSpan,
): Step | undefined {
  const repeatField = entries.get('repeat');
  const repeat = repeatField && getInteger(ctx, repeatField, 1, MAX_REPEAT);
  const scope: TemplateScope = { inRepeat: repeatField !== undefined };
  const isList = value.node !== null && isSeq(value.node);
  const lineFields = isList ? getList(ctx, value) : [value];
  const lines = lineFields?.map((f) => sendLine(ctx, f, scope));
  const expectField = entries.get('expect');
  let expect: Expectation[] | undefined;
  if (expectField && isList) {
    expect = parseExpectationList(ctx, expectField, lineFields?.length);
  } else if (expectField) {
    const one = parseExpectation(ctx, expectField);
    expect = one && [one];
  }
  if (!lines || lines.some((l) => l === undefined)) return undefined;
  if (expectField && !expect) return undefined;
  if (repeatField && repeat === undefined) return undefined;
  const step: SendStep = { kind: 'send', lines: lines as string[], span };
  if (expect) step.expect = expect;
  if (repeat !== undefined) step.repeat = repeat;
  return step;
}

function sendLine(ctx: LoadContext, field: Field, scope: TemplateScope): string | undefined {
  const line = getString(ctx, field);
  if (line === undefined) return undefined;
  checkTemplate(ctx, field, line, scope);
  if (/[\r\n]/.test(line)) {
    const message = `${field.label} contains a line break; 'send' appends CRLF itself`;
    ctx.warn(
      field.span,
      'line break in send',
      message,
      "use 'raw:' to send line breaks on purpose",
    );
  }
  return line;
}

function buildRaw(
  ctx: LoadContext,
  value: Field,
  expectField: Entry | undefined,
  span: SourceSpan,
): Step | undefined {
  const bytes = getString(ctx, value);
  if (bytes !== undefined) {
    checkTemplate(ctx, value, bytes, { inRepeat: false });
    checkByteString(ctx, value, bytes);
  }
  let expect: Expectation[] | undefined;
  if (expectField && expectField.node && isSeq(expectField.node)) {
    expect = parseExpectationList(ctx, expectField);
  } else if (expectField) {
    const one = parseExpectation(ctx, expectField);
    expect = one && [one];
  }
  if (bytes === undefined || (expectField && !expect)) return undefined;
  return expect ? { kind: 'raw', bytes, expect, span } : { kind: 'raw', bytes, span };
}

function buildEhlo(
  ctx: LoadContext,
  value: Field,
  expectField: Entry | undefined,
  span: SourceSpan,
): Step | undefined {
  let domain: string | undefined = DEFAULT_EHLO_DOMAIN;
  if (!isNothing(value.node)) {
    domain = getString(ctx, value);
    if (domain !== undefined) checkTemplate(ctx, value, domain, { inRepeat: false });
  }
  const expect = expectOr(ctx, expectField, '250', span);
  return domain !== undefined && expect ? { kind: 'ehlo', domain, expect, span } : undefined;
}

/** A step that takes no argument: `starttls: true`, `- starttls`, `- tls-handshake`. */
function buildFlagStep(
  ctx: LoadContext,
  kind: 'starttls' | 'tls-handshake' | 'disconnect',
  value: Field,
  span: SourceSpan,
): Step | undefined {
  const node = value.node;
  if (isNothing(node) || (node && isScalar(node) && node.value === true)) return { kind, span };
  if (node && isScalar(node) && node.value === false) {
    ctx.error(value.span, 'useless step', `'${kind}: false' does nothing`, 'remove the step');
    return undefined;
  }
  typeError(ctx, value, `true (or nothing, as in - ${kind})`);
  return undefined;
}
