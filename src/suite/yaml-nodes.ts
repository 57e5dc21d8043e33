import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Node, Scalar, YAMLMap } from 'yaml';
import { parseDuration } from '../core/duration.js';
import type { SourceSpan } from '../core/span.js';
import { didYouMean, closestMatch } from '../core/did-you-mean.js';
import type { LoadContext } from './load-context.js';

/**
 * Typed access to the YAML tree. Each getter checks one node and returns its value, or records
 * a diagnostic ("'title' must be a string, found a list") and returns undefined, so the caller
 * can go on and find the next problem.
 */

/** A value in the tree together with how messages name it and where to point when it is empty. */
export interface Field {
  /** How messages name it, quoted: `'title'`, `'send' line 2`. */
  label: string;
  /** The value node; null for `key:` with nothing after it. */
  node: Node | null;
  /** The value's span, or the key's when there is no value. */
  span: SourceSpan;
}

/** A key of a mapping with its value. */
export interface Entry extends Field {
  key: string;
  keySpan: SourceSpan;
}

export type Entries = Map<string, Entry>;

export interface MappingSpec {
  /** What the mapping is, for messages: `case`, `step`, `expectation`. */
  what: string;
  keys: readonly string[];
  required?: readonly string[];
}

export function nodeSpan(ctx: LoadContext, node: Node | null, fallback: SourceSpan): SourceSpan {
  const range = node?.range;
  if (!range) return fallback;
  return ctx.span(range[0], range[1]);
}

/** The node itself, or what an alias (`*name`) points at. */
export function resolve(ctx: LoadContext, node: Node | null): Node | null {
  if (node && isAlias(node)) return (node.resolve(ctx.doc) as Node | undefined) ?? null;
  return node;
}

export function isNothing(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** `a list`, `a number (4.10)`, … as written in the file. */
export function describeNode(ctx: LoadContext, node: Node | null): string {
  if (isNothing(node)) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node)) return 'an alias';
  const written = node.range ? ctx.text.slice(node.range[0], node.range[1]) : String(node.value);
  switch (typeof node.value) {
    case 'string':
      return `the string ${JSON.stringify(node.value)}`;
    case 'number':
    case 'bigint':
      return `a number (${written})`;
    case 'boolean':
      return `a boolean (${written})`;
    default:
      return `a ${typeof node.value}`;
  }
}

export function typeError(ctx: LoadContext, field: Field, expected: string, hint?: string): void {
  const found = describeNode(ctx, field.node);
  ctx.error(field.span, 'wrong type', `${field.label} must be ${expected}, found ${found}`, hint);
}

/**
 * Reads a mapping: reports a node that is not a mapping, keys that are not strings, unknown keys
 * (with a suggestion), duplicate keys (at the second) and missing required keys (at the mapping,
 * unless an unknown key already suggested the missing one).
 */
export function readMapping(
  ctx: LoadContext,
  field: Field,
  spec: MappingSpec,
): Entries | undefined {
  const node = resolve(ctx, field.node);
  if (!node || !isMap(node)) {
    typeError(ctx, field, `a mapping (${spec.what})`);
    return undefined;
  }
  const entries: Entries = new Map();
  const suggested = new Set<string>();
  for (const pair of node.items) {
    const entry = readEntry(ctx, pair.key as Node | null, pair.value as Node | null, field.span);
    if (!entry) continue;
    const first = entries.get(entry.key);
    if (first) {
      const message = `'${entry.key}' is already given on line ${first.keySpan.line}`;
      ctx.error(entry.keySpan, 'duplicate key', message, 'remove one of them');
    } else if (!spec.keys.includes(entry.key)) {
      const match = closestMatch(entry.key, spec.keys);
      if (match !== undefined) suggested.add(match);
      const hint = match ? didYouMean(entry.key, spec.keys) : `known keys: ${spec.keys.join(', ')}`;
      const article = /^[aeiou]/.test(spec.what) ? 'an' : 'a';
      const message = `'${entry.key}' is not ${article} ${spec.what} key`;
      ctx.error(entry.keySpan, 'unknown key', message, hint);
    } else {
      entries.set(entry.key, entry);
    }
  }
  reportMissing(ctx, node, field, spec, entries, suggested);
  return entries;
}

function readEntry(
  ctx: LoadContext,
  keyNode: Node | null,
  valueNode: Node | null,
  fallback: SourceSpan,
): Entry | undefined {
  const keySpan = nodeSpan(ctx, keyNode, fallback);
  if (!keyNode || !isScalar(keyNode) || typeof keyNode.value !== 'string') {
    ctx.error(keySpan, 'wrong type', `keys must be strings, found ${describeNode(ctx, keyNode)}`);
    return undefined;
  }
  const key = keyNode.value;
  const node = resolve(ctx, valueNode);
  const span = isNothing(node) ? keySpan : nodeSpan(ctx, valueNode, keySpan);
  return { key, keySpan, label: `'${key}'`, node, span };
}

function reportMissing(
  ctx: LoadContext,
  node: YAMLMap,
  field: Field,
  spec: MappingSpec,
  entries: Entries,
  suggested: Set<string>,
): void {
  const missing = (spec.required ?? []).filter((k) => !entries.has(k) && !suggested.has(k));
  if (missing.length === 0) return;
  const names = missing.map((k) => `'${k}'`).join(', ');
  const plural = missing.length > 1 ? 'keys' : 'key';
  const span = nodeSpan(ctx, node, field.span);
  ctx.error(span, 'missing key', `this ${spec.what} has no ${names}`, `add the ${plural} ${names}`);
}

export function getString(ctx: LoadContext, field: Field): string | undefined {
  const node = field.node;
  if (node && isScalar(node) && typeof node.value === 'string') return node.value;
  const numeric = node && isScalar(node) && typeof node.value === 'number';
  typeError(ctx, field, 'a string', numeric ? 'put it in quotes' : undefined);
  return undefined;
}

export function getInteger(
  ctx: LoadContext,
  field: Field,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const node = field.node;
  const value = node && isScalar(node) ? node.value : undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    typeError(ctx, field, `a whole number`);
    return undefined;
  }
  if (value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min} to ${max}`;
    ctx.error(field.span, 'out of range', `${field.label} must be ${range}, found ${value}`);
    return undefined;
  }
  return value;
}

/** One of `values`, compared case-insensitively and returned as listed in `values`. */
export function getKeyword<T extends string>(
  ctx: LoadContext,
  field: Field,
  values: readonly T[],
): T | undefined {
  const text = getString(ctx, field);
  if (text === undefined) return undefined;
  const found = values.find((v) => v.toLowerCase() === text.trim().toLowerCase());
  if (found !== undefined) return found;
  const hint = didYouMean(text, values) ?? `use one of ${values.join(', ')}`;
  const message = `${field.label} must be one of ${values.join(' | ')}, found '${text}'`;
  ctx.error(field.span, `invalid ${field.label.replace(/'/g, '')}`, message, hint);
  return undefined;
}

/** The items of a list as fields labelled `'name' item N`. */
export function getList(ctx: LoadContext, field: Field, allowEmpty = false): Field[] | undefined {
  const node = field.node;
  if (!node || !isSeq(node)) {
    typeError(ctx, field, 'a list');
    return undefined;
  }
  if (node.items.length === 0 && !allowEmpty) {
    ctx.error(field.span, 'empty list', `${field.label} must not be empty`);
    return undefined;
  }
  return node.items.map((item, i) => {
    const itemNode = resolve(ctx, item as Node | null);
    const span = nodeSpan(ctx, itemNode, field.span);
    return { label: `${field.label} item ${i + 1}`, node: itemNode, span };
  });
}

/** The character offset in the file where `needle`'s k-th occurrence in a scalar's value was written. */
export function locateInScalar(
  ctx: LoadContext,
  node: Scalar,
  valueIndex: number,
  needle: string,
): SourceSpan {
  const whole = nodeSpan(ctx, node, ctx.span(0, 0));
  const value = String(node.value);
  if (!node.range) return whole;
  const source = ctx.text.slice(node.range[0], node.range[1]);
  const k = countOccurrences(value.slice(0, valueIndex), needle);
  let at = -1;
  for (let i = 0; i <= k; i++) {
    at = source.indexOf(needle, at < 0 ? 0 : at + needle.length);
    if (at < 0) return whole;
  }
  return ctx.span(node.range[0] + at, node.range[0] + at + needle.length);
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
    count++;
  }
  return count;
}

export interface DurationOptions {
  /** Accept `0` / `0ms` (a pause that may be none); by default a duration must be longer than 0. */
  allowZero?: boolean;
}

/**
 * A duration (`250ms`, `2s`, `1.5s`, `1m`, or a number of milliseconds) longer than zero, or
 * zero or more with `allowZero`.
 */
export function getDuration(
  ctx: LoadContext,
  field: Field,
  options: DurationOptions = {},
): number | undefined {
  const node = field.node;
  const value = node && isScalar(node) ? node.value : undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    typeError(ctx, field, 'a duration', 'write 250ms, 2s, 1.5s, 1m, or a number of milliseconds');
    return undefined;
  }
  const ms = parseDuration(value);
  if (ms === undefined || (ms <= 0 && !options.allowZero)) {
    const found = describeNode(ctx, node);
    const bound = options.allowZero ? '0 or longer' : 'longer than 0';
    const message = `${field.label} must be a duration ${bound}, found ${found}`;
    const hint = 'write 250ms, 2s, 1.5s, 1m, or a number of milliseconds';
    ctx.error(field.span, 'bad duration', message, hint);
    return undefined;
  }
  return ms;
}

/** `true` or `false` (YAML 1.2: not `yes`/`no`, which are strings). */
export function getBoolean(ctx: LoadContext, field: Field): boolean | undefined {
  const node = field.node;
  if (node && isScalar(node) && typeof node.value === 'boolean') return node.value;
  typeError(ctx, field, 'true or false');
  return undefined;
}

/** True when `readMapping` dropped keys of this mapping (unknown or duplicate, already reported). */
export function hadRejectedKeys(field: Field, entries: Entries): boolean {
  return field.node !== null && isMap(field.node) && field.node.items.length > entries.size;
}
