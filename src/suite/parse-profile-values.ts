import { isScalar } from 'yaml';
import type { LoadContext } from './load-context.js';
import { PROFILE_LIMITS } from './profile-model.js';
import { describeNode, typeError } from './yaml-nodes.js';
import type { Field } from './yaml-nodes.js';

/**
 * The scalar values of a load profile (docs/load-profile.md):
 *
 *   size  = INTEGER                          octets
 *         | NUMBER ( "B" | "KB" | "MB" )     1 KB = 1024 B, 1 MB = 1024 KB; any case;
 *                                            rounded to a whole octet
 *   rate  = NUMBER "/" ( "s" | "m" )         per second or per minute; stored per second
 *   share = NUMBER "%"                       0% to 100%
 *         | NUMBER                           a fraction from 0 to 1
 *
 * Spaces are allowed between a number and its unit (`1 KB`, `200 / s`).
 */
const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/i;
const RATE = /^(\d+(?:\.\d+)?)\s*\/\s*(s|m)$/;
const PERCENT = /^(\d+(?:\.\d+)?)\s*%$/;

const SIZE_UNITS = { b: 1, kb: 1024, mb: 1024 * 1024 } as const;
const SIZE_HINT = 'write 4KB, 1.5MB or a number of octets (1 KB = 1024 octets)';
const RATE_HINT = 'write a number per second or per minute: 200/s, 30/m';
const SHARE_HINT = 'write a percentage (25%) or a fraction from 0 to 1 (0.25)';

/** A message size in octets, from `PROFILE_LIMITS.minMessageSize` to `maxMessageSize`. */
export function getSize(ctx: LoadContext, field: Field): number | undefined {
  const value = scalarValue(field);
  const octets =
    typeof value === 'number' ? value : typeof value === 'string' ? parseSize(value) : undefined;
  if (octets === undefined || !Number.isInteger(octets)) {
    if (typeof value !== 'number' && typeof value !== 'string') {
      typeError(ctx, field, 'a size', SIZE_HINT);
    } else {
      const message = `${field.label} must be a size, found ${describeNode(ctx, field.node)}`;
      ctx.error(field.span, 'bad size', message, SIZE_HINT);
    }
    return undefined;
  }
  const { minMessageSize: min, maxMessageSize: max } = PROFILE_LIMITS;
  if (octets < min || octets > max) {
    const range = `from ${formatSize(min)} to ${formatSize(max)}`;
    const message = `${field.label} must be ${range}, found ${formatSize(octets)}`;
    const hint =
      octets < min ? 'a generated message needs room for its headers (about 250 octets)' : '';
    ctx.error(field.span, 'size out of range', message, hint || undefined);
    return undefined;
  }
  return octets;
}

/** Octets, or undefined when `text` is not a size. */
export function parseSize(text: string): number | undefined {
  const match = SIZE.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2]?.toLowerCase() ?? 'b') as keyof typeof SIZE_UNITS;
  return Math.round(Number(match[1]) * SIZE_UNITS[unit]);
}

/** `4 KB`, `1.5 MB`, `1500 B`: the shortest exact form. */
export function formatSize(octets: number): string {
  for (const [unit, factor] of [
    ['MB', 1024 * 1024],
    ['KB', 1024],
  ] as const) {
    const scaled = octets / factor;
    if (octets >= factor && Number.isInteger(scaled * 1000)) return `${scaled} ${unit}`;
  }
  return `${octets} B`;
}

/** A rate per second; 0 only with `allowZero` (a ramp may start or end at rest). */
export function getRate(
  ctx: LoadContext,
  field: Field,
  options: { allowZero?: boolean } = {},
): number | undefined {
  const value = scalarValue(field);
  if (typeof value === 'number') {
    const message = `${field.label} must be a rate with its unit, found ${describeNode(ctx, field.node)}`;
    ctx.error(field.span, 'bad rate', message, `write ${value}/s or ${value}/m`);
    return undefined;
  }
  if (typeof value !== 'string') {
    typeError(ctx, field, 'a rate', RATE_HINT);
    return undefined;
  }
  const match = RATE.exec(value.trim());
  if (!match) {
    const message = `${field.label} must be a rate, found ${describeNode(ctx, field.node)}`;
    ctx.error(field.span, 'bad rate', message, RATE_HINT);
    return undefined;
  }
  const perSecond = Number(match[1]) / (match[2] === 'm' ? 60 : 1);
  if ((perSecond === 0 && !options.allowZero) || perSecond > PROFILE_LIMITS.maxRate) {
    const low = options.allowZero ? '0/s' : 'above 0/s';
    const message = `${field.label} must be ${low} and at most ${PROFILE_LIMITS.maxRate}/s, found ${value.trim()}`;
    ctx.error(field.span, 'rate out of range', message);
    return undefined;
  }
  return perSecond;
}

/** A share as a fraction from 0 to 1, written as a percentage or a fraction. */
export function getShare(ctx: LoadContext, field: Field): number | undefined {
  const value = scalarValue(field);
  const percent = typeof value === 'string' ? PERCENT.exec(value.trim()) : null;
  // 49.2 / 100 is 0.49200000000000005 in floating point; 15 digits give back 0.492.
  const fromPercent = percent ? Number((Number(percent[1]) / 100).toPrecision(15)) : undefined;
  const share = typeof value === 'number' ? value : fromPercent;
  if (share === undefined) {
    if (typeof value === 'string') {
      const message = `${field.label} must be a share, found ${describeNode(ctx, field.node)}`;
      ctx.error(field.span, 'bad share', message, SHARE_HINT);
    } else typeError(ctx, field, 'a share', SHARE_HINT);
    return undefined;
  }
  if (share < 0 || share > 1) {
    const message = `${field.label} must be from 0% to 100%, found ${describeNode(ctx, field.node)}`;
    const hint = typeof value === 'number' ? `a number is a fraction: write ${value}%` : undefined;
    ctx.error(field.span, 'share out of range', message, hint);
    return undefined;
  }
  return share;
}

/** `25%`, `12.5%`: a fraction as a percentage, without float noise. */
export function formatShare(fraction: number): string {
  return `${Number((fraction * 100).toFixed(6))}%`;
}

function scalarValue(field: Field): unknown {
  const node = field.node;
  return node && isScalar(node) ? node.value : undefined;
}
