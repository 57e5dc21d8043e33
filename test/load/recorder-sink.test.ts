import { describe, expect, it } from 'vitest';
import { Cmd } from '../../src/load/load-sink.js';
import { RecorderSink } from '../../src/load/recorder-sink.js';
import { PhaseRecorder } from '../../src/metrics/phase-recorder.js';

describe('RecorderSink', () => {
  it('records the phase a reply ends under its class, and counts every reply under its command', () => {
    const recorder = new PhaseRecorder({ startMicros: 0 });
    const sink = new RecorderSink(recorder);
    sink.onReply(Cmd.greeting, 220, 100);
    sink.onReply(Cmd.starttls, 220); // ends no phase: the handshake is `tls`
    sink.onPhase('tls', '2xx', 900);
    sink.onReply(Cmd.auth, 334);
    sink.onReply(Cmd.auth, 235, 300);
    sink.onReply(Cmd.mail, 250, 40);
    sink.onReply(Cmd.rcpt, 450, 50);
    sink.onReply(Cmd.rset, 250);
    sink.onReply(Cmd.mail, 250, 41);
    sink.onReply(Cmd.rcpt, 250, 42);
    sink.onReply(Cmd.bdat, 554, 60);
    sink.onReply(Cmd.data, 354, 43);
    sink.onReply(Cmd.eod, 250, 70);
    sink.onReply(Cmd.quit, 221, 20);

    const snapshot = recorder.snapshot(1_000);
    const counts = Object.fromEntries(
      Object.entries(snapshot.phases).map(([phase, p]) => [
        phase,
        Object.fromEntries(Object.entries(p.byOutcome).map(([o, h]) => [o, h.count])),
      ]),
    );
    expect(counts).toEqual({
      tls: { '2xx': 1 },
      greeting: { '2xx': 1 },
      auth: { '2xx': 1 },
      mail: { '2xx': 2 },
      rcpt: { '2xx': 1, '4xx': 1 },
      data: { '2xx': 1 },
      eod: { '2xx': 1, '5xx': 1 },
      quit: { '2xx': 1 },
    });
    expect(snapshot.phases.auth!.max).toBe(0.3);
    expect(snapshot.counters.codes).toEqual({
      tls: { '220': 1 },
      greeting: { '220': 1 },
      auth: { '235': 1, '334': 1 },
      mail: { '250': 2 },
      rcpt: { '250': 1, '450': 1 },
      data: { '354': 1 },
      eod: { '250': 1 },
      quit: { '221': 1 },
      bdat: { '554': 1 },
      rset: { '250': 1 },
    });
    expect(snapshot.series.intervals[0]!.codes).toEqual({
      '220': 2,
      '221': 1,
      '235': 1,
      '250': 5,
      '334': 1,
      '354': 1,
      '450': 1,
      '554': 1,
    });
  });
});
