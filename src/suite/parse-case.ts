import { isScalar, isSeq } from 'yaml';
import type { SourceSpan } from '../core/span.js';
import type { LoadContext } from './load-context.js';
import { LEVELS } from './model.js';
import type { Case, Step } from './model.js';
import { parseStep } from './parse-step.js';
import { getDuration, getKeyword, getList, getString, readMapping } from './yaml-nodes.js';
import type { Entries, Field } from './yaml-nodes.js';

/**
 * One case of a suite (docs/suite-format.md):
 *
 *   case = { id: ID, title: TEXT, section: "N.N", level: must|should|may|info, steps: [step…],
 *            rfc?: "NNNN", requires?: [KEYWORD…], greeting?: auto|manual, timeout?: DURATION }
 *   ID   = [a-z0-9][a-z0-9-]*            unique within the suite
 *
 * `rfc` defaults to the suite's; `requires` keywords are upper-cased.
 */
const CASE_KEYS = [
  'id',
  'title',
  'section',
  'level',
  'steps',
  'rfc',
  'requires',
  'greeting',
  'timeout',
] as const;
const REQUIRED = ['id', 'title', 'section', 'level', 'steps'] as const;
const ID = /^[a-z0-9][a-z0-9-]*$/;
const RFC = /^\d+$/;
/** An EHLO keyword (§4.1.1.1), optionally `=PARAM`: one of its parameters (`AUTH=PLAIN`). */
const EHLO_KEYWORD = /^[A-Z0-9][A-Z0-9-]*(?:=[\x21-\x7e]+)?$/;
const GREETINGS = ['auto', 'manual'] as const;

export interface CaseDefaults {
  /** The suite's `rfc`, if it has one. */
  rfc?: string;
}

/** Parses `cases:`; duplicate ids are reported at the second, naming the first's line. */
export function parseCases(ctx: LoadContext, field: Field, defaults: CaseDefaults): Case[] {
  const items = getList(ctx, field) ?? [];
  const seen = new Map<string, SourceSpan>();
  const cases: Case[] = [];
  for (const item of items) {
    const parsed = parseCase(ctx, item, defaults, seen);
    if (parsed) cases.push(parsed);
  }
  return cases;
}

function parseCase(
  ctx: LoadContext,
  field: Field,
  defaults: CaseDefaults,
  seen: Map<string, SourceSpan>,
): Case | undefined {
  const entries = readMapping(ctx, field, { what: 'case', keys: CASE_KEYS, required: REQUIRED });
  if (!entries) return undefined;
  const id = readUniqueId(ctx, entries, seen);
  const title = optional(entries, 'title', (f) => getString(ctx, f));
  const section = optional(entries, 'section', (f) => getReference(ctx, f));
  const level = optional(entries, 'level', (f) => getKeyword(ctx, f, LEVELS));
  const rfc = optional(entries, 'rfc', (f) => getReference(ctx, f)) ?? defaults.rfc;
  const requires = optional(entries, 'requires', (f) => getKeywords(ctx, f)) ?? [];
  const greeting = optional(entries, 'greeting', (f) => getKeyword(ctx, f, GREETINGS)) ?? 'auto';
  const timeoutMs = optional(entries, 'timeout', (f) => getDuration(ctx, f));
  const steps = optional(entries, 'steps', (f) => parseSteps(ctx, f));
  if (rfc === undefined && !entries.has('rfc') && defaults.rfc === undefined) {
    const hint = 'add rfc: "NNNN" to the case, or to the suite for all its cases';
    ctx.error(field.span, 'missing key', "this case has no 'rfc' and the suite gives none", hint);
  }
  if (!id || title === undefined || !section || !level || !rfc || !steps) return undefined;
  const result: Case = {
    id,
    title,
    rfc,
    section,
    level,
    requires,
    greeting,
    steps,
    span: field.span,
  };
  if (timeoutMs !== undefined) result.timeoutMs = timeoutMs;
  return result;
}

function optional<T>(
  entries: Entries,
  key: string,
  read: (f: Field) => T | undefined,
): T | undefined {
  const field = entries.get(key);
  return field ? read(field) : undefined;
}

function readUniqueId(
  ctx: LoadContext,
  entries: Entries,
  seen: Map<string, SourceSpan>,
): string | undefined {
  const field = entries.get('id');
  const id = field && getId(ctx, field);
  if (!field || id === undefined) return undefined;
  const first = seen.get(id);
  if (first) {
    const message = `case id '${id}' is already used on line ${first.line}`;
    ctx.error(field.span, 'duplicate case id', message, 'case ids must be unique within a suite');
    return undefined;
  }
  seen.set(id, field.span);
  return id;
}

/** A suite or case id: lower-case letters, digits and '-', starting with a letter or digit. */
export function getId(ctx: LoadContext, field: Field): string | undefined {
  const id = getString(ctx, field);
  if (id === undefined || ID.test(id)) return id;
  const suggestion = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const hint = `ids use lower-case letters, digits and '-'${suggestion ? `, e.g. '${suggestion}'` : ''}`;
  ctx.error(field.span, 'bad id', `'${id}' is not a valid id`, hint);
  return undefined;
}

/**
 * `rfc` and `section` are strings: unquoted, YAML reads `section: 3.10` as the number 3.1.
 * `rfc` must be digits.
 */
export function getReference(ctx: LoadContext, field: Field): string | undefined {
  const node = field.node;
  if (node && isScalar(node) && typeof node.value === 'number') {
    const written = node.range ? ctx.text.slice(node.range[0], node.range[1]) : String(node.value);
    const key = field.label.replace(/'/g, '');
    const lost = written === String(node.value) ? '' : ` (read as ${node.value})`;
    const message = `${field.label} ${written} is a number to YAML${lost}; 3.10 would become 3.1`;
    ctx.error(field.span, 'unquoted number', message, `quote it: ${key}: "${written}"`);
    return undefined;
  }
  const text = getString(ctx, field)?.trim();
  if (text === undefined) return undefined;
  if (field.label === "'rfc'" ? RFC.test(text) : text.length > 0) return text;
  const expected =
    field.label === "'rfc'" ? 'an RFC number such as "5321"' : 'a section such as "4.1.1"';
  ctx.error(
    field.span,
    `bad ${field.label.replace(/'/g, '')}`,
    `${field.label} must be ${expected}, found '${text}'`,
  );
  return undefined;
}

/** `requires`: one EHLO keyword (or `KEYWORD=PARAM`) or a list of them, upper-cased. */
function getKeywords(ctx: LoadContext, field: Field): string[] | undefined {
  const node = field.node;
  const items = node && isSeq(node) ? getList(ctx, field, true) : [field];
  if (!items) return undefined;
  const keywords = items.map((item) => {
    const keyword = getString(ctx, item)?.trim().toUpperCase();
    if (keyword === undefined || EHLO_KEYWORD.test(keyword)) return keyword;
    const message = `'${keyword}' is not an EHLO keyword (letters, digits and '-', optionally =PARAM)`;
    ctx.error(
      item.span,
      'bad EHLO keyword',
      message,
      'write the keyword as the server advertises it, e.g. PIPELINING',
    );
    return undefined;
  });
  if (keywords.some((k) => k === undefined)) return undefined;
  return [...new Set(keywords as string[])];
}

function parseSteps(ctx: LoadContext, field: Field): Step[] | undefined {
  const items = getList(ctx, field);
  if (!items) return undefined;
  const steps = items.map((item, i) => parseStep(ctx, { ...item, label: `step ${i + 1}` }));
  return steps.every((s) => s !== undefined) ? (steps as Step[]) : undefined;
}
