import { afterEach, describe, expect, it } from 'vitest';
import {
  HEALTH_LIMITS,
  HealthMonitor,
  judgeHealth,
  OPEN_MODEL_NOTE,
  type RateFacts,
  type ThreadHealth,
} from '../../src/load/generator-health.js';
import { closeSinks, profileOf, runOn, sinkFor } from './load-run-helpers.js';

/**
 * The generator's health verdict. The rules are checked on hand-made thread figures (a real
 * run's figures depend on the machine); one real run checks only the shape of what it yields.
 */
afterEach(closeSinks);

const thread = (extra: Partial<ThreadHealth> = {}): ThreadHealth => ({
  loopDelayP50Ms: 0.5,
  loopDelayP99Ms: 2,
  loopDelayMaxMs: 4,
  utilization: 0.3,
  cpuMs: 300,
  wallMs: 1000,
  ...extra,
});

const facts = (extra: Partial<RateFacts> = {}): RateFacts => ({
  model: 'closed',
  messages: 1000,
  cores: 2,
  ...extra,
});

const open = (extra: Partial<RateFacts>) => facts({ model: 'open', droppedRate: 0, ...extra });

describe('judgeHealth', () => {
  it('flags a closed zero-think run that kept its event loop busy', () => {
    const health = judgeHealth(
      [thread({ utilization: 0.97, loopDelayP99Ms: 35, cpuMs: 1900, wallMs: 1000 })],
      facts({ messages: 50_000 }),
    );
    expect(health.saturated).toBe(true);
    expect(health.reasons).toEqual([
      'event loop busy 97% of the time',
      'event-loop delay p99 35 ms',
      'process CPU 1.9 of 2 cores',
    ]);
    expect(health.cpuCores).toBe(1.9);
    expect(health.cpuMicrosPerMessage).toBe(38);
    expect(health.targetRate).toBeUndefined();
  });

  it('passes a light open run that kept its schedule', () => {
    const health = judgeHealth(
      [thread()],
      open({ targetRate: 100, achievedRate: 99.5, scheduleLagP99Ms: 0.4 }),
    );
    expect(health).toEqual({
      threads: 1,
      loopDelayP99Ms: 2,
      loopDelayMaxMs: 4,
      utilization: 0.3,
      cpuCores: 0.3,
      cpuMicrosPerMessage: 300,
      targetRate: 100,
      achievedRate: 99.5,
      droppedRate: 0,
      scheduleLagP99Ms: 0.4,
      saturated: false,
      reasons: [],
      notes: [OPEN_MODEL_NOTE],
    });
  });

  it('does not judge an open run by the busy loop and CPU of its sub-millisecond wait', () => {
    // 5,000 starts/s: the wait spins, so the loop reads fully busy and the process uses a core,
    // while every start left on time.
    const spinning = [thread({ utilization: 1, cpuMs: 1950, wallMs: 1000, loopDelayP99Ms: 1.2 })];
    const onTime = judgeHealth(
      spinning,
      open({ targetRate: 5000, achievedRate: 5000, scheduleLagP99Ms: 0.3 }),
    );
    expect(onTime.saturated).toBe(false);
    expect(onTime.utilization).toBe(1);
    // The same figures in a closed run are a saturated generator.
    expect(judgeHealth(spinning, facts()).reasons).toEqual([
      'event loop busy 100% of the time',
      'process CPU 1.95 of 2 cores',
    ]);
    // A blocked loop still counts in the open model.
    const blocked = judgeHealth(
      [thread({ utilization: 1, loopDelayP99Ms: 45 })],
      open({ targetRate: 5000, achievedRate: 5000, scheduleLagP99Ms: 0.3 }),
    );
    expect(blocked.reasons).toEqual(['event-loop delay p99 45 ms']);
  });

  it('blames the generator for schedule lag and a shortfall without drops', () => {
    const lagging = judgeHealth(
      [thread()],
      open({ targetRate: 1000, achievedRate: 800, droppedRate: 100, scheduleLagP99Ms: 25 }),
    );
    expect(lagging.reasons).toEqual([
      'schedule lag p99 25 ms',
      'made or dropped 900/s of a target 1000/s',
    ]);
    // Starts dropped for want of a session: the server fell behind, not the generator.
    const dropping = judgeHealth(
      [thread()],
      open({ targetRate: 1000, achievedRate: 800, scheduleLagP99Ms: 1, droppedRate: 200 }),
    );
    expect(dropping.saturated).toBe(false);
    expect(dropping.droppedRate).toBe(200);
  });

  it('sits exactly at the limits without flagging, and names the thread above them', () => {
    const atLimits = thread({
      utilization: HEALTH_LIMITS.utilization,
      loopDelayP99Ms: HEALTH_LIMITS.loopDelayP99Ms,
    });
    expect(judgeHealth([atLimits], facts()).saturated).toBe(false);
    const two = judgeHealth([thread(), thread({ utilization: 0.95 })], facts());
    expect(two.threads).toBe(2);
    expect(two.utilization).toBe(0.95);
    expect(two.reasons).toEqual(['thread 2: event loop busy 95% of the time']);
  });
});

describe('HealthMonitor', () => {
  it('reports event-loop delay as the wait beyond the check interval, not the interval', async () => {
    const monitor = new HealthMonitor();
    monitor.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const block = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    block(60); // one check waits about 60 ms longer than it should
    await new Promise((resolve) => setTimeout(resolve, 50));
    const health = monitor.stop();
    // An idle loop's checks come about every 10 ms: that is no delay. (Node's own histogram
    // reads about 10.2 ms there.)
    expect(health.loopDelayP50Ms).toBeLessThan(5);
    expect(health.loopDelayMaxMs).toBeGreaterThanOrEqual(45);
  });
});

describe('a real run', () => {
  it('reports its health figures per thread', async () => {
    const sink = await sinkFor();
    const profile = profileOf(
      'title: light',
      'duration: 1s',
      'model: { kind: open, rate: 50/s, max-sessions: 4 }',
      'message: { size: 1KB, shapes: 4 }',
    );
    const { threads, snapshot } = await runOn(profile, sink);
    expect(threads).toHaveLength(1);
    const [t] = threads;
    for (const value of Object.values(t!)) {
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
    }
    expect(t!.utilization).toBeLessThanOrEqual(1);
    expect(t!.wallMs).toBeGreaterThanOrEqual(900);
    expect(t!.loopDelayP50Ms).toBeLessThanOrEqual(t!.loopDelayMaxMs);
    const health = judgeHealth(threads, {
      model: 'open',
      messages: snapshot.counters.messages.ok,
      cores: 2,
      droppedRate: snapshot.counters.dropped / (snapshot.durationMs / 1000),
      targetRate: 50,
      achievedRate: snapshot.counters.messages.attempted / (snapshot.durationMs / 1000),
      scheduleLagP99Ms: snapshot.named['schedule-lag']!.p99,
    });
    expect(health.saturated).toBe(health.reasons.length > 0);
    expect(health.threads).toBe(1);
    expect(health.cpuMicrosPerMessage).toBeGreaterThan(0);
  });
});
