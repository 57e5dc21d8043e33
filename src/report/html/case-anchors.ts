/**
 * Element ids of suites and cases, for in-page links (`#case:rfc5321-rcpt/rcpt-before-mail`).
 * Ids in a result are slugs; whitespace, which an id may not hold, becomes `_`.
 */
export function suiteAnchor(suiteId: string): string {
  return `suite:${idSafe(suiteId)}`;
}

/** `suite/case`, or a suite id and a case id. */
export function caseAnchor(suiteOrQualified: string, caseId?: string): string {
  const qualified = caseId === undefined ? suiteOrQualified : `${suiteOrQualified}/${caseId}`;
  return `case:${idSafe(qualified)}`;
}

function idSafe(id: string): string {
  return id.replace(/\s/g, '_');
}
