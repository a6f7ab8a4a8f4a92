import { Position, RecordedEvent } from '../event-store.port';
import { testMetadata } from '../testing/test-events';
import { LogPage } from './log-reader';
import { LogWakeups } from './log-wakeups';
import { LogFeed, PostgresAllSubscription } from './postgres-all-subscription';

/** An in-memory log behind the LogFeed interface, recording every page read. */
class FakeFeed implements LogFeed {
  readonly events: RecordedEvent[] = [];
  readonly reads: { after: Position; limit: number }[] = [];
  readonly wakeups = new LogWakeups();
  /** When set, page reads wait for it, so a test can act while a read is in flight. */
  hold: Promise<void> | null = null;

  append(...types: string[]): void {
    for (const type of types) {
      const position = BigInt(this.events.length);
      this.events.push({ id: `e${position}`, type, data: {}, metadata: testMetadata(), streamId: 's', revision: position, position });
    }
    this.wakeups.signal();
  }

  async readPage(after: Position, eventTypes: readonly string[] | null, limit: number): Promise<LogPage> {
    this.reads.push({ after, limit });
    const head = BigInt(this.events.length - 1);
    const matching = this.events.filter((event) => event.position > after && (!eventTypes || eventTypes.includes(event.type)));
    await this.hold;
    return { events: matching.slice(0, limit), head };
  }

  changeGeneration(): number {
    return this.wakeups.currentGeneration();
  }

  waitForChange(seenGeneration: number, timeoutMs: number, abort: AbortSignal): Promise<void> {
    return this.wakeups.wait(seenGeneration, timeoutMs, abort);
  }
}

const subscribe = (feed: FakeFeed, options: { eventTypes?: string[]; batchSize?: number; coalesceMs?: number } = {}) =>
  new PostgresAllSubscription(
    feed,
    { eventTypes: options.eventTypes, coalesceMs: options.coalesceMs },
    { batchSize: options.batchSize ?? 10, pollIntervalMs: 60_000 },
    () => undefined,
  );

async function take(iterator: AsyncIterator<RecordedEvent>, count: number): Promise<RecordedEvent[]> {
  const taken: RecordedEvent[] = [];
  for (let i = 0; i < count; i++) taken.push((await iterator.next()).value);
  return taken;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PostgresAllSubscription', () => {
  it('reads the next page only when the consumer has taken the previous one', async () => {
    const feed = new FakeFeed();
    feed.append(...Array<string>(25).fill('T'));
    const subscription = subscribe(feed, { batchSize: 10 });
    const iterator = subscription[Symbol.asyncIterator]();

    await take(iterator, 3);
    await settle();
    expect(feed.reads).toEqual([{ after: -1n, limit: 10 }]);

    await take(iterator, 8);
    await settle();
    expect(feed.reads.map((read) => read.after)).toEqual([-1n, 9n]);
    await subscription.close();
  });

  it('moves a filtered subscription past unmatched events to the head, so it does not read them again', async () => {
    const feed = new FakeFeed();
    feed.append('Wanted', 'Other', 'Other', 'Other');
    const subscription = subscribe(feed, { eventTypes: ['Wanted'] });
    const iterator = subscription[Symbol.asyncIterator]();
    await take(iterator, 1);

    const next = iterator.next();
    await settle();
    feed.append('Wanted');

    expect((await next).value.position).toBe(4n);
    expect(feed.reads.map((read) => read.after)).toEqual([-1n, 3n]);
    await subscription.close();
  });

  it('does not lose a wake-up that arrives while a page is being read', async () => {
    const feed = new FakeFeed();
    const subscription = subscribe(feed);
    const iterator = subscription[Symbol.asyncIterator]();
    let release!: () => void;
    feed.hold = new Promise((resolve) => (release = resolve));

    const next = iterator.next();
    await settle();
    feed.append('T'); // committed after the read's snapshot, signalled before the wait
    feed.hold = null;
    release();

    // The poll interval is a minute: only the wake-up can deliver this in time.
    expect((await next).value.position).toBe(0n);
    await subscription.close();
  });

  it('resolves caughtUp() once the events stored at its first read are handed over, not before', async () => {
    const feed = new FakeFeed();
    feed.append('T', 'T', 'T');
    const subscription = subscribe(feed);
    const iterator = subscription[Symbol.asyncIterator]();
    let caughtUp = false;
    void subscription.caughtUp().then(() => (caughtUp = true));

    await take(iterator, 2);
    await settle();
    expect(caughtUp).toBe(false);
    await take(iterator, 1);
    await settle();
    expect(caughtUp).toBe(true);
    await subscription.close();
  });

  describe('coalescing (coalesceMs)', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('reads at most once per interval while appends keep waking it, then brings everything appended meanwhile in one page', async () => {
      const feed = new FakeFeed();
      feed.append('T');
      const subscription = subscribe(feed, { coalesceMs: 100 });
      const iterator = subscription[Symbol.asyncIterator]();
      await take(iterator, 1);
      const next = iterator.next();
      await jest.advanceTimersByTimeAsync(10);
      feed.append('T');
      await jest.advanceTimersByTimeAsync(10);
      feed.append('T', 'T');
      await jest.advanceTimersByTimeAsync(50);
      expect(feed.reads).toHaveLength(1); // woken twice, but the interval since the first read has not passed

      await jest.advanceTimersByTimeAsync(40);
      expect((await next).value.position).toBe(1n);
      expect(feed.reads).toHaveLength(2);
      expect(await take(iterator, 2)).toEqual([expect.objectContaining({ position: 2n }), expect.objectContaining({ position: 3n })]);
      expect(feed.reads).toHaveLength(2);
      await subscription.close();
    });

    it('reads a quiet log at once when it grows, and reads on at once after a full page', async () => {
      const feed = new FakeFeed();
      feed.append(...Array<string>(15).fill('T'));
      const subscription = subscribe(feed, { batchSize: 10, coalesceMs: 100 });
      const iterator = subscription[Symbol.asyncIterator]();
      await take(iterator, 15); // two pages back to back: a full page never waits
      expect(feed.reads.map((read) => read.after)).toEqual([-1n, 9n]);

      const next = iterator.next();
      await jest.advanceTimersByTimeAsync(500); // quiet for longer than the interval
      feed.append('T');
      await jest.advanceTimersByTimeAsync(0);
      expect((await next).value.position).toBe(15n);
      await subscription.close();
    });

    it('ends on close() while it waits out the interval', async () => {
      const feed = new FakeFeed();
      const subscription = subscribe(feed, { coalesceMs: 60_000 });
      const iterator = subscription[Symbol.asyncIterator]();
      const next = iterator.next();
      await jest.advanceTimersByTimeAsync(0);
      feed.append('T'); // wakes it into the minute-long wait
      await jest.advanceTimersByTimeAsync(0);
      await subscription.close();
      await expect(next).resolves.toEqual({ done: true, value: undefined });
      expect(feed.reads).toHaveLength(1);
    });
  });

  it('ends a waiting iteration on close(), and can be iterated only once', async () => {
    const feed = new FakeFeed();
    const subscription = subscribe(feed);
    const iterator = subscription[Symbol.asyncIterator]();
    const next = iterator.next();

    await subscription.close();

    await expect(next).resolves.toEqual({ done: true, value: undefined });
    expect(() => subscription[Symbol.asyncIterator]()).toThrow(/only once/);
  });
});
