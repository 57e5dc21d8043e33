import { isMap, isScalar } from 'yaml';
import type { Node } from 'yaml';
import type { SourceSpan } from '../core/span.js';
import { templateReferences } from '../core/template.js';
import { checkTemplate } from './check-template.js';
import type { LoadContext } from './load-context.js';
import { RUNTIME_VARS } from './model.js';
import { describeNode, nodeSpan, resolve, typeError } from './yaml-nodes.js';
import type { Field } from './yaml-nodes.js';

/**
 * The suite's `vars:` (docs/suite-format.md, "Variables"):
 *
 *   vars = { NAME: VALUE … }     NAME = [A-Za-z_][A-Za-z0-9_]*, VALUE a string or number
 *
 * Values may refer to other variables, in any order, but not in a cycle. The names are added
 * to `ctx.knownVars` before any value is checked.
 */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface VarEntry {
  name: string;
  value: string;
  keySpan: SourceSpan;
  field: Field;
}

export function parseVars(ctx: LoadContext, field: Field): Record<string, string> {
  const node = field.node;
  if (!node || !isMap(node)) {
    typeError(ctx, field, 'a mapping of variable names to values');
    return {};
  }
  const entries = new Map<string, VarEntry>();
  for (const pair of node.items) {
    const entry = readVar(
      ctx,
      pair.key as Node | null,
      resolve(ctx, pair.value as Node | null),
      field.span,
    );
    if (!entry) continue;
    const first = entries.get(entry.name);
    if (first) {
      const message = `variable '${entry.name}' is already given on line ${first.keySpan.line}`;
      ctx.error(entry.keySpan, 'duplicate key', message, 'remove one of them');
      continue;
    }
    entries.set(entry.name, entry);
    ctx.knownVars.add(entry.name);
  }
  for (const entry of entries.values())
    checkTemplate(ctx, entry.field, entry.value, { inRepeat: false });
  reportCycles(ctx, entries);
  return Object.fromEntries([...entries.values()].map((e) => [e.name, e.value]));
}

function readVar(
  ctx: LoadContext,
  keyNode: Node | null,
  valueNode: Node | null,
  fallback: SourceSpan,
) {
  const keySpan = nodeSpan(ctx, keyNode, fallback);
  const name = keyNode && isScalar(keyNode) ? keyNode.value : undefined;
  if (typeof name !== 'string' || !NAME.test(name)) {
    const found = typeof name === 'string' ? `'${name}'` : describeNode(ctx, keyNode);
    const hint = 'names are letters, digits and _, not starting with a digit';
    ctx.error(keySpan, 'bad variable name', `${found} is not a variable name`, hint);
    return undefined;
  }
  if ((RUNTIME_VARS as readonly string[]).includes(name)) {
    const message = `'${name}' is set by the runner (the round of a repeat step)`;
    ctx.error(keySpan, 'reserved variable', message, 'choose another name');
    return undefined;
  }
  const field: Field = {
    label: `variable '${name}'`,
    node: valueNode,
    span: nodeSpan(ctx, valueNode, keySpan),
  };
  const value = valueNode && isScalar(valueNode) ? valueNode.value : undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    typeError(ctx, field, 'a string');
    return undefined;
  }
  return { name, value: String(value), keySpan, field };
}

/** Reports each cycle once, at the variable that closes it: `a → b → a`. */
function reportCycles(ctx: LoadContext, entries: Map<string, VarEntry>): void {
  const done = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (path.includes(name)) {
      const cycle = [...path.slice(path.indexOf(name)), name].join(' → ');
      const entry = entries.get(path[path.length - 1]!)!;
      ctx.error(
        entry.keySpan,
        'variable cycle',
        `the variables refer to each other: ${cycle}`,
        'break the cycle',
      );
      return;
    }
    const entry = entries.get(name);
    if (!entry || done.has(name)) return;
    for (const ref of templateReferences(entry.value)) visit(ref.name, [...path, name]);
    done.add(name);
  };
  for (const name of entries.keys()) visit(name, []);
}
