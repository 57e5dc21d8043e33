/**
 * Byte strings in suite files: text in which these escapes stand for single bytes
 *
 *   \r  CR      \n  LF      \t  TAB     \0  NUL     \\  backslash     \xHH  the byte 0xHH
 *
 * Every other character is encoded as UTF-8. A backslash followed by anything else is an error,
 * reported with its offset so the loader can point at it.
 */
export type EscapeResult =
  { ok: true; bytes: Buffer } | { ok: false; offset: number; message: string };

const SIMPLE: Record<string, number> = { r: 13, n: 10, t: 9, '0': 0, '\\': 92 };

export function decodeEscapes(text: string): EscapeResult {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    if (code !== 92) {
      const ch = String.fromCodePoint(code);
      out.push(...Buffer.from(ch, 'utf8'));
      i += ch.length - 1;
      continue;
    }
    const next = text[i + 1];
    if (next !== undefined && next in SIMPLE) {
      out.push(SIMPLE[next]!);
      i++;
    } else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      out.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      const what = next === undefined ? 'a lone backslash at the end' : `'\\${next}'`;
      return {
        ok: false,
        offset: i,
        message: `${what} is not an escape (use \\r \\n \\t \\0 \\\\ \\xHH)`,
      };
    }
  }
  return { ok: true, bytes: Buffer.from(out) };
}

/** The inverse, for display: printable ASCII as is, everything else escaped. */
export function escapeBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 13) s += '\\r';
    else if (b === 10) s += '\\n';
    else if (b === 9) s += '\\t';
    else if (b === 0) s += '\\0';
    else if (b === 92) s += '\\\\';
    else if (b >= 32 && b < 127) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return s;
}
