import { renderJson, type ConformanceReport } from './conformance-report.js';
import { renderHtml } from './html/render-html.js';
import { renderJunit, renderLoadJunit } from './junit.js';
import type { LoadReport } from './load-report.js';

/** A stored result: a conformance run's or a load run's (docs/report-format.md). */
export type GaugeResult = ConformanceReport | LoadReport;

export function isLoadResult(result: GaugeResult): result is LoadReport {
  return 'load' in result;
}

/** A report format: the file it is written to (in `--out`) and its pure renderer. */
export interface ReportFormat {
  file: string;
  /** The kinds of result it renders. */
  kinds: readonly ('conformance' | 'load')[];
  render(result: GaugeResult): string;
}

/**
 * Every report format, by the name `--format` accepts: the CLI's choices are these keys, so the
 * two cannot drift apart. Adding a format is adding an entry here.
 *
 * `json` is always written by `run` and `load`, whatever `--format` says: it is the complete
 * result, and the source that `smtpgauge report` re-renders every other format from.
 */
export const REPORT_FORMATS = {
  json: { file: 'report.json', kinds: ['conformance', 'load'], render: renderJson },
  junit: {
    file: 'junit.xml',
    kinds: ['conformance', 'load'],
    render: (result: GaugeResult) =>
      isLoadResult(result) ? renderLoadJunit(result.load.thresholds, result) : renderJunit(result),
  },
  html: { file: 'report.html', kinds: ['conformance', 'load'], render: renderHtml },
} as const satisfies Record<string, ReportFormat>;

export type ReportFormatName = keyof typeof REPORT_FORMATS;

export const REPORT_FORMAT_NAMES = Object.keys(REPORT_FORMATS) as ReportFormatName[];

/** The formats that render this kind of result. */
export function formatsFor(kind: 'conformance' | 'load'): ReportFormatName[] {
  return REPORT_FORMAT_NAMES.filter((name) =>
    (REPORT_FORMATS[name].kinds as readonly string[]).includes(kind),
  );
}
