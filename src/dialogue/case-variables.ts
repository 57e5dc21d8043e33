import { randomBytes } from 'node:crypto';
import { templateReferences } from '../core/template.js';
import type { Case, Step } from '../suite/model.js';
import type { Credentials, RunContext } from './run-context.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * The variables of one case, later ones winning: built-in defaults, the suite's `vars:`, the
 * run's `--var`s, then what the runner derives: `auth_*` from the credentials and `size_*` from
 * the advertised SIZE limit (docs/suite-format.md).
 */
export function caseVariables(
  ctx: RunContext,
  suiteVars: Record<string, string>,
): Record<string, string> {
  return {
    ...ctx.vars,
    ...suiteVars,
    ...ctx.overrides,
    ...authVariables(ctx.credentials),
    ...sizeVariables(ctx.sizeLimit),
    token: newToken(),
  };
}

/** `${token}`: unique to one run of one case, letters and digits only (`sg` + 16 hex digits). */
function newToken(): string {
  return `sg${randomBytes(8).toString('hex')}`;
}

function authVariables(credentials: Credentials | undefined): Record<string, string> {
  if (!credentials) return {};
  const { user, pass } = credentials;
  return {
    auth_user: user,
    auth_pass: pass,
    auth_plain: b64(`\0${user}\0${pass}`),
    auth_user_b64: b64(user),
    auth_pass_b64: b64(pass),
  };
}

function sizeVariables(limit: number | undefined): Record<string, string> {
  return limit === undefined ? {} : { size_max: String(limit), size_over: String(limit + 1) };
}

/** Everything that must never be shown: the password and the PLAIN token that encodes it. */
export function credentialSecrets(credentials: Credentials | undefined): string[] {
  if (!credentials) return [];
  const { user, pass } = credentials;
  return [pass, `\0${user}\0${pass}`, b64(`\0${user}\0${pass}`)];
}

/** Why a case cannot run with this run's variables (credentials, a SIZE limit), if it cannot. */
export function missingPrerequisite(kase: Case, ctx: RunContext): string | undefined {
  const names = new Set(
    kase.steps.flatMap(stepTemplates).flatMap((t) => templateReferences(t).map((r) => r.name)),
  );
  if (!ctx.credentials && [...names].some((n) => n.startsWith('auth_'))) {
    return 'no credentials: give --auth USER:PASS or set SMTPGAUGE_AUTH';
  }
  if (ctx.sizeLimit === undefined && [...names].some((n) => n.startsWith('size_'))) {
    return 'the target advertises no fixed SIZE limit';
  }
  if (!ctx.capture && kase.steps.some((s) => s.kind === 'expect-delivered')) {
    return 'the run has no capture sink: give --capture and let the target relay to it';
  }
  return undefined;
}

function stepTemplates(step: Step): string[] {
  switch (step.kind) {
    case 'send':
      return step.lines;
    case 'raw':
      return [step.bytes];
    case 'ehlo':
      return [step.domain];
    case 'data':
      return step.body.kind === 'text'
        ? [step.body.text]
        : step.body.kind === 'raw'
          ? [step.body.bytes]
          : [String(step.body.size)];
    default:
      return [];
  }
}
