import { format } from 'node:util';

/** The bunyan-style logger smtp-server calls: `logger.info(entry, format, ...args)`. */
export type BunyanStyleLogger = Record<
  'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal',
  (entry: unknown, message?: unknown, ...args: unknown[]) => void
>;

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/**
 * Adapts a line sink to smtp-server's logger. Each call becomes one line,
 * `<level> <formatted message>`, e.g. `debug S: 250 2.1.0 Accepted`.
 */
export function toSmtpServerLogger(sink: (line: string) => void): BunyanStyleLogger {
  const entries = LEVELS.map((level) => [
    level,
    (_entry: unknown, message?: unknown, ...args: unknown[]) =>
      sink(`${level} ${format(message ?? '', ...args)}`),
  ]);
  return Object.fromEntries(entries) as BunyanStyleLogger;
}
