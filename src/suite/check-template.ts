import { isScalar } from 'yaml';
import { templateReferences } from '../core/template.js';
import { didYouMean } from '../core/did-you-mean.js';
import type { LoadContext } from './load-context.js';
import { RUNTIME_VARS } from './model.js';
import { locateInScalar } from './yaml-nodes.js';
import type { Field } from './yaml-nodes.js';

/**
 * Checks the `${name}` references of a template (grammar in src/core/template.ts): every name
 * must be known (defaults, the suite's `vars:`, the caller's extra variables), runtime variables
 * (`${n}`) only where the runner defines them, and a `${` must start a well-formed reference.
 */
export interface TemplateScope {
  /** Inside a `send` step with `repeat`, where `${n}` is the round. */
  inRepeat: boolean;
}

const DOLLAR_BRACE = /\$\$|\$\{(?:[A-Za-z_][A-Za-z0-9_]*\})?/g;

export function checkTemplate(
  ctx: LoadContext,
  field: Field,
  value: string,
  scope: TemplateScope,
): void {
  const node = field.node;
  const at = (offset: number, needle: string) =>
    node && isScalar(node) ? locateInScalar(ctx, node, offset, needle) : field.span;
  for (const match of value.matchAll(DOLLAR_BRACE)) {
    if (match[0] !== '${') continue;
    const hint = 'write ${name} with a name of letters, digits and _, or $$ for a literal $';
    ctx.error(
      at(match.index, '${'),
      'malformed variable',
      `'\${' does not start a variable reference`,
      hint,
    );
  }
  for (const { name, offset } of templateReferences(value)) {
    if (ctx.knownVars.has(name)) continue;
    const span = at(offset, `\${${name}}`);
    if ((RUNTIME_VARS as readonly string[]).includes(name)) {
      if (scope.inRepeat) continue;
      const message = `'\${${name}}' is only defined inside a step with 'repeat'`;
      ctx.error(
        span,
        'variable outside repeat',
        message,
        "add 'repeat: N' to this step, or define it under 'vars:'",
      );
      continue;
    }
    const hint =
      didYouMean(name, [...ctx.knownVars]) ?? `define it under 'vars:' or pass --var ${name}=VALUE`;
    ctx.error(span, 'unknown variable', `'\${${name}}' is not a defined variable`, hint);
  }
}
