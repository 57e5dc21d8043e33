import type { Expectation } from '../suite/model.js';

/**
 * Matching replies against expectations (src/suite/model.ts, patterns checked by the loader),
 * and describing expectations in words for reasons and reports.
 */
/** True when the three-digit `code` matches `pattern` (`x` matches any digit). */
export function codeMatches(pattern: string, code: number): boolean {
  const digits = String(code).padStart(3, '0');
  if (pattern.length !== 3 || digits.length !== 3) return false;
  return [...pattern].every((p, i) => p === 'x' || p === digits[i]);
}

/** True when the enhanced status code (`2.1.5`) matches `pattern` (`2.1.x`, `*`). */
export function enhancedMatches(pattern: string, enhanced: string | undefined): boolean {
  if (enhanced === undefined) return false;
  if (pattern === '*') return true;
  const want = pattern.split('.');
  const got = enhanced.split('.');
  if (want.length !== 3 || got.length !== 3) return false;
  return want.every((w, i) => w === 'x' || Number(w) === Number(got[i]));
}

/** `/ok/i` for display. */
export function formatRegex(text: { source: string; flags: string }): string {
  return `/${text.source}/${text.flags}`;
}

/** `250 or 251`, `250, 251 or 5xx`. */
export function joinAlternatives(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * The expectation in words: `250`, `250 or 251`, `2xx (not 250), enhanced 2.1.x, text /ok/i`,
 * `any code, text /ok/`.
 */
export function describeExpectation(e: Expectation): string {
  let head = e.codes.length > 0 ? joinAlternatives(e.codes) : 'any code';
  if (e.not.length > 0) head += ` (not ${joinAlternatives(e.not)})`;
  const parts = [head];
  if (e.enhanced === '*') parts.push('an enhanced code');
  else if (e.enhanced !== undefined) parts.push(`enhanced ${e.enhanced}`);
  if (e.text) parts.push(`text ${formatRegex(e.text)}`);
  return parts.join(', ');
}

export interface ReplyToMatch {
  code: number;
  text: string;
  enhanced?: string;
}

export type MatchResult = { ok: true } | { ok: false; reason: string };

/**
 * Matches a reply; on a mismatch the reason names the first condition that failed
 * (`code 550 is not 250 or 251`). The caller adds the reply itself.
 */
export function matchExpectation(e: Expectation, reply: ReplyToMatch): MatchResult {
  const code = String(reply.code).padStart(3, '0');
  if (e.codes.length > 0 && !e.codes.some((p) => codeMatches(p, reply.code))) {
    return { ok: false, reason: `code ${code} is not ${joinAlternatives(e.codes)}` };
  }
  const excluded = e.not.find((p) => codeMatches(p, reply.code));
  if (excluded !== undefined) {
    return { ok: false, reason: `code ${code} is excluded (not ${excluded})` };
  }
  if (e.enhanced !== undefined) {
    if (reply.enhanced === undefined) return { ok: false, reason: 'enhanced status code missing' };
    if (!enhancedMatches(e.enhanced, reply.enhanced)) {
      const reason = `enhanced code ${reply.enhanced} does not match ${e.enhanced}`;
      return { ok: false, reason };
    }
  }
  if (e.text && !new RegExp(e.text.source, e.text.flags).test(reply.text)) {
    return { ok: false, reason: `text does not match ${formatRegex(e.text)}` };
  }
  return { ok: true };
}
