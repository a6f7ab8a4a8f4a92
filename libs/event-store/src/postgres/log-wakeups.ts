/**
 * Wakes caught-up subscriptions when the log may have grown. A generation
 * counter closes the race between a subscription's last read and its wait: a
 * signal that came in between makes the wait return at once.
 */
export class LogWakeups {
  private generation = 0;
  private readonly waiters = new Set<() => void>();

  currentGeneration(): number {
    return this.generation;
  }

  signal(): void {
    this.generation++;
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves on a signal after `seenGeneration`, after `timeoutMs` (the polling fallback), or on abort. */
  wait(seenGeneration: number, timeoutMs: number, abort: AbortSignal): Promise<void> {
    if (this.generation !== seenGeneration || abort.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        abort.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      abort.addEventListener('abort', wake);
      this.waiters.add(wake);
    });
  }
}
