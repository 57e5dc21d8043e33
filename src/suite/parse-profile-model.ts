import { isMap, isScalar } from 'yaml';
import type { YAMLMap } from 'yaml';
import { MAX_DURATION_MS } from '../core/duration.js';
import { closestMatch } from '../core/did-you-mean.js';
import type { LoadContext } from './load-context.js';
import { getRate } from './parse-profile-values.js';
import { PROFILE_DEFAULTS, PROFILE_LIMITS } from './profile-model.js';
import type { ClosedModel, OpenModel, RateStage, WorkloadModel } from './profile-model.js';
import { getDuration, getInteger, getKeyword, getList, readMapping } from './yaml-nodes.js';
import type { Entries, Entry, Field } from './yaml-nodes.js';

/**
 * The `model:` section of a profile (docs/load-profile.md):
 *
 *   model  = closed | open
 *   closed = { kind: closed, sessions: N, messages-per-session?: N, think-time?: DURATION }
 *   open   = { kind: open, unit?: message | session, max-sessions?: N,
 *              messages-per-session?: N,                       only with unit: session
 *              pre-open?: N,                                   only with unit: message, reuse
 *              rate: RATE }                                    constant rate, or
 *            { …, start-rate?: RATE, stages: [ { duration: DURATION, rate: RATE }, … ] }
 *
 * Sessions and max-sessions are 1 to 100000. Defaults: think-time 0, unit message,
 * max-sessions 1000, messages-per-session 1 (open), start-rate 0/s, pre-open: the sessions the
 * peak rate keeps busy at 2 ms a message (preOpenSessions), 0 to open none before the start. A
 * stage moves the rate linearly from the previous stage's (or `start-rate`) to its own over its
 * duration.
 */
const KINDS = ['closed', 'open'] as const;
const UNITS = ['message', 'session'] as const;
const CLOSED_KEYS = ['kind', 'sessions', 'messages-per-session', 'think-time'] as const;
const OPEN_KEYS = [
  'kind',
  'unit',
  'rate',
  'stages',
  'start-rate',
  'max-sessions',
  'messages-per-session',
  'pre-open',
] as const;
const ANY_KEYS = [...new Set<string>([...CLOSED_KEYS, ...OPEN_KEYS])];
const STAGE_KEYS = ['duration', 'rate'] as const;
const RATE_HINT =
  'give rate: 200/s for a constant rate, or stages: [ { duration: 30s, rate: 200/s } ]';

/**
 * Reads `model:`. The keys allowed depend on `kind`, which is read first; while the kind is
 * missing or misspelled, only keys of neither model are reported as unknown. `reuse` is the
 * profile's `connection.reuse` (undefined when it is broken): without reuse a session carries
 * one message, so `messages-per-session` above 1 is refused.
 */
export function parseWorkloadModel(
  ctx: LoadContext,
  field: Field,
  reuse: boolean | undefined,
): WorkloadModel | undefined {
  const node = field.node;
  const kind = node && isMap(node) ? peekKind(node) : undefined;
  const keys = kind === 'closed' ? CLOSED_KEYS : kind === 'open' ? OPEN_KEYS : ANY_KEYS;
  const required = kind === 'closed' ? ['kind', 'sessions'] : [];
  const what = kind ? `${kind} model` : 'model';
  const entries = readMapping(ctx, field, { what, keys, required });
  if (entries && !kind) checkKindGiven(ctx, field, node as YAMLMap, entries);
  const kindField = entries?.get('kind');
  const checked = kindField && getKeyword(ctx, kindField, KINDS);
  if (!entries || !checked) return undefined;
  return checked === 'closed'
    ? parseClosed(ctx, field, entries, reuse)
    : parseOpen(ctx, field, node as YAMLMap, entries, reuse);
}

/** The model kind as written, when it is one of KINDS; nothing is reported here. */
function peekKind(node: YAMLMap): (typeof KINDS)[number] | undefined {
  const pair = node.items.find((p) => isScalar(p.key) && p.key.value === 'kind');
  const value = pair && isScalar(pair.value) ? pair.value.value : undefined;
  if (typeof value !== 'string') return undefined;
  return KINDS.find((k) => k === value.trim().toLowerCase());
}

/** Reports a missing `kind` (unless an unknown key was taken for it), naming both kinds. */
function checkKindGiven(ctx: LoadContext, field: Field, node: YAMLMap, entries: Entries): void {
  if (entries.has('kind') || misspelled(node, entries, ['kind'])) return;
  const hint = 'add kind: closed (a fixed number of sessions) or kind: open (an arrival rate)';
  ctx.error(field.span, 'missing key', "this model has no 'kind'", hint);
}

function parseClosed(
  ctx: LoadContext,
  field: Field,
  entries: Entries,
  reuse: boolean | undefined,
): ClosedModel | undefined {
  const sessionsField = entries.get('sessions');
  const sessions = sessionsField && getInteger(ctx, sessionsField, 1, PROFILE_LIMITS.maxSessions);
  const perSessionField = entries.get('messages-per-session');
  const messagesPerSession = perSessionField && readMessagesPerSession(ctx, perSessionField, reuse);
  const thinkField = entries.get('think-time');
  const thinkTimeMs = thinkField ? getDuration(ctx, thinkField, { allowZero: true }) : 0;
  if (sessions === undefined || thinkTimeMs === undefined) return undefined;
  if (perSessionField && messagesPerSession === undefined) return undefined;
  return {
    kind: 'closed',
    sessions,
    ...(messagesPerSession !== undefined ? { messagesPerSession } : {}),
    thinkTimeMs,
    span: field.span,
  };
}

function parseOpen(
  ctx: LoadContext,
  field: Field,
  node: YAMLMap,
  entries: Entries,
  reuse: boolean | undefined,
): OpenModel | undefined {
  const unitField = entries.get('unit');
  const unit = unitField ? getKeyword(ctx, unitField, UNITS) : 'message';
  const rateField = entries.get('rate');
  const stagesField = entries.get('stages');
  checkRateOrStages(ctx, field, node, entries);
  const rate = rateField && getRate(ctx, rateField);
  const stages = stagesField ? parseStages(ctx, stagesField) : [];
  const startRate = readStartRate(ctx, entries);
  const maxField = entries.get('max-sessions');
  const maxSessions = maxField
    ? getInteger(ctx, maxField, 1, PROFILE_LIMITS.maxSessions)
    : PROFILE_DEFAULTS.maxSessions;
  const messagesPerSession = readOpenMessagesPerSession(ctx, entries, unit, reuse);
  const preOpen = readPreOpen(ctx, entries, unit, reuse);
  if (stages && startRate !== undefined) checkRampStarts(ctx, stagesField, stages, startRate);
  if (!unit || !stages || startRate === undefined || maxSessions === undefined) return undefined;
  if (messagesPerSession === undefined || preOpen === undefined) return undefined;
  if ((rateField === undefined) === (stagesField === undefined)) return undefined;
  if (rateField && rate === undefined) return undefined;
  return {
    kind: 'open',
    unit,
    ...(rate !== undefined ? { rate } : {}),
    stages,
    startRate,
    maxSessions,
    messagesPerSession,
    ...(preOpen !== 'default' ? { preOpen } : {}),
    span: field.span,
  };
}

/**
 * `pre-open` (0 up to max-sessions, above it counts as max-sessions): only a pool of reused
 * sessions (unit: message, reuse) can be opened ahead. Elsewhere it is 0, and refused if given.
 */
function readPreOpen(
  ctx: LoadContext,
  entries: Entries,
  unit: (typeof UNITS)[number] | undefined,
  reuse: boolean | undefined,
): number | 'default' | undefined {
  const field = entries.get('pre-open');
  if (!field) return 'default';
  if (unit === 'session') {
    const message =
      "'pre-open' applies to unit: message; with unit: session every start opens its own session";
    ctx.error(field.keySpan, 'misplaced key', message, "remove 'pre-open'");
    return undefined;
  }
  if (reuse === false) {
    const message =
      "'pre-open' opens sessions to reuse, but 'reuse: false' gives every message its own connection";
    ctx.error(field.keySpan, 'conflicting keys', message, "remove 'pre-open'");
    return undefined;
  }
  return getInteger(ctx, field, 0, PROFILE_LIMITS.maxSessions);
}

/** `start-rate` (default 0/s) is where a ramp starts; a constant `rate` has none. */
function readStartRate(ctx: LoadContext, entries: Entries): number | undefined {
  const field = entries.get('start-rate');
  if (!field) return 0;
  if (entries.has('rate') && !entries.has('stages')) {
    const message = "'start-rate' is where a ramp of stages starts; a constant 'rate' has none";
    ctx.error(field.keySpan, 'misplaced key', message, "remove 'start-rate'");
    return undefined;
  }
  return getRate(ctx, field, { allowZero: true });
}

/** With unit: message a start is one message; with unit: session, N of them (default 1). */
function readOpenMessagesPerSession(
  ctx: LoadContext,
  entries: Entries,
  unit: (typeof UNITS)[number] | undefined,
  reuse: boolean | undefined,
): number | undefined {
  const field = entries.get('messages-per-session');
  if (!field) return 1;
  if (unit === 'message') {
    const message =
      "'messages-per-session' applies to unit: session; with unit: message a start is one message";
    const hint = 'add unit: session to start sessions that send several messages each';
    ctx.error(field.keySpan, 'misplaced key', message, hint);
    return undefined;
  }
  return readMessagesPerSession(ctx, field, reuse);
}

/** A whole number from 1; above 1 only when sessions are reused (`connection.reuse`). */
function readMessagesPerSession(
  ctx: LoadContext,
  field: Entry,
  reuse: boolean | undefined,
): number | undefined {
  const value = getInteger(ctx, field, 1);
  if (value === undefined || value === 1 || reuse !== false) return value;
  const message = `'messages-per-session' is ${value}, but 'reuse: false' gives every message its own connection`;
  const hint = "remove one of them: 'reuse: false' already means one message per connection";
  ctx.error(field.keySpan, 'conflicting keys', message, hint);
  return undefined;
}

/** An open model has `rate` or `stages`, not both and not neither. */
function checkRateOrStages(ctx: LoadContext, field: Field, node: YAMLMap, entries: Entries): void {
  const rateField = entries.get('rate');
  const stagesField = entries.get('stages');
  if (rateField && stagesField) {
    const later = rateField.keySpan.offset > stagesField.keySpan.offset ? rateField : stagesField;
    const message = "an open model has 'rate' (constant) or 'stages' (ramping), not both";
    const hint = "remove 'rate', or make it a stage: { duration: 10s, rate: 200/s }";
    ctx.error(later.keySpan, 'conflicting keys', message, hint);
  } else if (!rateField && !stagesField && !misspelled(node, entries, ['rate', 'stages'])) {
    const message = "this open model has neither 'rate' nor 'stages'";
    ctx.error(field.span, 'missing key', message, RATE_HINT);
  }
}

/** True when a rejected (unknown) key of `node` was taken for one of `candidates`. */
function misspelled(node: YAMLMap, entries: Entries, candidates: string[]): boolean {
  return node.items.some((pair) => {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    return typeof key === 'string' && !entries.has(key) && !!closestMatch(key, candidates);
  });
}

function parseStages(ctx: LoadContext, field: Field): RateStage[] | undefined {
  const items = getList(ctx, field);
  if (!items) return undefined;
  const stages = items.map((item, i) => parseStage(ctx, { ...item, label: `stage ${i + 1}` }));
  if (!stages.every((s) => s !== undefined)) return undefined;
  const totalMs = stages.reduce((sum, s) => sum + s.durationMs, 0);
  if (totalMs > MAX_DURATION_MS) {
    const days = (ms: number) => `${Math.round(ms / 86_400_000)} days`;
    const message = `the stages last ${days(totalMs)} in all; a run lasts at most ${days(MAX_DURATION_MS)}`;
    ctx.error(field.span, 'run too long', message);
    return undefined;
  }
  return stages;
}

function parseStage(ctx: LoadContext, field: Field): RateStage | undefined {
  const spec = { what: 'stage', keys: STAGE_KEYS, required: STAGE_KEYS };
  const entries = readMapping(ctx, field, spec);
  const durationField = entries?.get('duration');
  const durationMs = durationField && getDuration(ctx, durationField);
  const rateField = entries?.get('rate');
  const rate = rateField && getRate(ctx, rateField, { allowZero: true });
  if (durationMs === undefined || rate === undefined) return undefined;
  return { durationMs, rate, span: field.span };
}

/** A ramp that stays at 0/s from its start to its end starts nothing: surely a mistake. */
function checkRampStarts(
  ctx: LoadContext,
  field: Field | undefined,
  stages: RateStage[],
  startRate: number,
): void {
  if (!field || stages.length === 0 || startRate > 0 || stages.some((s) => s.rate > 0)) return;
  const message = "every stage's rate is 0/s and so is 'start-rate': the run would start nothing";
  ctx.error(field.span, 'idle ramp', message, 'give at least one stage a rate above 0/s');
}
