import { isMap, isScalar } from 'yaml';
import { didYouMean } from '../core/did-you-mean.js';
import type { LoadContext } from './load-context.js';
import type { Step } from './model.js';
import { ACTIONS, buildStep, MODIFIERS } from './step-actions.js';
import type { Action } from './step-actions.js';
import { getString, hadRejectedKeys, readMapping, typeError } from './yaml-nodes.js';
import type { Entries, Field } from './yaml-nodes.js';

/**
 * One step of a case (docs/suite-format.md, "Steps"):
 *
 *   step      = shorthand | "{" action [ modifier … ] "}"
 *   shorthand = "ehlo" | "starttls" | "tls-handshake" | "disconnect"     - ehlo
 *   action    = send | raw | expect | ehlo | data | starttls | auth
 *             | pause | expect-close | expect-silence | tls-handshake
 *             | expect-delivered | disconnect
 *                                                         exactly one per step
 *   modifier  = expect: E       with send, raw, ehlo, data, auth
 *             | expect-each: [E…]  with data (one reply per item, LMTP)
 *             | repeat: N       with send
 *
 * `expect` is the action when it is the only key, and a modifier next to another action.
 */
const SHORTHANDS: readonly Action[] = ['ehlo', 'starttls', 'tls-handshake', 'disconnect'];
/** Keys that modify an action; `expect` is also an action when it stands alone. */
const MODIFIER_KEYS: readonly string[] = ['expect', 'expect-each', 'repeat'];
const STEP_KEYS = [...ACTIONS, 'repeat', 'expect-each'] as const;

export function parseStep(ctx: LoadContext, field: Field): Step | undefined {
  const node = field.node;
  if (node && isScalar(node)) return parseShorthand(ctx, field);
  if (!node || !isMap(node)) {
    typeError(ctx, field, 'a step (a mapping such as send: NOOP, or - ehlo)');
    return undefined;
  }
  const entries = readMapping(ctx, field, { what: 'step', keys: STEP_KEYS });
  if (!entries) return undefined;
  const action = findAction(ctx, field, entries, hadRejectedKeys(field, entries));
  if (action === undefined) return undefined;
  if (!checkModifiers(ctx, action, entries)) return undefined;
  return buildStep(ctx, action, entries, field.span);
}

function parseShorthand(ctx: LoadContext, field: Field): Step | undefined {
  const word = getString(ctx, field);
  if (word === undefined) return undefined;
  const action = SHORTHANDS.find((s) => s === word.trim().toLowerCase());
  if (action) return buildStep(ctx, action, new Map(), field.span);
  const isAction = (ACTIONS as readonly string[]).includes(word);
  const message = isAction
    ? `'${word}' needs a value; only ${SHORTHANDS.slice(0, -1).join(', ')} and ${SHORTHANDS.at(-1)} may stand alone`
    : `'${word}' is not a step`;
  const hint = isAction
    ? `write '${word}: …'`
    : (didYouMean(word, ACTIONS) ?? `a step is a mapping such as 'send: ${word.toUpperCase()}'`);
  ctx.error(field.span, isAction ? 'missing value' : 'unknown step', message, hint);
  return undefined;
}

/** The step's one action key; `expect` counts only when nothing else is there. */
function findAction(
  ctx: LoadContext,
  field: Field,
  entries: Entries,
  hadUnknownKeys: boolean,
): Action | undefined {
  const keys = [...entries.keys()];
  const actions = keys.filter((k): k is Action => !MODIFIER_KEYS.includes(k));
  if (actions.length === 0 && entries.has('expect')) return 'expect';
  if (actions.length === 1) return actions[0];
  if (actions.length === 0) {
    if (!hadUnknownKeys) {
      const message = `this step has no action (one of ${ACTIONS.join(', ')})`;
      ctx.error(field.span, 'missing action', message, 'add one action, e.g. send: NOOP');
    }
    return undefined;
  }
  const second = entries.get(actions[1]!)!;
  const message = `'${actions[1]}' and '${actions[0]}' in one step; a step does exactly one thing`;
  ctx.error(second.keySpan, 'two actions', message, 'split it into two steps');
  return undefined;
}

function checkModifiers(ctx: LoadContext, action: Action, entries: Entries): boolean {
  let ok = true;
  for (const entry of entries.values()) {
    if (entry.key === action || MODIFIERS[action].includes(entry.key)) continue;
    ok = false;
    const message = `'${entry.key}' cannot be used with '${action}'`;
    ctx.error(entry.keySpan, 'modifier not allowed', message, modifierHint(entry.key, action));
  }
  return ok;
}

function modifierHint(modifier: string, action: Action): string {
  if (modifier === 'repeat') return "'repeat' works only with 'send'";
  if (modifier === 'expect-each') return "'expect-each' works only with 'data'";
  if (action === 'starttls')
    return "starttls always requires 220; to expect another reply, use 'send: STARTTLS' with 'expect'";
  return `'${action}' takes no modifiers; put the expectation in a step of its own`;
}
