import type { Diagnostic } from '../../src/core/diagnostic.js';
import { loadSuite } from '../../src/suite/load-suite.js';
import type { LoadSuiteOptions, LoadSuiteResult } from '../../src/suite/load-suite.js';

/** The first lines of a one-case suite; the case's steps start on line 10, column 7. */
export const HEADER = `suite: s
title: t
rfc: "5321"
cases:
  - id: c
    title: t
    section: "1"
    level: must
    steps:
`;
export const FIRST_STEP_LINE = 10;

/** A one-case suite whose steps are `lines`, each indented under `steps:`. */
export function withSteps(...lines: string[]): string {
  return HEADER + lines.map((l) => `      ${l}\n`).join('');
}

export function load(text: string, options?: LoadSuiteOptions): LoadSuiteResult {
  return loadSuite('test.yaml', text, options);
}

export interface Problem {
  severity: Diagnostic['severity'];
  title: string;
  /** `line:col` */
  at: string;
  message: string;
  hint?: string;
}

export function problems(text: string, options?: LoadSuiteOptions): Problem[] {
  return load(text, options).diagnostics.map((d) => ({
    severity: d.severity,
    title: d.title,
    at: d.span ? `${d.span.line}:${d.span.col}` : '-',
    message: d.message,
    ...(d.hint ? { hint: d.hint } : {}),
  }));
}

/** The one problem `text` has; fails when there are none or several. */
export function onlyProblem(text: string, options?: LoadSuiteOptions): Problem {
  const found = problems(text, options);
  if (found.length !== 1)
    throw new Error(`expected 1 problem, got ${JSON.stringify(found, null, 2)}`);
  return found[0]!;
}
