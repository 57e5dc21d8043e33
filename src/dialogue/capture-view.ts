/**
 * What a conformance run sees of the capture sink (`--capture`): the messages the target
 * delivered to it. The sink itself lives in src/targets; the CLI hands it to the run.
 */
export interface CapturedMessage {
  mailFrom: string;
  recipients: string[];
  /** The message as received, after the sink undid the dot-stuffing. */
  raw: Buffer;
  /** When it arrived, µs of the monotonic clock (src/core/clock.ts). */
  receivedMicros: number;
}

export interface CaptureView {
  /** Where the sink listens, for messages and reports. */
  readonly address: string;
  /** Every message received so far whose raw bytes contain `needle`, in arrival order. */
  messagesContaining(needle: Buffer): CapturedMessage[];
  /** Resolves true when the next message arrives, false after `ms` or an abort of `signal`. */
  nextArrival(ms: number, signal?: AbortSignal): Promise<boolean>;
}
