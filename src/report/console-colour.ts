/**
 * Colour for the console summaries, applied to finished text: the tag that opens a line gets
 * its colour, nothing else changes, so the uncoloured text (a pipe, CI, NO_COLOR) stays exactly
 * what the renderers wrote.
 *
 *   FAIL, FAILED:, ERROR, ERROR:, SATURATED GENERATOR:   red
 *   WARN, STALE, INTERRUPTED:                            yellow
 *   PASS, PASSED:                                        green
 *   KNOWN, NOTE                                          dim
 */
const STYLES: [RegExp, string][] = [
  [/^(FAILED:|FAIL\b|ERROR:?|SATURATED GENERATOR:)/, '\x1b[1;31m'],
  [/^(WARN\b|STALE\b|INTERRUPTED:)/, '\x1b[33m'],
  [/^(PASSED:|PASS\b)/, '\x1b[32m'],
  [/^(KNOWN\b|NOTE\b)/, '\x1b[2m'],
];
const RESET = '\x1b[0m';

export function colourTags(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      for (const [pattern, style] of STYLES) {
        const match = pattern.exec(line);
        if (match) return `${style}${match[1]}${RESET}${line.slice(match[1]!.length)}`;
      }
      return line;
    })
    .join('\n');
}

/**
 * Whether to colour: on a terminal, unless NO_COLOR is set (https://no-color.org); FORCE_COLOR
 * (not 0) turns it on anywhere.
 */
export function wantsColour(
  env: Readonly<Record<string, string | undefined>>,
  isTty: boolean,
): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTty;
}
