import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/metrics/histogram-codec.js';
import { OUTCOMES, outcomeOfReply, PHASES } from '../../src/metrics/metric-names.js';
import { PhaseRecorder } from '../../src/metrics/phase-recorder.js';

const START = 5_000_000;

/** One accepted message on a fresh session, as the load engine would report it. */
function sendMessage(recorder: PhaseRecorder, micros: number): void {
  recorder.sessionStarted();
  recorder.record('connect', '2xx', micros);
  recorder.record('greeting', '2xx', micros);
  recorder.countReply('greeting', 220);
  recorder.messageStarted();
  recorder.record('mail', '2xx', micros);
  recorder.countReply('mail', 250);
  recorder.record('rcpt', '2xx', micros);
  recorder.countReply('rcpt', 250);
  recorder.record('eod', '2xx', micros);
  recorder.countReply('eod', 250);
  recorder.messageEnded('2xx', micros * 5, micros * 4);
  recorder.countBytes(1000, 120);
}

describe('PhaseRecorder', () => {
  it('exports the phase and outcome lists the load engine records under', () => {
    expect(PHASES).toEqual([
      'connect',
      'tls',
      'greeting',
      'ehlo',
      'auth',
      'mail',
      'rcpt',
      'data',
      'eod',
      'quit',
      'message',
      'session',
    ]);
    expect(OUTCOMES).toEqual(['2xx', '4xx', '5xx', 'timeout', 'conn-error']);
    expect([220, 334, 354, 421, 452, 550].map(outcomeOfReply)).toEqual([
      '2xx',
      '2xx',
      '2xx',
      '4xx',
      '4xx',
      '5xx',
    ]);
  });

  it('keeps one histogram per phase and outcome, and a phase view over all outcomes', () => {
    const recorder = new PhaseRecorder({ startMicros: START });
    for (let i = 1; i <= 90; i++) recorder.record('rcpt', '2xx', 1000);
    for (let i = 1; i <= 10; i++) recorder.record('rcpt', '4xx', 9000);
    recorder.record('connect', 'conn-error', 3_000_000);
    const { phases } = recorder.snapshot(START + 1_000);
    expect(Object.keys(phases)).toEqual(['connect', 'rcpt']);
    const rcpt = phases.rcpt!;
    expect(rcpt.count).toBe(100);
    expect(rcpt.byOutcome['2xx']!.count).toBe(90);
    expect(rcpt.byOutcome['4xx']!.count).toBe(10);
    expect(Object.keys(rcpt.byOutcome)).toEqual(['2xx', '4xx']);
    expect(rcpt.p50).toBe(1);
    expect(rcpt.max).toBe(9.007); // 9000 µs: bucket 9000..9007
    expect(rcpt.byOutcome['4xx']!.min).toBe(9);
    expect(phases.connect!.byOutcome['conn-error']!.max).toBeCloseTo(3000, 0);
    const decoded = decodeHistogram(rcpt.histogram);
    expect(decoded.ok && decoded.histogram.count).toBe(100);
  });

  it('records intended latency under message/session and service time as named histograms', () => {
    const recorder = new PhaseRecorder({ startMicros: START });
    recorder.messageStarted();
    recorder.messageEnded('2xx', 20_000, 5_000);
    recorder.messageStarted();
    recorder.messageEnded('5xx', 8_000);
    recorder.sessionStarted();
    recorder.sessionEnded('2xx', 40_000, 30_000);
    recorder.recordNamed('schedule-lag', 15_000);
    const snapshot = recorder.snapshot(START + 1_000_000);
    expect(snapshot.phases.message!.byOutcome['2xx']!.max).toBe(20.015);
    expect(snapshot.phases.message!.byOutcome['5xx']!.count).toBe(1);
    expect(snapshot.named['message-service']!.count).toBe(2);
    expect(snapshot.named['message-service']!.min).toBe(5);
    expect(snapshot.phases.session!.count).toBe(1);
    expect(snapshot.named['session-service']!.p50).toBe(30.015);
    expect(snapshot.named['schedule-lag']!.count).toBe(1);
    expect(snapshot.counters.messages).toEqual({ attempted: 2, ok: 1, failed: 1 });
    expect(snapshot.counters.sessions).toEqual({ started: 1, ok: 1, failed: 0 });
  });

  it('counts replies per command, errors by kind, bytes, sessions and dropped starts', () => {
    const recorder = new PhaseRecorder({ startMicros: START });
    for (let i = 0; i < 3; i++) sendMessage(recorder, 500);
    recorder.countReply('rcpt', 452);
    recorder.countReply('rset', 250);
    recorder.countError('timeout');
    recorder.countError('timeout');
    recorder.countError('conn-refused');
    recorder.countDropped();
    recorder.countDropped(4);
    recorder.sessionEnded('timeout', 1000);
    const { counters } = recorder.snapshot(START + 2_000_000);
    expect(counters).toEqual({
      messages: { attempted: 3, ok: 3, failed: 0 },
      sessions: { started: 3, ok: 0, failed: 1 },
      bytes: { sent: 3000, received: 360 },
      dropped: 5,
      errors: { 'conn-refused': 1, timeout: 2 },
      codes: {
        greeting: { '220': 3 },
        mail: { '250': 3 },
        rcpt: { '250': 3, '452': 1 },
        eod: { '250': 3 },
        rset: { '250': 1 },
      },
    });
    // Keys in a stable order: commands by phase, then other verbs.
    expect(Object.keys(counters.codes)).toEqual(['greeting', 'mail', 'rcpt', 'eod', 'rset']);
  });

  it('produces a snapshot that survives JSON unchanged', () => {
    const recorder = new PhaseRecorder({ startMicros: START });
    sendMessage(recorder, 700);
    const snapshot = recorder.snapshot(START + 1_500_000);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot.durationMs).toBe(1500);
  });

  it('fills the series per interval: messages, errors, codes, active sessions, latency', () => {
    const recorder = new PhaseRecorder({ startMicros: START, intervalMs: 1000 });
    sendMessage(recorder, 1000); // a session stays open: started, never ended
    recorder.countError('timeout');
    recorder.tick(START + 1_000_000);
    sendMessage(recorder, 2000);
    sendMessage(recorder, 4000);
    const snapshot = recorder.snapshot(START + 2_250_000);
    const [first, second, open] = snapshot.series.intervals;
    expect(snapshot.series.intervalMs).toBe(1000);
    expect(snapshot.series.intervals).toHaveLength(3);
    expect(first).toMatchObject({
      startMs: 0,
      durationMs: 1000,
      messages: 1,
      failed: 0,
      errors: 1,
      codes: { '220': 1, '250': 3 },
      activeSessions: 1,
      p50: 5.003,
    });
    expect(second).toMatchObject({
      startMs: 1000,
      durationMs: 1000,
      messages: 2,
      errors: 0,
      activeSessions: 3,
      p50: 10.007,
      p99: 20.015,
    });
    // The open interval, cut at the snapshot, still empty.
    expect(open).toMatchObject({ startMs: 2000, durationMs: 250, messages: 0, p50: null });
    recorder.messageStarted();
    recorder.messageEnded('4xx', 100);
    const later = recorder.snapshot(START + 2_250_001).series.intervals;
    expect(later).toHaveLength(3);
    expect(later[2]).toMatchObject({ startMs: 2000, durationMs: 250.001, messages: 1, failed: 1 });
  });
});
