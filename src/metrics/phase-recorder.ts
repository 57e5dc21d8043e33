import { microsToMillis } from '../core/clock.js';
import { DEFAULT_INTERVAL_MS, DEFAULT_MAX_INTERVALS, IntervalSeries } from './interval-series.js';
import { LatencyHistogram } from './latency-histogram.js';
import { LoadCounters } from './load-counters.js';
import { snapshotHistogram } from './load-snapshot.js';
import type { HistogramSnapshot, LoadSnapshot, PhaseSnapshot } from './load-snapshot.js';
import {
  NAMED_HISTOGRAMS,
  NAMED_INDEX,
  OUTCOME_INDEX,
  OUTCOMES,
  PHASE_INDEX,
  PHASES,
} from './metric-names.js';
import type { NamedHistogram, Outcome, Phase } from './metric-names.js';
import type { ReplyTally } from './reply-tally.js';

export interface LoadProgress {
  attempted: number;
  ok: number;
  failed: number;
  errors: number;
  dropped: number;
  active: number;
  /** The last closed series interval: its message count, width and message p99 (ms). */
  lastInterval?: { messages: number; durationMs: number; p99: number | null };
}

export interface PhaseRecorderOptions {
  /** The run's start on the `nowMicros()` clock; durations and series offsets count from it. */
  startMicros: number;
  /** Width of a series interval (default 1000 ms). */
  intervalMs?: number;
  /** Intervals kept before compaction (default 3600; interval-series.ts). */
  maxIntervals?: number;
}

/**
 * What one load generator (one thread) measures: latency per (phase, outcome), named
 * histograms, counters and the interval series. It never reads a clock; the load engine passes
 * µs durations and, for `tick` and `snapshot`, the current `nowMicros()`.
 *
 * The engine's calls for one message on a reused session:
 *
 * ```ts
 * recorder.messageStarted();
 * recorder.record('mail', '2xx', micros); recorder.countReply('mail', 250);
 * recorder.record('rcpt', '2xx', micros); recorder.countReply('rcpt', 250);
 * recorder.record('data', '2xx', micros); recorder.countReply('data', 354);
 * recorder.record('eod', '2xx', micros);  recorder.countReply('eod', 250);
 * recorder.messageEnded('2xx', fromIntendedStart, fromActualStart);
 * ```
 *
 * Cost: `record` is a lookup and an increment (15–35 ns; docs/metrics.md). The load engine's
 * hot path skips the name lookups: `recordAt` takes the indices, and `countReplyIn` a command's
 * tally resolved once by `replyTally`. A histogram is created the first time its
 * (phase, outcome) is recorded. The per-phase view over all
 * outcomes is built by adding those histograms at snapshot time, which is cheaper than
 * recording every value twice.
 */
const MESSAGE = PHASE_INDEX.message;

export class PhaseRecorder {
  /** Filled from the start, so its elements kind never changes under compiled code. */
  private readonly grid: (LatencyHistogram | undefined)[] = new Array<LatencyHistogram | undefined>(
    PHASES.length * OUTCOMES.length,
  ).fill(undefined);
  private readonly named: (LatencyHistogram | undefined)[] = new Array<
    LatencyHistogram | undefined
  >(NAMED_HISTOGRAMS.length).fill(undefined);
  private readonly counters = new LoadCounters();
  private readonly series: IntervalSeries;
  private readonly startMicros: number;

  constructor(options: PhaseRecorderOptions) {
    this.startMicros = options.startMicros;
    this.series = new IntervalSeries(
      options.intervalMs ?? DEFAULT_INTERVAL_MS,
      options.maxIntervals ?? DEFAULT_MAX_INTERVALS,
    );
  }

  /** Records the duration of one phase (µs), under the outcome that ended it. */
  record(phase: Phase, outcome: Outcome, micros: number): void {
    this.recordAt(PHASE_INDEX[phase], OUTCOME_INDEX[outcome], micros);
  }

  /** `record` by index into `PHASES` and `OUTCOMES`. */
  recordAt(phase: number, outcome: number, micros: number): void {
    const slot = phase * OUTCOMES.length + outcome;
    let histogram = this.grid[slot];
    if (histogram === undefined) histogram = this.grid[slot] = new LatencyHistogram();
    histogram.record(micros);
  }

  /** Records into a histogram outside the phase grid (metric-names.ts `NAMED_HISTOGRAMS`). */
  recordNamed(name: NamedHistogram, micros: number): void {
    const at = NAMED_INDEX[name];
    let histogram = this.named[at];
    if (histogram === undefined) histogram = this.named[at] = new LatencyHistogram();
    histogram.record(micros);
  }

  /** A reply to `command` (lower-case phase name or verb, load-counters.ts) with `code`. */
  countReply(command: string, code: number): void {
    this.countReplyIn(this.counters.tally(command), code);
  }

  /** The tally of `command`'s replies, for `countReplyIn`. */
  replyTally(command: string): ReplyTally {
    return this.counters.tally(command);
  }

  /** `countReply` into a tally from `replyTally`: two increments, no lookup. */
  countReplyIn(tally: ReplyTally, code: number): void {
    tally.add(code);
    this.series.countReply(code);
  }

  /** A failure that is not a server's reply, by kind (`timeout`, `conn-refused`, …). */
  countError(kind: string): void {
    this.counters.countError(kind);
    this.series.countError();
  }

  messageStarted(): void {
    this.counters.messages.attempted++;
  }

  /**
   * A message ended: `2xx` means accepted at end of data. Records `message` (from the intended
   * start) and `message-service` (from the actual start; the same in a closed model), counts
   * it ok or failed, and adds it to the open interval of the series.
   */
  messageEnded(outcome: Outcome, latencyMicros: number, serviceMicros = latencyMicros): void {
    const ok = outcome === '2xx';
    this.recordAt(MESSAGE, OUTCOME_INDEX[outcome], latencyMicros);
    this.recordNamed('message-service', serviceMicros);
    if (ok) this.counters.messages.ok++;
    else this.counters.messages.failed++;
    this.series.messageEnded(ok, latencyMicros);
  }

  /** A message ended, counted without its latency (recording switched off to measure its cost). */
  messageCounted(outcome: Outcome): void {
    if (outcome === '2xx') this.counters.messages.ok++;
    else this.counters.messages.failed++;
  }

  sessionStarted(): void {
    this.counters.sessions.started++;
  }

  /** A session ended (`2xx`: closed after QUIT's reply); records `session` and `session-service`. */
  sessionEnded(outcome: Outcome, latencyMicros: number, serviceMicros = latencyMicros): void {
    this.record('session', outcome, latencyMicros);
    this.recordNamed('session-service', serviceMicros);
    if (outcome === '2xx') this.counters.sessions.ok++;
    else this.counters.sessions.failed++;
  }

  countBytes(sent: number, received: number): void {
    this.counters.bytes.sent += sent;
    this.counters.bytes.received += received;
  }

  /** Open-model starts skipped because no session was free. */
  countDropped(count = 1): void {
    this.counters.dropped += count;
  }

  /** Closes the series intervals that ended by `nowMicros`; call about once per interval. */
  tick(nowMicros: number): void {
    this.series.advance((nowMicros - this.startMicros) / 1000, this.counters.activeSessions);
  }

  /** Live figures for a progress line: totals so far and the last closed interval. */
  progress(): LoadProgress {
    const { messages, dropped } = this.counters;
    const last = this.series.lastClosed();
    return {
      attempted: messages.attempted,
      ok: messages.ok,
      failed: messages.failed,
      errors: this.counters.errorTotal(),
      dropped,
      active: this.counters.activeSessions,
      lastInterval: last && {
        messages: last.messages,
        durationMs: last.durationMs,
        p99: last.p99,
      },
    };
  }

  /** Everything measured up to `nowMicros` (closing overdue intervals first). */
  snapshot(nowMicros: number): LoadSnapshot {
    this.tick(nowMicros);
    const elapsedMs = (nowMicros - this.startMicros) / 1000;
    return {
      durationMs: microsToMillis(nowMicros - this.startMicros),
      phases: this.phaseSnapshots(),
      named: this.namedSnapshots(),
      counters: this.counters.toSnapshot(),
      series: this.series.snapshot(elapsedMs, this.counters.activeSessions),
    };
  }

  private phaseSnapshots(): LoadSnapshot['phases'] {
    const phases: LoadSnapshot['phases'] = {};
    PHASES.forEach((phase, p) => {
      const all = new LatencyHistogram();
      const byOutcome: PhaseSnapshot['byOutcome'] = {};
      OUTCOMES.forEach((outcome, o) => {
        const histogram = this.grid[p * OUTCOMES.length + o];
        if (histogram === undefined || histogram.count === 0) return;
        byOutcome[outcome] = snapshotHistogram(histogram);
        all.add(histogram);
      });
      if (all.count > 0) phases[phase] = { ...snapshotHistogram(all), byOutcome };
    });
    return phases;
  }

  private namedSnapshots(): LoadSnapshot['named'] {
    const named: Partial<Record<NamedHistogram, HistogramSnapshot>> = {};
    for (const name of NAMED_HISTOGRAMS) {
      const histogram = this.named[NAMED_INDEX[name]];
      if (histogram !== undefined && histogram.count > 0)
        named[name] = snapshotHistogram(histogram);
    }
    return named;
  }
}
