import { interpolate } from '../core/template.js';
import { parseDuration } from '../core/duration.js';
import type { GaugeError } from '../core/errors.js';
import type { Credentials } from '../dialogue/run-context.js';

type Parsed<T> = { ok: true; value: T } | { ok: false; error: GaugeError };

const usage = (message: string): { ok: false; error: GaugeError } => ({
  ok: false,
  error: { kind: 'usage', message },
});

/** `HOST:PORT`, `[IPv6]:PORT`; the port is required. */
export function parseTarget(text: string): Parsed<{ host: string; port: number }> {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port < 1 || port > 65535) {
    return usage(`--target '${text}' is not HOST:PORT (e.g. 127.0.0.1:25 or [::1]:2525)`);
  }
  return { ok: true, value: { host: (match[1] ?? match[2])!, port } };
}

/**
 * `--capture`: where the capture sink listens. Empty (a bare `--capture`): a free port on
 * 127.0.0.1; `PORT`: that port on 127.0.0.1; `HOST:PORT`: there.
 */
export function parseCapture(text: string): Parsed<{ host: string; port: number }> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: { host: '127.0.0.1', port: 0 } };
  if (/^\d{1,5}$/.test(trimmed) && Number(trimmed) <= 65535)
    return { ok: true, value: { host: '127.0.0.1', port: Number(trimmed) } };
  const target = parseTarget(trimmed);
  if (target.ok) return target;
  return usage(`--capture '${text}' is not PORT or HOST:PORT (e.g. 2526 or 127.0.0.1:2526)`);
}

/** `USER:PASS` (the password may contain ':'). */
export function parseAuth(text: string, source: string): Parsed<Credentials> {
  const colon = text.indexOf(':');
  if (colon <= 0) return usage(`${source} must be USER:PASS`);
  return { ok: true, value: { user: text.slice(0, colon), pass: text.slice(colon + 1) } };
}

/** Names the runner defines itself: the repeat round, the case token, auth_* and size_*. */
const RESERVED = /^(?:n|token|auth_\w*|size_\w*)$/;

/**
 * Repeated `--var name=value`; a value may refer to the defaults and the other `--var`s
 * (suite variables are not known here; the loader checks references inside suites).
 */
export function parseVars(
  items: readonly string[],
  defaults: Readonly<Record<string, string>> = {},
): Parsed<Record<string, string>> {
  const vars: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const name = eq > 0 ? item.slice(0, eq) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return usage(`--var '${item}' is not NAME=VALUE`);
    if (RESERVED.test(name)) return usage(`--var ${name}: the runner sets this variable itself`);
    vars[name] = item.slice(eq + 1);
  }
  for (const [name, value] of Object.entries(vars)) {
    const resolved = interpolate(value, { ...defaults, ...vars });
    if (!resolved.ok) return usage(`--var ${name}: \${${resolved.missing}} is not defined`);
  }
  return { ok: true, value: vars };
}

export function parseDurationOption(text: string, option: string): Parsed<number> {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    return usage(`${option} '${text}' is not a duration (e.g. 500ms, 10s)`);
  return { ok: true, value: ms };
}
