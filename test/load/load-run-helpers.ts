import { expect } from 'vitest';
import { runLoad, type LoadRunOptions, type LoadRunOutcome } from '../../src/load/run-load.js';
import type { LoadSnapshot } from '../../src/metrics/load-snapshot.js';
import { loadProfile } from '../../src/suite/load-profile.js';
import type { LoadProfile } from '../../src/suite/profile-model.js';
import {
  startSinkTarget,
  type RunningSink,
  type SinkTargetOptions,
} from '../../src/targets/sink-target.js';

/** Shared by the load-engine tests that run whole profiles against the fast sink. */

/** A profile from YAML lines, through the real loader; throws on any error it reports. */
export function profileOf(...lines: string[]): LoadProfile {
  const loaded = loadProfile('test-profile.yaml', `${lines.join('\n')}\n`);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.profile || errors.length > 0)
    throw new Error(`test profile: ${errors.map((d) => d.title).join('; ')}`);
  return loaded.profile;
}

export type RunExtra = Partial<LoadRunOptions['plan']> & Omit<Partial<LoadRunOptions>, 'plan'>;

/** Runs `profile` against `sink` (one thread unless `extra.workers` says otherwise). */
export function runOn(
  profile: LoadProfile,
  sink: { host: string; port: number },
  extra: RunExtra = {},
): Promise<LoadRunOutcome> {
  const { abortOn = [], signal, onProgress, ...plan } = extra;
  return runLoad({
    plan: {
      profile,
      target: { host: sink.host, port: sink.port },
      connectTimeoutMs: 5_000,
      replyTimeoutMs: 5_000,
      workers: 1,
      record: true,
      intervalMs: 1_000,
      ...plan,
    },
    abortOn,
    ...(signal ? { signal } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
}

const sinks: RunningSink[] = [];

/** A sink for this test; `closeSinks()` (afterEach) stops them all. */
export async function sinkFor(options: SinkTargetOptions = {}): Promise<RunningSink> {
  const sink = await startSinkTarget(options);
  sinks.push(sink);
  return sink;
}

export async function closeSinks(): Promise<void> {
  await Promise.all(sinks.splice(0).map((s) => s.close()));
}

/** Nothing left in flight once a run has drained: every started message ended one way. */
export function expectSettled(snapshot: LoadSnapshot): void {
  const { messages, sessions } = snapshot.counters;
  expect(messages.ok + messages.failed).toBe(messages.attempted);
  expect(sessions.ok + sessions.failed).toBe(sessions.started);
}

/** Σ of a counter record (errors by kind, replies by code). */
export const sum = (record: Record<string, number> | undefined): number =>
  Object.values(record ?? {}).reduce((n, v) => n + v, 0);
