import { isMap } from 'yaml';
import type { LoadContext } from './load-context.js';
import { formatShare, getShare } from './parse-profile-values.js';
import { PROFILE_DEFAULTS } from './profile-model.js';
import type { ConnectionOptions, EnvelopeOptions, TlsMode } from './profile-model.js';
import { getBoolean, getKeyword, getString, hadRejectedKeys, readMapping } from './yaml-nodes.js';
import type { Entries, Field } from './yaml-nodes.js';

/**
 * The `connection:` and `envelope:` sections of a profile (docs/load-profile.md):
 *
 *   connection = { tls?: TLS, auth?: BOOL, pipelining?: BOOL, chunking?: BOOL, reuse?: BOOL,
 *                  helo?: DOMAIN }
 *   TLS        = none | starttls | implicit
 *              | { none?: SHARE, starttls?: SHARE }        weights adding up to 100%
 *   envelope   = { sender?: ADDRESS | "", recipient-prefix?: TEXT, domain?: DOMAIN }
 *
 * Defaults: tls none, auth false, pipelining true, chunking false, reuse true, the helo, sender,
 * prefix and domain of PROFILE_DEFAULTS. `implicit` cannot be mixed: it needs its own port.
 */
const CONNECTION_KEYS = ['tls', 'auth', 'pipelining', 'chunking', 'reuse', 'helo'] as const;
const ENVELOPE_KEYS = ['sender', 'recipient-prefix', 'domain'] as const;
const TLS_MODES = ['none', 'starttls', 'implicit'] as const;

const DOMAIN =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const ADDRESS_LITERAL = /^\[[^\s[\]]+\]$/;
const ADDRESS = /^[^\s<>@]+@[^\s<>@]+$/;
const LOCAL_PART_PREFIX = /^[A-Za-z0-9._+-]+$/;

export function defaultConnection(): ConnectionOptions {
  return {
    tls: [{ mode: 'none', weight: 1 }],
    auth: false,
    pipelining: true,
    chunking: false,
    reuse: true,
    helo: PROFILE_DEFAULTS.helo,
  };
}

export function defaultEnvelope(): EnvelopeOptions {
  const { sender, recipientPrefix, domain } = PROFILE_DEFAULTS;
  return { sender, recipientPrefix, domain };
}

export function parseConnection(ctx: LoadContext, field: Field): ConnectionOptions | undefined {
  const entries = readMapping(ctx, field, { what: 'connection', keys: CONNECTION_KEYS });
  if (!entries) return undefined;
  const defaults = defaultConnection();
  const tlsField = entries.get('tls');
  const tls = tlsField ? parseTls(ctx, tlsField) : defaults.tls;
  const flag = (key: string, fallback: boolean) => {
    const f = entries.get(key);
    return f ? getBoolean(ctx, f) : fallback;
  };
  const auth = flag('auth', defaults.auth);
  const pipelining = flag('pipelining', defaults.pipelining);
  const chunking = flag('chunking', defaults.chunking);
  const reuse = flag('reuse', defaults.reuse);
  const heloField = entries.get('helo');
  const helo = heloField ? getHelo(ctx, heloField) : defaults.helo;
  if (!tls || auth === undefined || pipelining === undefined || chunking === undefined)
    return undefined;
  if (reuse === undefined || helo === undefined) return undefined;
  return { tls, auth, pipelining, chunking, reuse, helo };
}

/** `tls: starttls` (always), or weights per mode: `{ none: 50%, starttls: 50% }`. */
function parseTls(ctx: LoadContext, field: Field): ConnectionOptions['tls'] | undefined {
  if (!field.node || !isMap(field.node)) {
    const mode = getKeyword(ctx, field, TLS_MODES);
    return mode && [{ mode, weight: 1 }];
  }
  const entries = readMapping(ctx, field, { what: 'TLS mix', keys: TLS_MODES });
  if (!entries) return undefined;
  if (entries.size === 0) {
    if (!hadRejectedKeys(field, entries)) {
      const hint = 'write tls: { none: 50%, starttls: 50% }';
      ctx.error(field.span, 'empty TLS mix', "'tls' gives no mode and no weight", hint);
    }
    return undefined;
  }
  const mix: { mode: TlsMode; weight: number }[] = [];
  for (const [key, entry] of entries) {
    const weight = getShare(ctx, entry);
    if (weight !== undefined) mix.push({ mode: key as TlsMode, weight });
  }
  if (mix.length < entries.size) return undefined;
  if (!checkImplicitAlone(ctx, entries)) return undefined;
  const total = mix.reduce((sum, m) => sum + m.weight, 0);
  if (Math.abs(total - 1) > 1e-9) {
    const shown = mix.map((m) => formatShare(m.weight)).join(' + ');
    const message = `the TLS weights add up to ${formatShare(total)} (${shown}), not 100%`;
    ctx.error(field.span, 'weights not 100%', message, 'make the weights add up to 100%');
    return undefined;
  }
  return mix;
}

/** Implicit TLS (port 465) and plain or STARTTLS sessions (port 25, 587) never share a port. */
function checkImplicitAlone(ctx: LoadContext, entries: Entries): boolean {
  const implicit = entries.get('implicit');
  if (!implicit || entries.size === 1) return true;
  const others = [...entries.keys()].filter((k) => k !== 'implicit').join(', ');
  const message = `'implicit' TLS cannot be mixed with ${others}: the target port speaks one or the other`;
  const hint = 'run implicit TLS as a profile of its own against the implicit-TLS port (465)';
  ctx.error(implicit.keySpan, 'mixed implicit TLS', message, hint);
  return false;
}

/** The EHLO argument: a domain or an address literal (`[192.0.2.1]`). */
function getHelo(ctx: LoadContext, field: Field): string | undefined {
  const helo = getString(ctx, field);
  if (helo === undefined || DOMAIN.test(helo) || ADDRESS_LITERAL.test(helo)) return helo;
  const message = `'helo' must be a domain or an address literal ([192.0.2.1]), found '${helo}'`;
  ctx.error(field.span, 'bad helo', message, 'e.g. client.example.test');
  return undefined;
}

export function parseEnvelope(ctx: LoadContext, field: Field): EnvelopeOptions | undefined {
  const entries = readMapping(ctx, field, { what: 'envelope', keys: ENVELOPE_KEYS });
  if (!entries) return undefined;
  const defaults = defaultEnvelope();
  const read = (key: string, fallback: string, check: (text: string) => string | undefined) => {
    const f = entries.get(key);
    if (!f) return fallback;
    const text = getString(ctx, f);
    const problem = text === undefined ? undefined : check(text);
    if (problem === undefined) return text;
    ctx.error(f.span, `bad ${key}`, `'${key}' ${problem}, found '${text}'`);
    return undefined;
  };
  const sender = read('sender', defaults.sender, (t) =>
    t === '' || ADDRESS.test(t) ? undefined : 'must be local@domain, or "" for <>',
  );
  const recipientPrefix = read('recipient-prefix', defaults.recipientPrefix, (t) =>
    LOCAL_PART_PREFIX.test(t) ? undefined : 'must be letters, digits and . _ + -',
  );
  const domain = read('domain', defaults.domain, (t) =>
    DOMAIN.test(t) ? undefined : 'must be a domain such as example.test',
  );
  if (sender === undefined || recipientPrefix === undefined || domain === undefined)
    return undefined;
  return { sender, recipientPrefix, domain };
}
