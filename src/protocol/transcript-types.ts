/**
 * A transcript entry: who spoke, when (µs since the session started), and what, with
 * non-printable bytes escaped (`\r`, `\n`, `\t`, `\0`, `\xHH`) so bare CR/LF stay visible.
 * Lines that carried a secret are already redacted when they are recorded.
 */
export interface TranscriptEntry {
  /** `C` client to server, `S` server to client, `*` an event (TLS up, closed, timeout). */
  dir: 'C' | 'S' | '*';
  /** Microseconds since the session's connect began. */
  atMicros: number;
  text: string;
}
