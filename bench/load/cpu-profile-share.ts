import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where a run's CPU went, from a V8 CPU profile (`node --cpu-prof`): each sample's own function
 * (self time) is put into one group, and each group's share of the samples in which the thread
 * was not idle is returned, in percent:
 *
 *   recording   src/metrics/ and src/load/recorder-sink.ts: what `--no-record` leaves out
 *   engine      the rest of src/load/
 *   write       the socket write system call (`writeBuffer`)
 *   node        Node's own JavaScript (streams, timers, promises)
 *   gc          the garbage collector
 *   other       everything else: V8 `(program)`, start-up, the CLI, dependencies
 */
export type ProfileGroup = 'recording' | 'engine' | 'write' | 'node' | 'gc' | 'other';

/** The shares, and recording's share of the busy samples outside `other` (an upper bound). */
export type ProfileShares = Record<ProfileGroup, number> & { recordingOfKnown: number };

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** The shares of the one `.cpuprofile` file in `dir`. */
export function profileShares(dir: string): ProfileShares {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const groupOf = new Map(profile.nodes.map((n) => [n.id, groupFor(n.callFrame)]));
  const sums: Record<ProfileGroup | 'idle', number> = {
    recording: 0,
    engine: 0,
    write: 0,
    node: 0,
    gc: 0,
    other: 0,
    idle: 0,
  };
  profile.samples.forEach(
    (id, i) => (sums[groupOf.get(id) ?? 'other'] += profile.timeDeltas[i] ?? 0),
  );
  const busy = Object.values(sums).reduce((a, b) => a + b, 0) - sums.idle;
  const share = (n: number) => Math.round((n / busy) * 1000) / 10;
  return {
    recording: share(sums.recording),
    engine: share(sums.engine),
    write: share(sums.write),
    node: share(sums.node),
    gc: share(sums.gc),
    other: share(sums.other),
    recordingOfKnown: Math.round((sums.recording / (busy - sums.other)) * 1000) / 10,
  };
}

function groupFor(frame: { functionName: string; url: string }): ProfileGroup | 'idle' {
  const { functionName: fn, url } = frame;
  if (fn === '(idle)') return 'idle';
  if (fn === '(garbage collector)') return 'gc';
  if (fn === 'writeBuffer' || fn === 'writev') return 'write';
  if (url.includes('/src/metrics/') || url.includes('/src/load/recorder-sink')) return 'recording';
  if (url.includes('/src/load/')) return 'engine';
  if (url.startsWith('node:')) return 'node';
  return 'other';
}
