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

export function formatLocation(span: SourceSpan): string {
  return `${span.file}:${span.line}:${span.col}`;
}
