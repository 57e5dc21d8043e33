import { isMap, isScalar } from 'yaml';
import type { Diagnostic } from '../core/diagnostic.js';
import type { SourceSpan } from '../core/span.js';
import type { LoadContext } from './load-context.js';
import { parseYamlFile, sortDiagnostics } from './load-context.js';
import { getId } from './parse-case.js';
import {
  defaultConnection,
  defaultEnvelope,
  parseConnection,
  parseEnvelope,
} from './parse-profile-connection.js';
import { defaultMessageMix, parseMessageMix } from './parse-profile-message.js';
import { parseWorkloadModel } from './parse-profile-model.js';
import { PROFILE_DEFAULTS, PROFILE_LIMITS } from './profile-model.js';
import type { LoadProfile, ThresholdSpec, WorkloadModel } from './profile-model.js';
import {
  getBoolean,
  getDuration,
  getInteger,
  getList,
  getString,
  isNothing,
  readMapping,
  typeError,
} from './yaml-nodes.js';
import type { Entries, Field } from './yaml-nodes.js';

/**
 * Loads one load profile (docs/load-profile.md): YAML text → validated `LoadProfile`.
 *
 *   profile   = { title: TEXT, model: model, id?: ID, duration?: DURATION, warm-up?: DURATION,
 *                 messages?: N, seed?: N, message?: message, connection?: connection,
 *                 envelope?: envelope, thresholds?: [threshold…] }
 *   threshold = EXPRESSION | { expr: EXPRESSION, abort?: BOOL }
 *
 * `model` is in parse-profile-model.ts, `message` in parse-profile-message.ts, `connection` and
 * `envelope` in parse-profile-connection.ts. Every problem is reported, each with its place; the
 * profile is returned only when there are no errors (warnings allowed). Threshold expressions
 * are kept as written: the metrics layer parses them. No file IO: the caller passes the text.
 */
const PROFILE_KEYS = [
  'id',
  'title',
  'duration',
  'warm-up',
  'messages',
  'seed',
  'model',
  'message',
  'connection',
  'envelope',
  'thresholds',
] as const;
const REQUIRED = ['title', 'model'] as const;
const THRESHOLD_KEYS = ['expr', 'abort'] as const;

export interface LoadProfileResult {
  profile?: LoadProfile;
  /** Sorted by their place in the file. */
  diagnostics: Diagnostic[];
}

export function loadProfile(file: string, text: string): LoadProfileResult {
  const { ctx, syntaxOk } = parseYamlFile(file, text, 'profile');
  const profile = syntaxOk ? buildProfile(ctx) : undefined;
  return {
    ...(profile && !ctx.hasErrors() ? { profile } : {}),
    diagnostics: sortDiagnostics(ctx.diagnostics),
  };
}

function buildProfile(ctx: LoadContext): LoadProfile | undefined {
  const root = ctx.doc.contents;
  const field: Field = { label: 'the profile file', node: root, span: ctx.span(0, 0) };
  if (isNothing(root)) {
    const hint =
      'start with title: TEXT and model: { kind: closed, sessions: 2 } (see docs/load-profile.md)';
    ctx.error(ctx.span(0, 0), 'empty profile', 'the file holds no load profile', hint);
    return undefined;
  }
  const entries = readMapping(ctx, field, {
    what: 'profile',
    keys: PROFILE_KEYS,
    required: REQUIRED,
  });
  if (!entries) return undefined;
  const read = <T>(key: string, parse: (f: Field) => T | undefined, fallback: T) => {
    const f = entries.get(key);
    return f ? parse(f) : fallback;
  };
  const idField = entries.get('id');
  const id = idField ? getId(ctx, idField) : defaultId(ctx.file);
  const titleField = entries.get('title');
  const title = titleField && getString(ctx, titleField);
  const connection = read('connection', (f) => parseConnection(ctx, f), defaultConnection());
  const modelField = entries.get('model');
  const model = modelField && parseWorkloadModel(ctx, modelField, connection?.reuse);
  const durationMs = readDuration(ctx, entries, model);
  const warmUpMs = read('warm-up', (f) => readWarmUp(ctx, f), 0);
  const messages = read('messages', (f) => getInteger(ctx, f, 1), undefined);
  const seed = read(
    'seed',
    (f) => getInteger(ctx, f, 0, PROFILE_LIMITS.maxSeed),
    PROFILE_DEFAULTS.seed,
  );
  const message = read('message', (f) => parseMessageMix(ctx, f), defaultMessageMix());
  const envelope = read('envelope', (f) => parseEnvelope(ctx, f), defaultEnvelope());
  const thresholds = read('thresholds', (f) => parseThresholds(ctx, f), []);
  if (id === undefined || title === undefined || !model || durationMs === undefined)
    return undefined;
  if (seed === undefined || !message || !connection || !envelope || !thresholds) return undefined;
  if (warmUpMs === undefined) return undefined;
  if (entries.has('messages') && messages === undefined) return undefined;
  const span = ctx.span(root!.range?.[0] ?? 0, root!.range?.[1] ?? 0);
  return {
    id,
    title,
    file: ctx.file,
    durationMs,
    warmUpMs,
    ...(messages !== undefined ? { messages } : {}),
    seed,
    model,
    message,
    connection,
    envelope,
    thresholds,
    span,
  };
}

/** `suites/load/smoke.yaml` → `smoke`. */
function defaultId(file: string): string {
  return file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/i, '');
}

/**
 * The run's time bound: `duration`, else the stages' total for a ramp, else 10 s. A `duration`
 * shorter than the stages cuts the ramp (a warning); a longer one holds the last stage's rate.
 */
function readDuration(
  ctx: LoadContext,
  entries: Entries,
  model: WorkloadModel | undefined,
): number | undefined {
  const field = entries.get('duration');
  const stages = model?.kind === 'open' ? model.stages : [];
  const stagesMs = stages.reduce((sum, s) => sum + s.durationMs, 0);
  if (!field) return stagesMs > 0 ? stagesMs : PROFILE_DEFAULTS.durationMs;
  const ms = getDuration(ctx, field);
  if (ms !== undefined && ms < stagesMs) {
    const message = `'duration' ends the run after ${seconds(ms)}, before the stages do (${seconds(stagesMs)})`;
    const hint = "the later stages never run; remove 'duration' to run every stage";
    ctx.warn(field.span, 'ramp cut short', message, hint);
  }
  return ms;
}

/** `warm-up`: 0 (none) up to PROFILE_LIMITS.maxWarmUpMs. */
function readWarmUp(ctx: LoadContext, field: Field): number | undefined {
  const ms = getDuration(ctx, field, { allowZero: true });
  if (ms === undefined || ms <= PROFILE_LIMITS.maxWarmUpMs) return ms;
  const limit = seconds(PROFILE_LIMITS.maxWarmUpMs);
  const message = `'warm-up' must be at most ${limit}, found ${seconds(ms)}`;
  ctx.error(field.span, 'out of range', message, 'a few seconds warm a generator up');
  return undefined;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

function parseThresholds(ctx: LoadContext, field: Field): ThresholdSpec[] | undefined {
  const items = getList(ctx, field, true);
  if (!items) return undefined;
  const specs = items.map((item, i) =>
    parseThreshold(ctx, { ...item, label: `threshold ${i + 1}` }),
  );
  return specs.every((s) => s !== undefined) ? (specs as ThresholdSpec[]) : undefined;
}

/** `- p99(eod) < 50ms` or `- { expr: "rate(errors) < 0.1%", abort: true }`. */
function parseThreshold(ctx: LoadContext, field: Field): ThresholdSpec | undefined {
  const node = field.node;
  if (node && isMap(node)) {
    const entries = readMapping(ctx, field, {
      what: 'threshold',
      keys: THRESHOLD_KEYS,
      required: ['expr'],
    });
    const exprField = entries?.get('expr');
    const abortField = entries?.get('abort');
    const abortOnBreach = abortField ? getBoolean(ctx, abortField) : false;
    const spec = exprField && readExpression(ctx, exprField);
    return spec && abortOnBreach !== undefined ? { ...spec, abortOnBreach } : undefined;
  }
  if (node && isScalar(node) && typeof node.value === 'string') {
    const spec = readExpression(ctx, field);
    return spec && { ...spec, abortOnBreach: false };
  }
  typeError(
    ctx,
    field,
    'an expression or { expr: EXPRESSION, abort: true }',
    'e.g. p99(eod) < 50ms',
  );
  return undefined;
}

function readExpression(
  ctx: LoadContext,
  field: Field,
): { expression: string; span: SourceSpan } | undefined {
  const expression = getString(ctx, field);
  if (expression === undefined) return undefined;
  if (expression.trim() === '') {
    ctx.error(field.span, 'empty threshold', `${field.label} is empty`, 'e.g. p99(eod) < 50ms');
    return undefined;
  }
  return { expression, span: expressionSpan(ctx, field, expression) };
}

/** The span of the expression's own text: inside the quotes when written without escapes. */
function expressionSpan(ctx: LoadContext, field: Field, expression: string): SourceSpan {
  const { offset, length } = field.span;
  const written = ctx.text.slice(offset, offset + length);
  if (written === expression) return field.span;
  const quote = written[0];
  if ((quote === '"' || quote === "'") && written === `${quote}${expression}${quote}`)
    return ctx.span(offset + 1, offset + 1 + expression.length);
  return field.span;
}
