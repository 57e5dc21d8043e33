import { afterEach, describe, expect, it } from 'vitest';
import { RateSchedule } from '../../src/load/rate-schedule.js';
import { DRAIN_MS } from '../../src/load/run-thread.js';
import type { OpenModel } from '../../src/suite/profile-model.js';
import { generateLoopbackCertificate } from '../../src/targets/certificate.js';
import { closeSinks, expectSettled, profileOf, runOn, sinkFor, sum } from './load-run-helpers.js';

/**
 * The workload models over real sockets: whole profiles run in-process (`workers: 1`) against
 * the fast sink, whose own counters (`stats()`) are the independent witness of what was sent.
 * Bounds on counts that depend on timing only ever allow *less* work on a slow machine.
 */
afterEach(closeSinks);

/** A profile of the given model, 1 KB messages, few shapes (quick to build). */
const profile = (model: string[], ...rest: string[]) =>
  profileOf(
    'title: test',
    'seed: 7',
    'model:',
    ...model.map((line) => `  ${line}`),
    'message: { size: 1KB, shapes: 4 }',
    ...rest,
  );

/** Holds this thread (and the in-process run on it) for `ms`. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** The starts the open model's schedule makes in `durationMs` (the whole schedule, k ≤ N(D)). */
function scheduledStarts(model: OpenModel, durationMs: number): number {
  const due = new RateSchedule(model, durationMs).dueBy(durationMs);
  return Math.floor(due + 1e-9);
}

describe('closed model', () => {
  it('spends the message budget exactly, over several sessions', async () => {
    const sink = await sinkFor();
    const p = profile(['kind: closed', 'sessions: 3'], 'duration: 60s', 'messages: 100');
    const { snapshot, interrupted } = await runOn(p, sink);
    const { counters } = snapshot;
    expect(interrupted).toBe(false);
    expect(counters.messages).toEqual({ attempted: 100, ok: 100, failed: 0 });
    expect(sink.stats().messages).toBe(100);
    expect(counters.codes.eod).toEqual({ 250: 100 });
    expect(counters.errors).toEqual({});
    expect(counters.sessions.started).toBe(3);
    expectSettled(snapshot);
    // Bytes are counted on the wire: everything sent was read by the sink (plain TCP).
    expect(counters.bytes.sent).toBe(sink.stats().bytesReceived);
    expect(counters.bytes.sent).toBeGreaterThan(100 * 1024);
    expect(counters.bytes.received).toBeGreaterThan(0);
  });

  it('QUITs and reconnects after messages-per-session', async () => {
    const sink = await sinkFor();
    const p = profile(
      ['kind: closed', 'sessions: 1', 'messages-per-session: 5'],
      'duration: 60s',
      'messages: 20',
    );
    const { snapshot } = await runOn(p, sink);
    const { counters } = snapshot;
    expect(counters.messages).toEqual({ attempted: 20, ok: 20, failed: 0 });
    expect(counters.sessions).toEqual({ started: 4, ok: 4, failed: 0 });
    expect(counters.codes.quit).toEqual({ 221: 4 });
    expect(counters.codes.greeting).toEqual({ 220: 4 });
    const stats = sink.stats();
    expect(stats.connections).toBe(4);
    expect(stats.commands.QUIT).toBe(4);
    expect(stats.commands.MAIL).toBe(20);
    expect(snapshot.phases.session?.count).toBe(4);
  });

  it('opens a connection per message with reuse: false', async () => {
    const sink = await sinkFor();
    const p = profile(
      ['kind: closed', 'sessions: 2'],
      'duration: 60s',
      'messages: 12',
      'connection: { reuse: false }',
    );
    const { counters } = (await runOn(p, sink)).snapshot;
    expect(counters.messages.ok).toBe(12);
    expect(sink.stats().connections).toBe(12);
    expect(counters.sessions).toEqual({ started: 12, ok: 12, failed: 0 });
  });

  it('spaces the messages of a session by the think time', async () => {
    const sink = await sinkFor();
    const p = profile(['kind: closed', 'sessions: 1', 'think-time: 200ms'], 'duration: 1200ms');
    const { snapshot } = await runOn(p, sink);
    const { attempted, ok } = snapshot.counters.messages;
    // Messages at 0, ≥200, ≥400, … ≥1200 ms: at most 7 fit, however fast the machine.
    expect(attempted).toBeLessThanOrEqual(7);
    expect(attempted).toBeGreaterThanOrEqual(1);
    expect(ok).toBe(attempted);
    expect(sink.stats().messages).toBe(attempted);
  });
});

describe('open model, unit: message', () => {
  it('makes every scheduled start, and latency counts from the intended start', async () => {
    const sink = await sinkFor({ delays: { greeting: 100 } });
    // A cap above the 40 starts: none can be dropped, however late the generator runs. No
    // session is opened ahead, so the first start waits for one to open.
    const p = profile(
      ['kind: open', 'rate: 40/s', 'max-sessions: 100', 'pre-open: 0'],
      'duration: 1s',
    );
    const { snapshot } = await runOn(p, sink);
    const { counters, phases, named } = snapshot;
    const model = p.model as OpenModel;
    expect(scheduledStarts(model, 1000)).toBe(40);
    expect(counters.messages.attempted + counters.dropped).toBe(40);
    expect(counters.dropped).toBe(0);
    expect(counters.messages.ok).toBe(40);
    expect(named['schedule-lag']?.count).toBe(40);
    // The first messages waited for a session to open (greeting delayed 100 ms): from their
    // intended start they took at least that long; from their first write, not.
    expect(phases.message!.max).toBeGreaterThanOrEqual(100);
    expect(phases.message!.count).toBe(40);
    expect(named['message-service']!.count).toBe(40);
    expect(phases.message!.p50).toBeGreaterThanOrEqual(named['message-service']!.p50);
    expectSettled(snapshot);
  });

  it('opens its pool before the schedule starts: no start waits for a session', async () => {
    const sink = await sinkFor({ delays: { greeting: 100 } });
    const p = profile(
      ['kind: open', 'rate: 40/s', 'max-sessions: 100', 'pre-open: 3'],
      'duration: 1s',
    );
    const { snapshot } = await runOn(p, sink);
    const { counters, phases } = snapshot;
    expect(counters.messages.ok).toBe(40);
    // Three sessions were opened in the lead (each greeting took 100 ms); starts 25 ms apart
    // never found all three busy, so no start waited for a greeting and none opened another.
    expect(sink.stats().connections).toBe(3);
    expect(counters.sessions.started).toBe(3);
    expect(phases.greeting!.count).toBe(3);
    // The sink's 100 ms run from its accept, the greeting phase from the client's connect event,
    // which a busy loop can see a few ms later (98.7 ms in one CI run): not exactly 100.
    expect(phases.greeting!.min).toBeGreaterThanOrEqual(90);
    expect(phases.message!.max).toBeLessThan(100);
    // The lead is no part of the run's measured span.
    expect(snapshot.durationMs).toBeLessThan(1000 + DRAIN_MS);
    expectSettled(snapshot);
  });

  it('grows its pool a few sessions at a time: a start waits for one rather than opening its own', async () => {
    // Greetings take 100 ms and no session is opened ahead: the starts of the first 100 ms
    // (every 5 ms) find none idle. At most 8 sessions open at once (pool-growth.ts, MAX_OPENING),
    // so from the ninth on they wait and are served by the first sessions to come free.
    const sink = await sinkFor({ delays: { greeting: 100 } });
    const p = profile(
      ['kind: open', 'rate: 200/s', 'max-sessions: 100', 'pre-open: 0'],
      'duration: 500ms',
    );
    const { snapshot } = await runOn(p, sink);
    const { counters, phases } = snapshot;
    expect(counters.dropped).toBe(0);
    expect(counters.messages.ok).toBe(100);
    // A session per start would have made at least 20 by the time the first was open.
    expect(sink.stats().connections).toBeLessThanOrEqual(16);
    expect(counters.sessions.started).toBe(sink.stats().connections);
    // The waiting starts kept their intended time: the first ones took the greeting's 100 ms.
    expect(phases.message!.max).toBeGreaterThanOrEqual(99);
    expectSettled(snapshot);
    await expect.poll(() => sink.stats().openConnections, { timeout: 2000 }).toBe(0);
  });

  it('does not grow its pool while the generator is behind: late starts wait for a session', async () => {
    // Two pre-opened sessions serve 200/s against the fast sink. The loop is then held for
    // 40 ms at the second 100 ms interval mark of the schedule, so the eight starts due
    // meanwhile are made late, in one burst: two take the idle sessions, and the others wait
    // for them (pool-growth.ts) instead of opening six more, which would only add set-up work
    // to a generator that is already behind.
    const sink = await sinkFor();
    const p = profile(
      ['kind: open', 'rate: 200/s', 'max-sessions: 100', 'pre-open: 2'],
      'duration: 1s',
    );
    let held = false;
    const onProgress = (_: unknown, elapsedMs: number) => {
      if (held || elapsedMs < 200) return;
      held = true;
      busyFor(40);
    };
    const { snapshot } = await runOn(p, sink, { intervalMs: 100, onProgress });
    const { counters, phases } = snapshot;
    expect(held).toBe(true);
    expect(counters.dropped).toBe(0);
    expect(counters.messages.ok).toBe(200);
    expect(phases.message!.max).toBeGreaterThanOrEqual(30); // the starts held up took the wait
    expect(sink.stats().connections).toBeLessThanOrEqual(3);
    expectSettled(snapshot);
  });

  it('lasts its duration without starts, and closes sessions that open after it', async () => {
    // 1/s over 300 ms schedules no start at all. Greetings take 1 s: the three pre-opened
    // sessions are still opening when the schedule ends; the drain waits for them and QUITs.
    const sink = await sinkFor({ delays: { greeting: 1000 } });
    const p = profile(
      ['kind: open', 'rate: 1/s', 'max-sessions: 10', 'pre-open: 3'],
      'duration: 300ms',
    );
    const { snapshot } = await runOn(p, sink);
    expect(snapshot.durationMs).toBeGreaterThanOrEqual(300);
    expect(snapshot.counters.messages.attempted).toBe(0);
    expect(snapshot.counters.sessions.started).toBe(3);
    expectSettled(snapshot);
    expect(snapshot.phases.quit!.count).toBe(3);
    await expect.poll(() => sink.stats().openConnections, { timeout: 2000 }).toBe(0);
  });

  it('closes each series interval at its boundary, counted from the start after the lead', async () => {
    const sink = await sinkFor();
    const p = profile(['kind: open', 'rate: 200/s', 'max-sessions: 20'], 'duration: 1s');
    const { snapshot } = await runOn(p, sink, { intervalMs: 250 });
    const full = snapshot.series.intervals.filter((i) => i.durationMs === 250);
    expect(full.map((i) => i.startMs).slice(0, 4)).toEqual([0, 250, 500, 750]);
    // 50 starts fall in each quarter second. A tick before the boundary would leave an
    // interval open until the next one: about 100 in one and none in another.
    for (const interval of full.slice(0, 4)) {
      expect(interval.messages).toBeGreaterThanOrEqual(30);
      expect(interval.messages).toBeLessThanOrEqual(70);
    }
    expect(sum(Object.fromEntries(snapshot.series.intervals.map((i, k) => [k, i.messages])))).toBe(
      200,
    );
  });

  it('drops starts it cannot serve instead of delaying them', async () => {
    const sink = await sinkFor({ delays: { eod: 50 } });
    const p = profile(['kind: open', 'rate: 100/s', 'max-sessions: 1'], 'duration: 1s');
    const { snapshot } = await runOn(p, sink);
    const { counters, phases, named } = snapshot;
    // One session, ≥ 50 ms a message: at most 21 of the 100 starts can be served in 1 s.
    expect(counters.messages.attempted + counters.dropped).toBe(100);
    expect(counters.messages.attempted).toBeLessThanOrEqual(21);
    expect(counters.dropped).toBeGreaterThanOrEqual(79);
    expect(sink.stats().connections).toBe(1);
    expect(phases.message!.min).toBeGreaterThanOrEqual(49); // a timer may fire up to 1 ms early
    // Had the starts queued behind the session, most would lag by hundreds of ms, up to seconds.
    expect(named['schedule-lag']!.p50).toBeLessThan(50);
    expect(named['schedule-lag']!.p99).toBeLessThan(500);
    expect(named['schedule-lag']!.count).toBe(counters.messages.attempted);
    expectSettled(snapshot);
  });

  it('ramps through stages: the starts follow the integral of the rate', async () => {
    const sink = await sinkFor();
    const ramp = [
      'kind: open',
      'start-rate: 0/s',
      'stages: [{ duration: 1s, rate: 200/s }]',
      'max-sessions: 50',
    ];
    const whole = profile(ramp, 'duration: 1s');
    const { snapshot } = await runOn(whole, sink);
    const { counters } = snapshot;
    // N(t) = 100 t²: 100 starts over the whole ramp, the 25th of them due at 500 ms.
    expect(scheduledStarts(whole.model as OpenModel, 1000)).toBe(100);
    expect(counters.messages.attempted + counters.dropped).toBe(100);
    expectSettled(snapshot);
    // A budget of 25 is spent at the 25th start: not before 500 ms, as a constant rate of the
    // same total (100/s) would have it at 250 ms.
    const first = profile(ramp, 'duration: 1s', 'messages: 25');
    const early = (await runOn(first, sink)).snapshot;
    expect(early.counters.messages.attempted).toBe(25);
    expect(early.durationMs).toBeGreaterThanOrEqual(500);
  });
});

describe('open model, unit: session', () => {
  it('opens one session per start and sends messages-per-session on it', async () => {
    const sink = await sinkFor();
    const p = profile(
      ['kind: open', 'unit: session', 'messages-per-session: 3', 'rate: 20/s'],
      'duration: 1s',
    );
    const { snapshot } = await runOn(p, sink);
    const { counters } = snapshot;
    expect(counters.sessions.started + counters.dropped).toBe(20);
    expect(counters.dropped).toBe(0);
    expect(counters.sessions).toEqual({ started: 20, ok: 20, failed: 0 });
    expect(counters.messages).toEqual({ attempted: 60, ok: 60, failed: 0 });
    const stats = sink.stats();
    expect(stats.connections).toBe(20);
    expect(stats.commands.QUIT).toBe(20);
    expect(stats.messages).toBe(60);
    // Only each session's first message has an intended start (and a schedule lag).
    expect(snapshot.named['schedule-lag']?.count).toBe(20);
  });
});

describe('warm-up', () => {
  it('closed: sends before the measured run, records none of it, and counts it apart', async () => {
    const sink = await sinkFor();
    const p = profile(
      ['kind: closed', 'sessions: 2'],
      'warm-up: 300ms',
      'duration: 5s',
      'messages: 20',
    );
    const started = performance.now();
    const outcome = await runOn(p, sink);
    const { snapshot, warmUp } = outcome;
    // The budget is the measured run's alone; the warm-up sent on top of it.
    expect(snapshot.counters.messages.attempted).toBe(20);
    expect(snapshot.counters.messages.ok).toBe(20);
    expect(warmUp!.attempted).toBeGreaterThan(0);
    expect(warmUp!.ok).toBe(warmUp!.attempted);
    expect(sink.stats().messages).toBe(20 + warmUp!.ok);
    // Its two sessions were closed, and the measured run opened its own two.
    expect(sink.stats().connections).toBe(4);
    expect(snapshot.counters.sessions.started).toBe(2);
    expect(snapshot.phases.session!.count).toBe(2);
    // The warm-up came first: the whole call took it, the measured run's span did not.
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(snapshot.durationMs).toBeLessThan(300);
    // And it began at its start, not as soon as the warm-up had drained (then its 20 messages,
    // a few ms of work, would all have ended before the start: a span of 0).
    expect(snapshot.durationMs).toBeGreaterThan(0);
    expectSettled(snapshot);
    await expect.poll(() => sink.stats().openConnections, { timeout: 2000 }).toBe(0);
  });

  it('open: runs the schedule for the warm-up, then the measured schedule from its start', async () => {
    const sink = await sinkFor();
    const p = profile(
      ['kind: open', 'rate: 100/s', 'max-sessions: 20', 'pre-open: 2'],
      'warm-up: 500ms',
      'duration: 500ms',
    );
    const { snapshot, warmUp } = await runOn(p, sink);
    const model = p.model as OpenModel;
    expect(snapshot.counters.messages.attempted + snapshot.counters.dropped).toBe(
      scheduledStarts(model, 500),
    );
    expect(warmUp!.attempted + snapshot.counters.messages.attempted).toBe(sink.stats().messages);
    expect(warmUp!.attempted).toBeGreaterThanOrEqual(40);
    expect(snapshot.phases.message!.count).toBe(snapshot.counters.messages.attempted);
    expectSettled(snapshot);
  });

  it('an interrupt during the warm-up ends the run with nothing measured', async () => {
    const sink = await sinkFor();
    const p = profile(['kind: closed', 'sessions: 2'], 'warm-up: 10s', 'duration: 10s');
    const controller = new AbortController();
    const running = runOn(p, sink, { signal: controller.signal });
    await expect.poll(() => sink.stats().messages, { timeout: 5000 }).toBeGreaterThan(0);
    const stoppedAt = performance.now();
    controller.abort();
    const outcome = await running;
    expect(performance.now() - stoppedAt).toBeLessThan(3000);
    expect(outcome.interrupted).toBe(true);
    expect(outcome.snapshot.counters.messages.attempted).toBe(0);
    expect(outcome.warmUp!.attempted).toBeGreaterThan(0);
    await expect.poll(() => sink.stats().openConnections, { timeout: 2000 }).toBe(0);
  });
});

describe('faults', () => {
  it('shows injected 451/554 replies in codes and failed messages, not as errors', async () => {
    const sink = await sinkFor({ tempFailRate: 0.1, permFailRate: 0.1, seed: 3 });
    const p = profile(['kind: closed', 'sessions: 2'], 'duration: 60s', 'messages: 200');
    const { snapshot } = await runOn(p, sink);
    const { counters, phases } = snapshot;
    const { faults } = sink.stats();
    expect(counters.messages.attempted).toBe(200);
    expectSettled(snapshot);
    // One recipient: the first injected fault of a transaction fails it, and nothing after it
    // draws again (RCPT after a refused MAIL gets 503, DATA without recipients 554).
    expect(counters.messages.failed).toBe(faults.tempFail + faults.permFail);
    expect(counters.messages.ok).toBe(sink.stats().messages);
    const injected = (code: string) =>
      ['mail', 'rcpt', 'eod'].reduce((n, c) => n + (counters.codes[c]?.[code] ?? 0), 0);
    expect(injected('451')).toBe(faults.tempFail);
    expect(injected('554')).toBe(faults.permFail);
    expect(faults.tempFail).toBeGreaterThan(0);
    expect(faults.permFail).toBeGreaterThan(0);
    expect(counters.codes.rset?.['250']).toBe(counters.messages.failed);
    expect(counters.errors).toEqual({});
    expect(phases.message!.byOutcome['4xx']!.count + phases.message!.byOutcome['5xx']!.count).toBe(
      counters.messages.failed,
    );
  });

  it('counts one error per dropped connection, by kind, with samples', async () => {
    const sink = await sinkFor({ disconnectRate: 0.03, seed: 5 });
    const p = profile(['kind: closed', 'sessions: 2'], 'duration: 60s', 'messages: 200');
    const { snapshot, errorSamples } = await runOn(p, sink);
    const { counters } = snapshot;
    const { faults } = sink.stats();
    expect(faults.disconnect).toBeGreaterThan(0);
    expect(sum(counters.errors)).toBe(faults.disconnect);
    expect(Object.keys(counters.errors).every((k) => k === 'closed' || k === 'reset')).toBe(true);
    expect(counters.messages.attempted).toBe(200);
    expectSettled(snapshot);
    expect(counters.messages.failed).toBeGreaterThan(0);
    expect(counters.messages.ok).toBe(sink.stats().messages);
    expect(counters.sessions.failed).toBe(faults.disconnect);
    const kind = Object.keys(counters.errors)[0] as 'closed' | 'reset';
    expect(errorSamples[kind]![0]).toMatch(/^connection (closed|reset \(\w+\)) by the server/);
  });
});

describe('TLS and AUTH', () => {
  const account = { user: 'load', pass: 'secret-pass' };

  it('runs a STARTTLS mix and authenticates every session', async () => {
    const sink = await sinkFor({
      certificate: await generateLoopbackCertificate(),
      credentials: account,
    });
    const p = profile(
      ['kind: closed', 'sessions: 4', 'messages-per-session: 2'],
      'duration: 60s',
      'messages: 40',
      'connection: { tls: { none: 50%, starttls: 50% }, auth: true }',
    );
    const { snapshot } = await runOn(p, sink, { credentials: account });
    const { counters, phases } = snapshot;
    const stats = sink.stats();
    expect(counters.messages).toEqual({ attempted: 40, ok: 40, failed: 0 });
    expect(counters.errors).toEqual({});
    const sessions = counters.sessions.started;
    expect(sessions).toBeGreaterThanOrEqual(20);
    // Some sessions upgraded, some did not.
    expect(stats.commands.STARTTLS).toBeGreaterThan(0);
    expect(stats.commands.STARTTLS).toBeLessThan(sessions);
    expect(phases.tls!.count).toBe(stats.commands.STARTTLS);
    expect(counters.codes.tls).toEqual({ 220: stats.commands.STARTTLS });
    expect(counters.codes.ehlo).toEqual({ 250: sessions + stats.commands.STARTTLS });
    expect(counters.codes.auth).toEqual({ 235: sessions });
    expect(phases.auth!.count).toBe(sessions);
    // Bytes are counted on the wire: with TLS records (and handshakes) more than the sink read.
    expect(counters.bytes.sent).toBeGreaterThan(stats.bytesReceived);
  });

  it('counts refused credentials as auth-failed, without the password in the samples', async () => {
    const sink = await sinkFor({ credentials: account });
    const p = profile(
      ['kind: closed', 'sessions: 1'],
      'duration: 500ms',
      'connection: { auth: true }',
    );
    const wrong = { user: 'load', pass: 'wrong-pass' };
    const { snapshot, errorSamples } = await runOn(p, sink, { credentials: wrong });
    const { counters } = snapshot;
    expect(counters.messages.attempted).toBe(0);
    expect(counters.errors['auth-failed']).toBeGreaterThan(0);
    expect(counters.errors['auth-failed']).toBe(counters.sessions.failed);
    expect(counters.codes.auth).toEqual({ 535: counters.errors['auth-failed'] });
    expect(errorSamples['auth-failed']![0]).toMatch(/^AUTH PLAIN refused: 535/);
    expect(JSON.stringify(errorSamples)).not.toContain('wrong-pass');
  });
});
