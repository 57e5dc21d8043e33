/**
 * A place in a source file. Lines and columns are 1-based, as editors show them;
 * `offset` and `length` are in UTF-16 code units of the file text.
 */
export interface SourceSpan {
  file: string;
  line: number;
  col: number;
  offset: number;
  length: number;
}

/** Turns a character offset in `text` into a 1-based line and column. */
export function positionAt(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: end - lineStart + 1 };
}

/** Builds a span for `[start, end)` of `text`. */
export function spanOf(file: string, text: string, start: number, end: number): SourceSpan {
  const { line, col } = positionAt(text, start);
  return { file, line, col, offset: start, length: Math.max(end - start, 1) };
}

export function formatLocation(span: SourceSpan): string {
  return `${span.file}:${span.line}:${span.col}`;
}
