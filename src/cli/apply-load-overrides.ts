import type { GaugeError } from '../core/errors.js';
import { parseDuration } from '../core/duration.js';
import { PROFILE_LIMITS, type LoadProfile } from '../suite/profile-model.js';

/**
 * The command line's changes to a profile: `--duration`, `--warm-up`, `--rate` (open model: a
 * constant rate replacing the stages), `--connections` (closed: sessions; open: the session cap)
 * and `--seed`. Returns the changed profile and what was changed, for the report.
 */
export interface LoadOverrides {
  duration?: string;
  warmUp?: string;
  rate?: string;
  connections?: string;
  seed?: string;
}

export function applyOverrides(
  profile: LoadProfile,
  o: LoadOverrides,
): { profile: LoadProfile; applied: Record<string, string> } | GaugeError {
  const applied: Record<string, string> = {};
  let next: LoadProfile = { ...profile };
  if (o.duration !== undefined) {
    const ms = parseDuration(o.duration);
    if (ms === undefined || ms <= 0)
      return usage(`--duration '${o.duration}' is not a duration (e.g. 30s)`);
    next = { ...next, durationMs: ms };
    applied.duration = o.duration;
  }
  if (o.warmUp !== undefined) {
    const ms = parseDuration(o.warmUp);
    if (ms === undefined || ms < 0 || ms > PROFILE_LIMITS.maxWarmUpMs)
      return usage(
        `--warm-up '${o.warmUp}' must be a duration from 0 to ${PROFILE_LIMITS.maxWarmUpMs / 60_000}m (e.g. 1s)`,
      );
    next = { ...next, warmUpMs: ms };
    applied['warm-up'] = o.warmUp;
  }
  if (o.rate !== undefined) {
    const rate = parseRate(o.rate);
    if (rate === undefined) return usage(`--rate '${o.rate}' is not a rate (e.g. 500/s, 100/m)`);
    if (next.model.kind !== 'open')
      return usage('--rate applies to the open model; this profile is closed (use --connections)');
    next = { ...next, model: { ...next.model, rate, stages: [], startRate: 0 } };
    applied.rate = o.rate;
  }
  if (o.connections !== undefined) {
    const n = Number(o.connections);
    if (!Number.isInteger(n) || n < 1 || n > PROFILE_LIMITS.maxSessions)
      return usage(`--connections '${o.connections}' must be 1 to ${PROFILE_LIMITS.maxSessions}`);
    next = {
      ...next,
      model:
        next.model.kind === 'closed'
          ? { ...next.model, sessions: n }
          : { ...next.model, maxSessions: n },
    };
    applied.connections = o.connections;
  }
  if (o.seed !== undefined) {
    const seed = Number(o.seed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
      return usage(`--seed '${o.seed}' must be a whole number from 0 to 4294967295`);
    next = { ...next, seed };
    applied.seed = o.seed;
  }
  return { profile: next, applied };
}

/** `N/s`, `N/m`, or a bare number per second. */
function parseRate(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(?:\/\s*(s|m))?$/.exec(text.trim());
  if (!match) return undefined;
  const perSecond = Number(match[1]) / (match[2] === 'm' ? 60 : 1);
  return perSecond > 0 && perSecond <= PROFILE_LIMITS.maxRate ? perSecond : undefined;
}

const usage = (message: string): GaugeError => ({ kind: 'usage', message });
