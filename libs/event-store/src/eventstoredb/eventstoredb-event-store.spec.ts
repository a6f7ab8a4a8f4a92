/**
 * EventStoreDbEventStore against the EventStoreDB test server: the mapping
 * to the port, the leaving-out of system events, positions without precision
 * loss, and resubscription after the connection drops.
 */
import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  type AllSubscription,
  type NewEvent,
  type RecordedEvent,
} from '../event-store.port';
import { testEvent } from '../testing/test-events';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { startEventStoreDbTestServer, type EventStoreDbTestServer } from './test-server';

const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 200 };

describe('EventStoreDbEventStore on the EventStoreDB test server', () => {
  let server: EventStoreDbTestServer;
  let store: EventStoreDbEventStore;

  beforeAll(async () => {
    server = await startEventStoreDbTestServer();
    store = new EventStoreDbEventStore(server.connectionString, { reconnect: FAST_RECONNECT, readPageSize: 4 });
  });

  afterAll(async () => {
    await store.close();
    await server.stop();
  });

  describe('appendToStream and readStream', () => {
    it('round-trips id, type, data and the metadata envelope, with revisions and positions', async () => {
      const streamId = name('roundtrip');
      const sent = [event('Registered', { curp: 'X' }), event('Rectified', { names: ['Ana', 'María'] })];
      const result = await store.appendToStream(streamId, sent, { expectedRevision: 'no_stream' });

      const read = await store.readStream(streamId);
      expect(read.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }))).toEqual(sent);
      expect(read.map((e) => e.revision)).toEqual([0n, 1n]);
      expect(read.every((e) => e.streamId === streamId && typeof e.position === 'bigint')).toBe(true);
      expect(result).toEqual({ nextExpectedRevision: 1n, position: read[1].position });
    });

    it.each([
      ['any on a missing stream', 'any', false, true],
      ['no_stream on a missing stream', 'no_stream', false, true],
      ['stream_exists on an existing stream', 'stream_exists', true, true],
      ['the last revision', 0n, true, true],
      ['no_stream on an existing stream', 'no_stream', true, false],
      ['stream_exists on a missing stream', 'stream_exists', false, false],
      ['a stale revision', 1n, true, false],
    ] as const)('maps the expected revision: %s', async (_, expectedRevision, exists, accepted) => {
      const streamId = name('expected');
      if (exists) await store.appendToStream(streamId, [event('First')]);
      const attempt = store.appendToStream(streamId, [event('Next')], { expectedRevision });
      if (accepted) await expect(attempt).resolves.toMatchObject({ nextExpectedRevision: exists ? 1n : 0n });
      else await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    });

    it('reports the actual revision in WrongExpectedRevisionError', async () => {
      const streamId = name('actual');
      await store.appendToStream(streamId, [event('A'), event('B')]);

      const error = await store.appendToStream(streamId, [event('C')], { expectedRevision: 0n }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamId, expected: 0n, actual: 1n, code: 'WRONG_EXPECTED_REVISION' });
      const missing = await store.appendToStream(name('missing'), [event('C')], { expectedRevision: 4n }).catch((e: unknown) => e);
      expect(missing).toMatchObject({ expected: 4n, actual: 'no_stream' });
    });

    it('answers a retried append with the original result and stores the events once', async () => {
      const streamId = name('retry');
      const batch = [event('A'), event('B')];
      const first = await store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' });
      const retried = await store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' });

      expect(retried).toEqual(first);
      expect(await store.readStream(streamId)).toHaveLength(2);
    });

    it('rejects the same id twice in one append before sending it', async () => {
      const repeated = event('A');
      await expect(store.appendToStream(name('dup'), [repeated, { ...repeated, type: 'B' }])).rejects.toBeInstanceOf(DuplicateEventIdError);
    });

    it('cannot tell an id stored in another stream: EventStoreDB writes it again', async () => {
      const shared = event('Shared');
      await store.appendToStream(name('home'), [shared]);
      await expect(store.appendToStream(name('elsewhere'), [shared])).resolves.toBeDefined();
    });

    it('rejects malformed appends like the PostgreSQL adapter', async () => {
      await expect(store.appendToStream(name('empty'), [])).rejects.toBeInstanceOf(RangeError);
      await expect(store.appendToStream('', [event('A')])).rejects.toBeInstanceOf(TypeError);
      await expect(store.appendToStream(name('bad-id'), [{ ...event('A'), id: 'nope' }])).rejects.toBeInstanceOf(TypeError);
    });

    it('reads a missing stream as empty, and honours direction, fromRevision and maxCount', async () => {
      const streamId = name('reads');
      await store.appendToStream(streamId, [event('A'), event('B'), event('C')]);
      const revisions = async (options: Parameters<EventStoreDbEventStore['readStream']>[1]) =>
        (await store.readStream(streamId, options)).map((e) => e.revision);

      expect(await store.readStream(name('never-written'))).toEqual([]);
      expect(await revisions({ fromRevision: 1n })).toEqual([1n, 2n]);
      expect(await revisions({ direction: 'backwards' })).toEqual([2n, 1n, 0n]);
      expect(await revisions({ direction: 'backwards', fromRevision: 1n, maxCount: 1 })).toEqual([1n]);
      expect(await revisions({ maxCount: 0 })).toEqual([]);
    });
  });

  describe('readAll and headPosition', () => {
    it('leaves out the system events of $all', async () => {
      const streamId = name('all');
      await store.appendToStream(streamId, [event('A')]);
      server.appendSystemEvent('$stats-test', '$statsCollected');
      await store.appendToStream(streamId, [event('B')]);

      const all = await store.readAll();
      expect(all.some((e) => e.type.startsWith('$'))).toBe(false);
      expect(all.filter((e) => e.streamId === streamId).map((e) => e.type)).toEqual(['A', 'B']);
      expect(server.log.records.some((record) => record.type.startsWith('$'))).toBe(true);
    });

    it('reads from a position inclusive, in both directions, across pages full of system events', async () => {
      const streamId = name('pages');
      const written: RecordedEvent[] = [];
      for (const type of ['A', 'B', 'C', 'D']) {
        await store.appendToStream(streamId, [event(type)]);
        for (let i = 0; i < 5; i++) server.appendSystemEvent('$stats-test', '$statsCollected');
      }
      written.push(...(await store.readStream(streamId)));
      const [a, b, c, d] = written.map((e) => e.position);

      expect((await store.readAll({ fromPosition: b, maxCount: 2 })).map((e) => e.type)).toEqual(['B', 'C']);
      expect((await store.readAll({ fromPosition: c, direction: 'backwards', maxCount: 3 })).map((e) => e.type)).toEqual(['C', 'B', 'A']);
      expect((await store.readAll({ fromPosition: a })).filter((e) => e.streamId === streamId)).toHaveLength(4);
      expect((await store.readAll({ fromPosition: d + 1n, maxCount: 1 })).map((e) => e.type)).not.toContain('D');
      expect(await store.readAll({ maxCount: 0 })).toEqual([]);
    });

    it('reads from an event position + 1, which EventStoreDB itself cannot read from', async () => {
      const streamId = name('plus-one');
      await store.appendToStream(streamId, [event('A'), event('B'), event('C')]);
      const [a, b] = (await store.readStream(streamId)).map((e) => e.position);

      expect((await store.readAll({ fromPosition: a + 1n, maxCount: 2 })).map((e) => e.type)).toEqual(['B', 'C']);
      expect((await store.readAll({ fromPosition: b + 1n, direction: 'backwards', maxCount: 2 })).map((e) => e.type)).toEqual(['B', 'A']);
      const subscription = store.subscribeToAll({ fromPosition: a + 1n });
      const [first] = await new Reader(subscription).take(1);
      await subscription.close();
      expect(first).toMatchObject({ streamId, type: 'B' });
    });

    it('refuses a position inside an event with a RangeError', async () => {
      const { position } = await store.appendToStream(name('inside'), [event('A', { padding: 'x'.repeat(50) })]);
      await expect(store.readAll({ fromPosition: position + 2n })).rejects.toBeInstanceOf(RangeError);
      const subscription = store.subscribeToAll({ fromPosition: position + 2n });
      await expect(new Reader(subscription).next()).rejects.toBeInstanceOf(RangeError);
    });

    it('reports the last non-system event as the head, -1 on a log with only system events', async () => {
      const fresh = await startEventStoreDbTestServer();
      const freshStore = new EventStoreDbEventStore(fresh.connectionString);
      try {
        expect(await freshStore.headPosition()).toBe(-1n);
        const { position } = await freshStore.appendToStream(name('head'), [event('A')]);
        fresh.appendSystemEvent('$stats-test', '$statsCollected');
        expect(await freshStore.headPosition()).toBe(position);
      } finally {
        await freshStore.close();
        await fresh.stop();
      }
    });

    it('keeps positions beyond 2^53 exact', async () => {
      const far = await startEventStoreDbTestServer({ firstPosition: 2n ** 60n + 1n });
      const farStore = new EventStoreDbEventStore(far.connectionString);
      try {
        const { position } = await farStore.appendToStream(name('far'), [event('A')]);
        const stored = far.log.records[far.log.records.length - 1].position;
        expect(position).toBe(stored);
        expect(position > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
        expect((await farStore.readAll({ fromPosition: position }))[0].position).toBe(stored);
        expect(await farStore.headPosition()).toBe(stored);
      } finally {
        await farStore.close();
        await far.stop();
      }
    });
  });

  describe('subscribeToAll', () => {
    it('catches up, resolves caughtUp once the stored events are handed over, then goes live without system events', async () => {
      const streamId = name('sub');
      await store.appendToStream(streamId, [event('A'), event('B')]);
      const subscription = store.subscribeToAll();
      const reader = new Reader(subscription);

      const caughtUp = trackSettled(subscription.caughtUp());
      const history = await reader.takeUntil((e) => e.streamId === streamId && e.type === 'A');
      // Whatever the subscription has read ahead, B is not handed over yet: caughtUp waits for it.
      await new Promise((resolve) => setImmediate(resolve));
      expect(caughtUp.settled).toBe(false);
      history.push(await reader.next());
      await subscription.caughtUp();

      server.appendSystemEvent('$stats-test', '$statsCollected');
      await store.appendToStream(streamId, [event('C')]);
      const live = await reader.next();
      await subscription.close();

      expect(history.every((e) => !e.type.startsWith('$'))).toBe(true);
      expect(live).toMatchObject({ streamId, type: 'C', revision: 2n });
    });

    it('starts after fromPosition and delivers only the requested event types', async () => {
      const streamId = name('types');
      const { position } = await store.appendToStream(streamId, [event('Wanted'), event('Other')]);
      await store.appendToStream(streamId, [event('Other'), event('Wanted')]);
      const subscription = store.subscribeToAll({ fromPosition: position, eventTypes: ['Wanted'] });

      const [delivered] = await new Reader(subscription).take(1);
      await subscription.close();
      expect(delivered).toMatchObject({ streamId, type: 'Wanted', revision: 3n });
    });

    it('resubscribes after the connection drops, from its last delivered event: no gap, no repeat', async () => {
      const streamId = name('drop');
      await store.appendToStream(streamId, Array.from({ length: 30 }, (_, i) => event(`E${i}`)));
      const subscriptionsBefore = server.subscriptionsStarted;
      const subscription = store.subscribeToAll({ eventTypes: typesOf(0, 60) });
      const reader = new Reader(subscription);

      const beforeDrop = await reader.take(10); // the rest of the catch-up is still in flight or buffered
      await server.dropConnections();
      await store.appendToStream(streamId, Array.from({ length: 20 }, (_, i) => event(`E${30 + i}`)));
      const afterDrop = await reader.take(40);
      await server.restart({ downtimeMs: 300 });
      await store.appendToStream(streamId, Array.from({ length: 10 }, (_, i) => event(`E${50 + i}`)));
      const afterRestart = await reader.take(10);
      await subscription.close();

      const revisions = [...beforeDrop, ...afterDrop, ...afterRestart].map((e) => Number(e.revision));
      expect(revisions).toEqual(Array.from({ length: 60 }, (_, i) => i));
      expect(server.subscriptionsStarted - subscriptionsBefore).toBe(3); // the first, one after the drop, one after the restart
    });

    it('ends the iteration at once when closed while waiting to resubscribe', async () => {
      // An hour before it would subscribe again: only the close can end the iteration within the test's time.
      const patient = new EventStoreDbEventStore(server.connectionString, { reconnect: { initialDelayMs: 3_600_000, maxDelayMs: 3_600_000 } });
      const subscription = patient.subscribeToAll({ eventTypes: [name('Never')] });
      const iteration = new Reader(subscription).next(3_600_000).catch((error: Error) => error.message);
      await subscription.caughtUp();
      const subscribed = server.subscriptionsStarted;
      // The server went down and is back: the subscription has failed and waits to subscribe again.
      await server.restart({ downtimeMs: 300 });

      await patient.close();
      await expect(iteration).resolves.toBe('the subscription ended');
      expect(server.subscriptionsStarted).toBe(subscribed);
    });

    it('ends the iteration on close and rejects caughtUp when closed before catching up', async () => {
      const subscription = store.subscribeToAll();
      const caughtUp = subscription.caughtUp();
      const iterator = subscription[Symbol.asyncIterator]();
      await subscription.close();

      await expect(caughtUp).rejects.toThrow(/closed/);
      await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
    });
  });
});

function name(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

function typesOf(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `E${from + i}`);
}

function event(type: string, data: unknown = { type }): NewEvent {
  return testEvent(type, data);
}

/** Lets the client's stream and the subscription process what has arrived. */
function trackSettled(promise: Promise<unknown>): { settled: boolean } {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

/** Pulls a subscription one event at a time, each pull with a deadline. */
class Reader {
  private readonly iterator: AsyncIterator<RecordedEvent>;

  constructor(subscription: AllSubscription) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  async next(timeoutMs = 5000): Promise<RecordedEvent> {
    const pending = this.iterator.next();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no event in time')), timeoutMs)));
    try {
      const result = await Promise.race([pending, timeout]);
      if (result.done) throw new Error('the subscription ended');
      return result.value;
    } finally {
      clearTimeout(timer);
    }
  }

  async take(count: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    while (events.length < count) events.push(await this.next());
    return events;
  }

  async takeUntil(last: (event: RecordedEvent) => boolean): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    do events.push(await this.next());
    while (!last(events[events.length - 1]));
    return events;
  }
}
