import { showable, type Reply } from '../protocol/reply.js';

/**
 * The EHLO keywords of a 250 reply (RFC 5321 §4.1.1.1): every line after the first starts with
 * a keyword, optionally followed by parameters. Keywords are returned upper-case, e.g.
 * `250-SIZE 10485760` gives `SIZE`; `capabilityLines` keeps the parameters.
 */
export function capabilityKeywords(reply: Reply): Set<string> {
  return new Set(capabilityLines(reply).map((line) => line.split(' ')[0]!.toUpperCase()));
}

/**
 * What `requires:` can match: each keyword, and `KEYWORD=PARAM` for each of its parameters
 * (`AUTH PLAIN LOGIN` gives `AUTH`, `AUTH=PLAIN`, `AUTH=LOGIN`), all upper-case.
 */
export function capabilityRequirements(lines: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const line of lines) {
    const [keyword, ...params] = line.toUpperCase().split(/\s+/);
    if (!keyword) continue;
    found.add(keyword);
    for (const param of params) found.add(`${keyword}=${param}`);
  }
  return found;
}

/** The fixed SIZE limit advertised (`SIZE 10485760`), or undefined for none or `SIZE 0`. */
export function advertisedSizeLimit(lines: readonly string[]): number | undefined {
  for (const line of lines) {
    const match = /^SIZE\s+(\d{1,20})\s*$/i.exec(line);
    if (match && Number(match[1]) > 0) return Number(match[1]);
  }
  return undefined;
}

/** The capability lines of an EHLO reply (`SIZE 10485760`, `AUTH PLAIN LOGIN`, …). */
export function capabilityLines(reply: Reply): string[] {
  return reply.lines
    .slice(1)
    .map((line) => showable(line.trim()))
    .filter((line) => line.length > 0);
}
