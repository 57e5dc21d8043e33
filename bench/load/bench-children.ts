/**
 * The processes a load bench has running (sinks, responders, generators), so that an
 * interrupted bench (Ctrl-C, SIGTERM) stops them instead of leaving them behind:
 *
 *   const forget = whileRunning(() => child.kill('SIGTERM'));   // when it starts
 *   forget();                                                   // when it has ended
 *   stopAll();                                                  // run.ts, on a signal
 */
const running = new Set<() => void>();

export function whileRunning(stop: () => void): () => void {
  running.add(stop);
  return () => running.delete(stop);
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
