import type { AuditRule } from '../protocol/reply.js';
import type { Level } from '../suite/model.js';
import type { CaseResult, ReplyFinding, SuiteResult } from './case-result.js';

/**
 * Every reply the harness reads is audited (src/protocol/reply-audit.ts). The findings of a
 * whole run are turned into one result per rule, so a malformed reply fails a check of its own
 * (tied to the case and command that drew it) instead of tripping unrelated cases.
 */
interface RuleCheck {
  rule: AuditRule;
  id: string;
  title: string;
  section: string;
  level: Level;
}

const RULES: RuleCheck[] = [
  {
    rule: 'code-syntax',
    id: 'reply-code-three-digits',
    title: 'Every reply code is three digits starting with 2 to 5',
    section: '4.3.2',
    level: 'must',
  },
  {
    rule: 'separator',
    id: 'reply-code-separator',
    title: 'A reply code is followed by SP, "-" or the end of the line',
    section: '4.2',
    level: 'must',
  },
  {
    rule: 'mixed-codes',
    id: 'reply-multiline-same-code',
    title: 'All lines of a multi-line reply carry the same code',
    section: '4.2.1',
    level: 'must',
  },
  {
    rule: 'bare-lf',
    id: 'reply-crlf-line-endings',
    title: 'Reply lines end in CRLF, never a bare LF',
    section: '2.3.8',
    level: 'must',
  },
  {
    rule: 'extra-reply',
    id: 'reply-one-per-command',
    title: 'Every command draws exactly one reply',
    section: '4.2',
    level: 'must',
  },
  {
    rule: 'line-too-long',
    id: 'reply-line-length',
    title: 'A reply line is at most 512 octets including CRLF',
    section: '4.5.3.1.5',
    level: 'should',
  },
];

const SUITE_ID = 'rfc5321-reply-syntax';

/** `suite/case` ids of the reply-syntax checks, which every run adds. */
export const REPLY_SYNTAX_CASE_IDS: readonly string[] = RULES.map((r) => `${SUITE_ID}/${r.id}`);

export interface CaseFindings {
  suite: string;
  result: CaseResult;
}

const SHOWN = 3;

export function replySyntaxSuite(cases: CaseFindings[]): SuiteResult {
  return {
    id: SUITE_ID,
    title: 'RFC 5321: syntax of every reply read during the run',
    file: '(built in)',
    rfc: '5321',
    cases: RULES.map((check) => ruleResult(check, cases)),
  };
}

function ruleResult(check: RuleCheck, cases: CaseFindings[]): CaseResult {
  const hits: { where: string; finding: ReplyFinding }[] = [];
  let audited = 0;
  for (const { suite, result } of cases) {
    if (result.transcript.some((entry) => entry.dir === 'S')) audited++;
    for (const finding of result.findings) {
      if (finding.rule === check.rule) hits.push({ where: `${suite}/${result.id}`, finding });
    }
  }
  const base = {
    id: check.id,
    title: check.title,
    rfc: '5321',
    section: check.section,
    level: check.level,
    durationMs: 0,
    transcript: [],
    findings: hits.map((h) => h.finding),
  };
  if (audited === 0)
    return { ...base, status: 'skipped', reason: 'no reply was read during the run' };
  if (hits.length === 0) return { ...base, status: 'passed', reason: '' };
  const shown = hits
    .slice(0, SHOWN)
    .map(
      (h) =>
        `${h.where}: reply to ${h.finding.command} "${h.finding.reply}" (${h.finding.message})`,
    );
  const more = hits.length > SHOWN ? `; and ${hits.length - SHOWN} more` : '';
  return {
    ...base,
    status: 'failed',
    reason: `${hits.length} malformed ${hits.length === 1 ? 'reply' : 'replies'}: ${shown.join('; ')}${more}`,
    failure: {
      step: 0,
      location: hits[0]!.where,
      expected: check.title.toLowerCase(),
      actual: shown[0]!,
    },
  };
}
