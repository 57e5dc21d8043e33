/**
 * Promises that settle when a condition over some mutable state becomes true, or at a deadline.
 *
 * Contract: `until(ms, check, onTimeout)` calls `check` now and after every `notify()`; the first
 * defined value settles the promise. If none comes within `ms`, `onTimeout()` settles it. Waiters
 * are checked in the order they started (a FIFO), the timer is always cleared, and nothing keeps
 * the event loop alive after a promise settled.
 */
export class Waiters {
  private readonly pending = new Set<() => void>();

  until<T>(ms: number, check: () => T | undefined, onTimeout: () => T): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve) => {
      const settle = (value: T): void => {
        clearTimeout(timer);
        this.pending.delete(waiter);
        resolve(value);
      };
      const waiter = (): void => {
        const value = check();
        if (value !== undefined) settle(value);
      };
      const timer = setTimeout(() => settle(onTimeout()), ms);
      this.pending.add(waiter);
    });
  }

  /** Re-checks every waiter, oldest first. */
  notify(): void {
    for (const waiter of [...this.pending]) waiter();
  }
}
