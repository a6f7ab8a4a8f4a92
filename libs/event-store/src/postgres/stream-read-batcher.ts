import type { RecordedEvent } from '../event-store.port';

/** Most streams one query reads: `stream_id = ANY($1)` stays one index scan per id. */
export const MAX_STREAMS_PER_READ = 256;

/**
 * Whole-stream reads asked for in the same turn of the event loop, answered
 * by one query (readStreams) instead of one each: command handlers read two
 * to four streams per command, and under load dozens of commands ask within
 * one turn. Each read still sees every event committed before it was asked
 * for (the query starts after), which is all optimistic concurrency needs:
 * the append's expected revision catches anything newer. A failed query
 * fails the reads it served, as each would have failed alone.
 */
export class StreamReadBatcher {
  private pending = new Map<string, { resolve(events: RecordedEvent[]): void; reject(error: unknown): void }[]>();
  private scheduled = false;

  constructor(private readonly readStreams: (streamIds: readonly string[]) => Promise<Map<string, RecordedEvent[]>>) {}

  read(streamId: string): Promise<RecordedEvent[]> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(streamId);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(streamId, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        // After the callbacks of this turn's I/O, so that reads asked for by each of them share the query.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = [...this.pending];
    this.pending = new Map();
    for (let start = 0; start < batch.length; start += MAX_STREAMS_PER_READ) {
      const part = batch.slice(start, start + MAX_STREAMS_PER_READ);
      this.readStreams(part.map(([streamId]) => streamId)).then(
        (streams) => {
          for (const [streamId, waiters] of part) {
            const events = streams.get(streamId) ?? [];
            // An array of its own for each reader: none sees another's changes to it.
            for (const waiter of waiters) waiter.resolve([...events]);
          }
        },
        (error: unknown) => {
          for (const [, waiters] of part) for (const waiter of waiters) waiter.reject(error);
        },
      );
    }
  }
}
