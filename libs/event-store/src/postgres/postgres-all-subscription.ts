import { AllSubscription, Position, RecordedEvent, SubscribeToAllOptions } from '../event-store.port';
import { LogPage } from './log-reader';

/** What a subscription needs from its store. */
export interface LogFeed {
  readPage(after: Position, eventTypes: readonly string[] | null, limit: number): Promise<LogPage>;
  changeGeneration(): number;
  /** Resolves when the log may have grown since `seenGeneration`, or after `timeoutMs`, or on abort. */
  waitForChange(seenGeneration: number, timeoutMs: number, abort: AbortSignal): Promise<void>;
}

export interface SubscriptionLimits {
  /** Most events read, and so held in memory, at a time. */
  batchSize: number;
  /** Longest wait for a wake-up before reading the log again anyway. */
  pollIntervalMs: number;
}

/**
 * Pull-based catch-up subscription: it reads the next page only when the
 * consumer has taken every event of the previous one, so a slow consumer
 * holds at most one page in memory. Order and completeness come from the
 * append lock (a visible position has no invisible one below it); the
 * subscription only has to read forwards from its cursor. A failed read ends
 * the iteration with its error: resubscribe from the last position handled.
 */
export class PostgresAllSubscription implements AllSubscription {
  /** Every matching event at or below the cursor has been handed to the consumer. */
  private cursor: Position;
  /** The head at the first read: caughtUp() resolves when the cursor reaches it. */
  private catchUpTarget: Position | null = null;
  private readonly caughtUpSignal = signal();
  private readonly closing = new AbortController();
  private iterated = false;

  constructor(
    private readonly feed: LogFeed,
    private readonly options: SubscribeToAllOptions,
    private readonly limits: SubscriptionLimits,
    private readonly onClosed: (subscription: PostgresAllSubscription) => void,
  ) {
    this.cursor = options.fromPosition ?? -1n;
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.iterated) throw new Error('A subscription can be iterated only once');
    this.iterated = true;
    return this.deliver();
  }

  caughtUp(): Promise<void> {
    return this.caughtUpSignal.promise;
  }

  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort();
    this.caughtUpSignal.reject(new Error('Subscription closed before it caught up'));
    this.onClosed(this);
  }

  private get closed(): boolean {
    return this.closing.signal.aborted;
  }

  private async *deliver(): AsyncGenerator<RecordedEvent> {
    let lastRead = -Infinity;
    let behind = true;
    try {
      while (!this.closed) {
        // Coalescing: after a wake-up, not sooner than coalesceMs after the last read (a full page reads on at once).
        if (!behind) await pause(lastRead + (this.options.coalesceMs ?? 0) - performance.now(), this.closing.signal);
        if (this.closed) return;
        const generation = this.feed.changeGeneration();
        lastRead = performance.now();
        const page = await this.feed.readPage(this.cursor, this.options.eventTypes ?? null, this.limits.batchSize);
        this.catchUpTarget ??= page.head;
        for (const event of page.events) {
          if (this.closed) return;
          // Handing the event over counts as delivering it: caughtUp() must not
          // wait for a consumer that stops pulling once it has what it wanted.
          this.advanceTo(event.position);
          yield event;
        }
        behind = page.events.length === this.limits.batchSize;
        if (behind) continue;
        this.advanceTo(page.head);
        await this.feed.waitForChange(generation, this.limits.pollIntervalMs, this.closing.signal);
      }
    } catch (error) {
      this.caughtUpSignal.reject(error);
      throw error;
    } finally {
      await this.close();
    }
  }

  private advanceTo(position: Position): void {
    if (position > this.cursor) this.cursor = position;
    if (this.catchUpTarget !== null && this.cursor >= this.catchUpTarget) this.caughtUpSignal.resolve();
  }
}

/** Resolves after `ms` (at once when it is not positive), or on abort. */
function pause(ms: number, abort: AbortSignal): Promise<void> {
  if (!(ms > 0) || abort.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      abort.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    abort.addEventListener('abort', done);
  });
}

/** A promise settled from outside; settling twice is ignored, and nobody awaiting it is not an unhandled rejection. */
function signal(): { promise: Promise<void>; resolve(): void; reject(error: unknown): void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
