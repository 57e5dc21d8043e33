/**
 * Durations as users write them: `250ms`, `2s`, `1.5s`, `2m`, or a bare number of
 * milliseconds. Grammar: `number [ "ms" | "s" | "m" ]`.
 */
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;

/** Returns milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 'ms') as keyof typeof UNIT_MS;
  return Number(match[1]) * UNIT_MS[unit];
}

export function formatDuration(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
