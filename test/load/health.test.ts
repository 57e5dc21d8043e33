import { afterEach, describe, expect, it } from 'vitest';
import {
  HEALTH_LIMITS,
  judgeHealth,
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
  messages: 1000,
  cores: 2,
  dropped: 0,
  ...extra,
});

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
      facts({ targetRate: 100, achievedRate: 99.5, scheduleLagP99Ms: 0.4 }),
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
      scheduleLagP99Ms: 0.4,
      saturated: false,
      reasons: [],
    });
  });

  it('blames the generator for schedule lag and a shortfall without drops', () => {
    const lagging = judgeHealth(
      [thread()],
      facts({ targetRate: 1000, achievedRate: 800, scheduleLagP99Ms: 25 }),
    );
    expect(lagging.reasons).toEqual([
      'schedule lag p99 25 ms',
      'achieved 800/s of a target 1000/s',
    ]);
    // Starts dropped for want of a session: the server fell behind, not the generator.
    const dropping = judgeHealth(
      [thread()],
      facts({ targetRate: 1000, achievedRate: 800, scheduleLagP99Ms: 1, dropped: 200 }),
    );
    expect(dropping.saturated).toBe(false);
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
      messages: snapshot.counters.messages.ok,
      cores: 2,
      dropped: snapshot.counters.dropped,
      targetRate: 50,
      achievedRate: snapshot.counters.messages.attempted / (snapshot.durationMs / 1000),
      scheduleLagP99Ms: snapshot.named['schedule-lag']!.p99,
    });
    expect(health.saturated).toBe(health.reasons.length > 0);
    expect(health.threads).toBe(1);
    expect(health.cpuMicrosPerMessage).toBeGreaterThan(0);
  });
});
