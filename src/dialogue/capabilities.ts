import type { Reply } from '../protocol/reply.js';

/**
 * The EHLO keywords of a 250 reply (RFC 5321 §4.1.1.1): every line after the first starts with
 * a keyword, optionally followed by parameters. Keywords are returned upper-case, e.g.
 * `250-SIZE 10485760` gives `SIZE`; `capabilityLines` keeps the parameters.
 */
export function capabilityKeywords(reply: Reply): Set<string> {
  return new Set(capabilityLines(reply).map((line) => line.split(' ')[0]!.toUpperCase()));
}

/** The capability lines of an EHLO reply (`SIZE 10485760`, `AUTH PLAIN LOGIN`, …). */
export function capabilityLines(reply: Reply): string[] {
  return reply.lines
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
