/**
 * Durations as users write them: `250ms`, `2s`, `1.5s`, `2m`, or a bare number of
 * milliseconds. Grammar: `number [ "ms" | "s" | "m" ]`.
 */
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

/** The longest duration a timer can wait (2^31 - 1 ms, about 24.8 days). */
export const MAX_DURATION_MS = 2_147_483_647;

/** Returns milliseconds, or undefined when `text` is not a duration or longer than a timer allows. */
export function parseDuration(text: string | number): number | undefined {
  const ms = typeof text === 'number' ? text : fromText(text);
  return ms !== undefined && Number.isFinite(ms) && ms >= 0 && ms <= MAX_DURATION_MS
    ? ms
    : undefined;
}

function fromText(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 'ms') as keyof typeof UNIT_MS;
  return Number(match[1]) * UNIT_MS[unit];
}
