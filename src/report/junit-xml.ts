/**
 * The JUnit XML document model and its serialisation, shared by every JUnit source (conformance
 * cases, load thresholds). The mapping from results lives in junit.ts; this file only knows the
 * elements and attributes that the Jenkins xunit-plugin `junit-10.xsd` allows
 * (test/fixtures/junit/junit-10.xsd), and how to write any string so the file stays well-formed.
 *
 * ```xml
 * <?xml version="1.0" encoding="UTF-8"?>
 * <testsuites name="smtpgauge" tests="2" failures="1" errors="0" time="0.412">
 *   <testsuite name="s" tests="2" failures="1" errors="0" skipped="0" time="0.010" timestamp="…" hostname="127.0.0.1:2525">
 *     <properties>
 *       <property name="rfc" value="5321"/>
 *     </properties>
 *     <testcase classname="s" name="a: … (RFC 5321 §3.3)" time="0.004"/>
 *     <testcase classname="s" name="b: … (RFC 5321 §3.3)" time="0.006">
 *       <failure type="must" message="expected 503, got 250 OK">expected: 503 …</failure>
 *       <system-out>…</system-out>
 *     </testcase>
 *   </testsuite>
 * </testsuites>
 * ```
 *
 * Counts are derived from the outcomes, so `tests`, `failures`, `errors` and `skipped` always
 * agree with the elements. junit-10.xsd has no `skipped` or `timestamp` on `<testsuites>`, and
 * no `<properties>` inside `<testcase>`: those live on each `<testsuite>` only.
 */

/** Why a test case did not simply pass: one child element of `<testcase>`. */
export interface JunitOutcome {
  element: 'failure' | 'error' | 'skipped';
  type?: string;
  /** One line, for the CI's list view. */
  message: string;
  /** The details (expected, actual, place), shown when the case is opened. */
  text?: string;
}

export interface JunitCase {
  classname: string;
  name: string;
  seconds: number;
  /** Absent: the case passed. */
  outcome?: JunitOutcome;
  systemOut?: string;
}

export interface JunitSuite {
  name: string;
  /** ISO 8601. */
  timestamp: string;
  /** `host:port` of the target. */
  hostname: string;
  properties: readonly (readonly [name: string, value: string])[];
  cases: readonly JunitCase[];
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  seconds: number;
}

/** The whole document; `seconds` is the run's wall time (the suites' times need not add up to it). */
export function renderJunitDocument(suites: readonly JunitSuite[], seconds: number): string {
  const totals = suites.map(countOf).reduce(addCounts, emptyCounts());
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes([
      ['name', 'smtpgauge'],
      ['tests', String(totals.tests)],
      ['failures', String(totals.failures)],
      ['errors', String(totals.errors)],
      ['time', formatSeconds(seconds)],
    ])}>`,
    ...suites.flatMap(renderSuite),
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}

function renderSuite(suite: JunitSuite): string[] {
  const c = countOf(suite);
  const open = `  <testsuite${attributes([
    ['name', suite.name],
    ['tests', String(c.tests)],
    ['failures', String(c.failures)],
    ['errors', String(c.errors)],
    ['skipped', String(c.skipped)],
    ['time', formatSeconds(c.seconds)],
    ['timestamp', suite.timestamp],
    ['hostname', suite.hostname],
  ])}>`;
  const properties =
    suite.properties.length === 0
      ? []
      : [
          '    <properties>',
          ...suite.properties.map(
            ([name, value]) =>
              `      <property${attributes([
                ['name', name],
                ['value', value],
              ])}/>`,
          ),
          '    </properties>',
        ];
  return [open, ...properties, ...suite.cases.flatMap(renderCase), '  </testsuite>'];
}

function renderCase(c: JunitCase): string[] {
  const open = `    <testcase${attributes([
    ['classname', c.classname],
    ['name', c.name],
    ['time', formatSeconds(c.seconds)],
  ])}`;
  if (!c.outcome && c.systemOut === undefined) return [`${open}/>`];
  const children: string[] = [];
  if (c.outcome) {
    const { element, type, message, text } = c.outcome;
    const attrs = attributes([...(type ? [['type', type] as const] : []), ['message', message]]);
    children.push(
      text === undefined
        ? `      <${element}${attrs}/>`
        : `      <${element}${attrs}>${xmlText(text)}</${element}>`,
    );
  }
  if (c.systemOut !== undefined)
    children.push(`      <system-out>${xmlText(c.systemOut)}</system-out>`);
  return [`${open}>`, ...children, '    </testcase>'];
}

function countOf(suite: JunitSuite): Counts {
  const counts = emptyCounts();
  for (const c of suite.cases) {
    counts.tests++;
    counts.seconds += c.seconds;
    if (c.outcome?.element === 'failure') counts.failures++;
    if (c.outcome?.element === 'error') counts.errors++;
    if (c.outcome?.element === 'skipped') counts.skipped++;
  }
  return counts;
}

function emptyCounts(): Counts {
  return { tests: 0, failures: 0, errors: 0, skipped: 0, seconds: 0 };
}

function addCounts(a: Counts, b: Counts): Counts {
  return {
    tests: a.tests + b.tests,
    failures: a.failures + b.failures,
    errors: a.errors + b.errors,
    skipped: a.skipped + b.skipped,
    seconds: a.seconds + b.seconds,
  };
}

/** Seconds with millisecond precision, as JUnit consumers expect (`0.003`). */
export function formatSeconds(seconds: number): string {
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 0).toFixed(3);
}

function attributes(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([name, value]) => ` ${name}="${xmlAttribute(value)}"`).join('');
}

/**
 * Characters XML 1.0 cannot carry at all, not even as `&#…;` (C0 controls but TAB, LF, CR;
 * U+FFFE, U+FFFF; unpaired surrogates), plus the C1 controls it discourages. A hostile server
 * can put any of them in a reply; they are written as `\xHH` / `\uHHHH`, the transcript's style.
 */
const UNREPRESENTABLE =
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function visible(text: string): string {
  return text.replace(UNREPRESENTABLE, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Character data: `]]>` cannot occur (every `>` is escaped); CR survives as `&#13;`. */
export function xmlText(text: string): string {
  return visible(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** An attribute value in double quotes; TAB, LF and CR as references so they survive normalisation. */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}
