import { escapeBytes } from '../core/escapes.js';

/** What a secret is replaced with wherever it would be shown. */
export const REDACTED = '<redacted>';

/**
 * A function that replaces every secret in a text by `<redacted>`, in each form a secret takes
 * on the wire or in a display: as written, escaped (`\0user\0pass`), and base64 with and without
 * padding. Secrets shorter than 4 characters are masked only as written (a 3-letter password
 * would otherwise mask half the transcript and give itself away).
 */
export function makeRedactor(secrets: readonly string[]): (text: string) => string {
  const forms = secretForms(secrets);
  if (forms.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  };
}

function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    forms.add(secret);
    if (secret.length < 4) continue;
    const bytes = Buffer.from(secret, 'utf8');
    const base64 = bytes.toString('base64');
    forms.add(escapeBytes(bytes));
    forms.add(base64);
    forms.add(base64.replace(/=+$/, ''));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}
