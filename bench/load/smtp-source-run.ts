import { runMeasured } from './measured-process.js';
import { SMTP_SOURCE } from './postfix-sink.js';

/**
 * Postfix `smtp-source` (man smtp-source) as the reference generator:
 *
 *   smtp-source -d -s SESSIONS -m TOTAL -l 912 127.0.0.1:PORT
 *
 * `-d` keeps each session's connection for the next message (without it, one connection per
 * message); `-s` runs that many sessions in parallel; `-m` is the total over all sessions.
 * (`-r` is recipients per transaction, not messages per session; `-c` prints a counter per
 * message, which would cost output, so neither is used.) smtp-source says HELO, not EHLO, and
 * never pipelines ("No SMTP command pipelining support", BUGS): MAIL, RCPT and DATA are one
 * round trip each, and the headers and body go in one write after the 354.
 *
 * Its four headers (From, To, Date, Message-Id) and the blank line take 112 octets, so
 * `-l 912` makes the message 1,024 octets, CRLFs included: the size of smtpgauge's `1KB`
 * (checked on the wire: 1,027 octets between the 354 and the 250, with `.` CRLF).
 */
export const SOURCE_PAYLOAD = 912;

export interface SourceRun {
  messages: number;
  /** Messages per second: `messages` over the process's wall time. */
  rate: number;
  wallMs: number;
  cpuMicros: number;
  cpuMicrosPerMessage: number;
}

export async function runSmtpSource(
  port: number,
  sessions: number,
  messages: number,
  cpus?: string,
): Promise<SourceRun> {
  const args = ['-d', '-s', String(sessions), '-m', String(messages)];
  args.push('-l', String(SOURCE_PAYLOAD), `127.0.0.1:${port}`);
  const exit = await runMeasured(SMTP_SOURCE, args, {
    timeoutMs: 120_000,
    ...(cpus === undefined ? {} : { cpus }),
  });
  if (exit.code !== 0) throw new Error(`smtp-source exited ${exit.code}: ${exit.stderr.trim()}`);
  return {
    messages,
    rate: (messages / exit.wallMs) * 1000,
    wallMs: exit.wallMs,
    cpuMicros: exit.cpuMicros,
    cpuMicrosPerMessage: exit.cpuMicros / messages,
  };
}

/** How many messages make smtp-source run about `seconds`: a short pilot run measures its rate. */
export async function sourceMessagesFor(
  port: number,
  sessions: number,
  seconds: number,
  cpus?: string,
): Promise<number> {
  const pilot = await runSmtpSource(port, sessions, 2_000, cpus);
  return Math.max(2_000, Math.round((pilot.rate * seconds) / 100) * 100);
}
