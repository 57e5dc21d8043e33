import { renderJson, type ConformanceReport } from './conformance-report.js';
import { renderJunit } from './junit.js';

/** A report format: the file it is written to (in `--out`) and its pure renderer. */
export interface ReportFormat {
  file: string;
  render(report: ConformanceReport): string;
}

/**
 * Every report format, by the name `--format` accepts: the CLI's choices are these keys, so the
 * two cannot drift apart. Adding a format is adding an entry here (html: `report.html`).
 *
 * `json` is always written by `run`, whatever `--format` says: it is the complete result, and
 * the source that `smtpgauge report` re-renders every other format from.
 */
export const REPORT_FORMATS = {
  json: { file: 'report.json', render: renderJson },
  junit: { file: 'junit.xml', render: renderJunit },
} as const satisfies Record<string, ReportFormat>;

export type ReportFormatName = keyof typeof REPORT_FORMATS;

export const REPORT_FORMAT_NAMES = Object.keys(REPORT_FORMATS) as ReportFormatName[];
