/**
 * `${name}` templates. Grammar: `"${" name "}"` with name = [A-Za-z_][A-Za-z0-9_]*; `$$` is a
 * literal `$`. Values may themselves contain references, resolved up to a fixed depth.
 */
const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const MAX_DEPTH = 8;

/** Names referenced by a template, with their character offsets. */
export function templateReferences(template: string): { name: string; offset: number }[] {
  const refs: { name: string; offset: number }[] = [];
  for (const match of template.matchAll(REFERENCE)) {
    if (match[1] !== undefined) refs.push({ name: match[1], offset: match.index });
  }
  return refs;
}

export type Interpolation = { ok: true; text: string } | { ok: false; missing: string };

export function interpolate(
  template: string,
  vars: Readonly<Record<string, string>>,
): Interpolation {
  let text = template;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    let missing: string | undefined;
    let changed = false;
    text = text.replace(REFERENCE, (whole, name: string | undefined) => {
      if (name === undefined) return whole;
      const value = vars[name];
      if (value === undefined) {
        missing ??= name;
        return whole;
      }
      changed = true;
      return value;
    });
    if (missing !== undefined) return { ok: false, missing };
    if (!changed) break;
  }
  return { ok: true, text: text.replace(/\$\$/g, '$') };
}
