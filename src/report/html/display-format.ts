/**
 * Numbers and times as the HTML report shows them. Deterministic (UTC, no locale), so a report
 * re-rendered from its JSON is byte-identical to the one the run wrote.
 *
 *   formatDuration(3.214)     → "3.2 ms"      formatDuration(4180)  → "4.18 s"
 *   formatDuration(62500)     → "1 min 02 s"  formatOffset(412)     → "0.412 ms"
 *   formatTimestamp("2026-11-23T10:00:00.000Z") → "2026-11-23 10:00:00 UTC"
 *   formatCount(52311) → "52 311"   formatMs(6.2671) → "6.267"   formatRate(99.43) → "99.4"
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 10) return `${trimZeros(ms.toFixed(1))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${trimZeros((ms / 1000).toFixed(2))} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${pad2(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${pad2(Math.floor(seconds / 60) % 60)} min`;
}

/** A transcript offset (µs since the connection began) in milliseconds, to the µs. */
export function formatOffset(micros: number): string {
  return `${(micros / 1000).toFixed(3)} ms`;
}

/** An ISO 8601 instant as `YYYY-MM-DD HH:MM:SS UTC`; anything unparsable as given. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
  const time = `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`;
  return `${day} ${time} UTC`;
}

/** `host:port`, with an IPv6 host in brackets. */
export function formatHostPort(target: { host: string; port: number }): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${host}:${target.port}`;
}

/** `1 case`, `2 cases`; `plural(2, 'entry', 'entries')`. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/**
 * A count, digits grouped by a narrow no-break space from 10,000 up (SI style, no locale):
 * `1200`, `52 311`, `1 204 330`.
 */
export function formatCount(count: number): string {
  if (!Number.isInteger(count) || Math.abs(count) < 10_000) return String(count);
  return String(count).replace(/\B(?=(\d{3})+$)/g, '\u202f');
}

/** A latency in ms as the result stores it: three decimals (1 µs). `6.267`, `0.400`. */
export function formatMs(ms: number): string {
  return Number.isFinite(ms) ? ms.toFixed(3) : String(ms);
}

/** A rate per second with one decimal: `99.4`; from 10,000 up, a grouped whole number. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return String(perSecond);
  return perSecond >= 10_000 ? formatCount(Math.round(perSecond)) : perSecond.toFixed(1);
}

/** A share 0..1 as a percentage to three digits: `14.2%`, `99.7%`, `0.3%`, `100%`. */
export function formatShare(share: number): string {
  return Number.isFinite(share) ? `${Number((share * 100).toPrecision(3))}%` : String(share);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
