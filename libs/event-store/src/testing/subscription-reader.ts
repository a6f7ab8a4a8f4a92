import { AllSubscription, RecordedEvent } from '../event-store.port';

/** Reads a subscription in steps (catch-up, then live), with a deadline on each step. */
export class SubscriptionReader {
  private readonly iterator: AsyncIterator<RecordedEvent>;

  constructor(readonly subscription: AllSubscription) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  /** The next `count` events that pass `accept`; the others are skipped. */
  async take(count: number, accept: (event: RecordedEvent) => boolean = () => true, timeoutMs = 10_000): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    const deadline = Date.now() + timeoutMs;
    while (events.length < count) {
      const next = await withDeadline(this.iterator.next(), deadline, () => `received ${events.length} of ${count} events`);
      if (next.done) throw new Error(`The subscription ended after ${events.length} of ${count} events`);
      if (accept(next.value)) events.push(next.value);
    }
    return events;
  }
}

async function withDeadline<T>(promise: Promise<T>, deadline: number, progress: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out: ${progress()}`)), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
