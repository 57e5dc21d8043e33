import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What a load bench has running (sinks, responders, generators) or holds (temporary
 * directories), so that an interrupted bench (Ctrl-C, SIGTERM) stops and removes them instead
 * of leaving them behind:
 *
 *   const forget = whileRunning(() => child.kill('SIGTERM'));   // when it starts
 *   forget();                                                   // when it has ended
 *   await withTempDir('smtpgauge-bench-', async (dir) => …);    // removed after, or on a signal
 *   stopAll();                                                  // run.ts, on a signal
 */
const running = new Set<() => void>();

export function whileRunning(stop: () => void): () => void {
  running.add(stop);
  return () => running.delete(stop);
}

/** Runs `use` with a new directory under the system's temporary directory, then removes it. */
export async function withTempDir<T>(prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  const forget = whileRunning(remove);
  try {
    return await use(dir);
  } finally {
    forget();
    remove();
  }
}

export function stopAll(): void {
  for (const stop of running) {
    try {
      stop();
    } catch {
      // already gone
    }
  }
  running.clear();
}
