/**
 * The real @eventstore/db-client against the test server: the EventStoreDB
 * behaviour the adapter builds on, shown at the client's level. If the
 * server's wire format drifted from what the client expects, these fail.
 */
import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type Filter,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { startEventStoreDbTestServer, type EventStoreDbTestServer } from './test-server';
import { eventually } from '@ledger/platform/testing';

describe('@eventstore/db-client against the EventStoreDB test server', () => {
  let server: EventStoreDbTestServer;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    server = await startEventStoreDbTestServer();
    client = EventStoreDBClient.connectionString(server.connectionString);
  });

  afterAll(async () => {
    await client.dispose();
    await server.stop();
  });

  const stream = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;
  const events = (count: number, type = 'Tested') =>
    Array.from({ length: count }, (_, index) => jsonEvent({ type, data: { index }, metadata: { note: `m${index}` } }));

  describe('append', () => {
    it('numbers revisions from 0 and answers the position of the last event', async () => {
      const name = stream('append');
      const first = await client.appendToStream(name, events(2), { expectedRevision: 'no_stream' });
      const second = await client.appendToStream(name, events(1), { expectedRevision: 1n });

      expect(first.nextExpectedRevision).toBe(1n);
      expect(second.nextExpectedRevision).toBe(2n);
      expect(second.position!.commit).toBeGreaterThan(first.position!.commit);
      const stored = await collect(client.readStream(name));
      expect(stored.map((e) => e.event!.revision)).toEqual([0n, 1n, 2n]);
      expect(stored[1].event!.position).toEqual(first.position);
    });

    it('rejects a wrong expected revision with WrongExpectedVersionError carrying both revisions', async () => {
      const name = stream('wrong');
      await client.appendToStream(name, events(2));

      const error = await client.appendToStream(name, events(1), { expectedRevision: 0n }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamName: name, expectedVersion: 0n, actualVersion: 1n });
    });

    it.each([
      ['no_stream on an existing stream', 'no_stream', true, { expectedVersion: 'no_stream', actualVersion: 0n }],
      ['stream_exists on a missing stream', 'stream_exists', false, { expectedVersion: 'stream_exists', actualVersion: 'no_stream' }],
      ['a revision on a missing stream', 3n, false, { expectedVersion: 3n, actualVersion: 'no_stream' }],
    ] as const)('rejects %s', async (_, expectedRevision, exists, versions) => {
      const name = stream('expect');
      if (exists) await client.appendToStream(name, events(1));
      const error = await client.appendToStream(name, events(1), { expectedRevision }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject(versions);
    });

    it('accepts the same events again at the same place without writing them twice (idempotent ids)', async () => {
      const name = stream('idempotent');
      const batch = events(3);
      const first = await client.appendToStream(name, batch, { expectedRevision: 'no_stream' });
      await client.appendToStream(name, events(1), { expectedRevision: 2n });

      const retried = await client.appendToStream(name, batch, { expectedRevision: 'no_stream' });
      const retriedWithAny = await client.appendToStream(name, batch);

      expect(retried).toEqual(first);
      expect(retriedWithAny).toEqual(first);
      expect(await collect(client.readStream(name))).toHaveLength(4);
    });

    it('treats ids that match only in part as a wrong expected version', async () => {
      const name = stream('partial');
      const batch = events(2);
      await client.appendToStream(name, batch, { expectedRevision: 'no_stream' });

      const error = await client
        .appendToStream(name, [batch[0], ...events(1)], { expectedRevision: 'no_stream' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
    });

    it('writes an id again when it is stored in another stream: EventStoreDB has no global id check', async () => {
      const [event] = events(1);
      await client.appendToStream(stream('first-home'), event);
      const second = await client.appendToStream(stream('second-home'), event);

      expect(second.success).toBe(true);
      const copies = (await collect(client.readAll())).filter((e) => e.event?.id === event.id);
      expect(copies).toHaveLength(2);
    });
  });

  describe('readStream', () => {
    it('throws StreamNotFoundError for a stream without events', async () => {
      const name = stream('missing');
      const error = await collect(client.readStream(name)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StreamNotFoundError);
      expect(error).toMatchObject({ streamName: name });
    });

    it('reads forwards and backwards, from a revision, with a count', async () => {
      const name = stream('read');
      await client.appendToStream(name, events(5));

      const revisions = async (options: Parameters<EventStoreDBClient['readStream']>[1]) =>
        (await collect(client.readStream(name, options))).map((e) => e.event!.revision);
      expect(await revisions({})).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect(await revisions({ fromRevision: 2n, maxCount: 2 })).toEqual([2n, 3n]);
      expect(await revisions({ direction: BACKWARDS, fromRevision: END })).toEqual([4n, 3n, 2n, 1n, 0n]);
      expect(await revisions({ direction: BACKWARDS, fromRevision: 1n })).toEqual([1n, 0n]);
      expect(await revisions({ fromRevision: 9n })).toEqual([]);
    });

    it('returns data and metadata as written, with id, type, created and position', async () => {
      const name = stream('content');
      const id = randomUUID();
      const before = Date.now();
      await client.appendToStream(name, jsonEvent({ id, type: 'Shaped', data: { a: [1, 'ñ'] }, metadata: { actor: 'x' } }));

      const [resolved] = await collect(client.readStream(name));
      expect(resolved.event).toMatchObject({ id, type: 'Shaped', streamId: name, isJson: true, data: { a: [1, 'ñ'] }, metadata: { actor: 'x' } });
      expect(resolved.event!.created.getTime()).toBeGreaterThanOrEqual(before - 1);
      expect(typeof resolved.event!.position!.commit).toBe('bigint');
    });
  });

  describe('readAll', () => {
    it('starts with the system events the server wrote, then holds every event in commit order', async () => {
      const name = stream('all');
      await client.appendToStream(name, events(3));

      const all = await collect(client.readAll());
      expect(all[0].event!.type).toBe('$metadata');
      const positions = all.map((e) => e.event!.position.commit);
      expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
      expect(new Set(positions).size).toBe(positions.length);
      expect(all.filter((e) => e.event!.streamId === name).map((e) => e.event!.revision)).toEqual([0n, 1n, 2n]);
    });

    it('reads forwards from a position inclusive, backwards from a position exclusive', async () => {
      const name = stream('positions');
      await client.appendToStream(name, events(3));
      const mine = (await collect(client.readAll())).filter((e) => e.event!.streamId === name);
      const middle = mine[1].event!.position;

      const forwards = await collect(client.readAll({ fromPosition: middle, maxCount: 2 }));
      const backwards = await collect(client.readAll({ fromPosition: middle, direction: BACKWARDS, maxCount: 1 }));
      expect(forwards.map((e) => e.event!.revision)).toEqual([1n, 2n]);
      expect(backwards.map((e) => e.event!.revision)).toEqual([0n]);
    });

    it('refuses to read from inside a record (an event position + 1) with INVALID_ARGUMENT', async () => {
      const { position } = await client.appendToStream(stream('inside'), events(1));
      const inside = { commit: position!.commit + 1n, prepare: position!.prepare + 1n };

      const error = await collect(client.readAll({ fromPosition: inside })).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 3, message: expect.stringMatching(/invalid position/) });
    });
  });

  describe('subscriptions', () => {
    it('to a stream: confirmation, the stored events, caught-up, then live events', async () => {
      const name = stream('sub-stream');
      await client.appendToStream(name, events(2));
      const subscription = client.subscribeToStream(name, { fromRevision: START });
      const seen = record(subscription);

      await seen.until((log) => log.includes('caughtUp'));
      await client.appendToStream(name, events(1));
      await seen.until((log) => log.length === 5);
      await subscription.unsubscribe();

      expect(seen.log).toEqual(['confirmation', 'event 0', 'event 1', 'caughtUp', 'event 2']);
    });

    it('to a stream from a revision: only the events after it', async () => {
      const name = stream('sub-after');
      await client.appendToStream(name, events(3));
      const subscription = client.subscribeToStream(name, { fromRevision: 1n });
      const seen = record(subscription);

      await seen.until((log) => log.includes('caughtUp'));
      await subscription.unsubscribe();
      expect(seen.log).toEqual(['confirmation', 'event 2', 'caughtUp']);
    });

    it('to $all excluding system events: catch-up, caught-up, then live events in order', async () => {
      const name = stream('sub-all');
      await client.appendToStream(name, events(2));
      const subscription = client.subscribeToAll({ fromPosition: START, filter: excludeSystemEvents() });
      const seen = record(subscription);

      await seen.until((log) => log.includes('caughtUp'));
      server.appendSystemEvent('$stats-test', '$statsCollected');
      await client.appendToStream(name, events(1));
      await seen.until((log) => log.at(-1) === 'event 2' && seen.events.at(-1)?.event?.streamId === name);
      await subscription.unsubscribe();

      expect(seen.events.every((e) => !e.event!.type.startsWith('$'))).toBe(true);
      const mine = seen.log.filter((entry, index) => entry === 'caughtUp' || seen.streams[index] === name);
      expect(mine).toEqual(['event 0', 'event 1', 'caughtUp', 'event 2']);
    });

    it('to $all from a position: the events after it (exclusive)', async () => {
      const name = stream('sub-from');
      const first = await client.appendToStream(name, events(1));
      await client.appendToStream(name, events(1));
      const subscription = client.subscribeToAll({ fromPosition: first.position, filter: excludeSystemEvents() });
      const seen = record(subscription);

      await seen.until((log) => log.includes('caughtUp'));
      await subscription.unsubscribe();
      expect(seen.events.map((e) => `${e.event!.streamId}@${e.event!.revision}`)).toEqual([`${name}@1`]);
    });

    it('to $all with an event type filter, sending checkpoints at the requested interval', async () => {
      const type = `Filtered${randomUUID().slice(0, 8)}`;
      await client.appendToStream(stream('filter'), [...events(40, 'Other'), ...events(3, type)]);
      const checkpoints: bigint[] = [];
      const filter: Filter = eventTypeFilter({
        prefixes: [type],
        checkpointInterval: 1,
        checkpointReached: (_, position) => void checkpoints.push(position.commit),
      });
      const subscription = client.subscribeToAll({ fromPosition: START, filter });
      const seen = record(subscription);

      await seen.until((log) => log.includes('caughtUp'));
      await subscription.unsubscribe();
      expect(seen.events.map((e) => e.event!.type)).toEqual([type, type, type]);
      // One checkpoint per 32 events considered (interval 1 × the default window of 32).
      expect(checkpoints.length).toBeGreaterThanOrEqual(1);
      expect(checkpoints).toEqual([...checkpoints].sort((a, b) => (a < b ? -1 : 1)));
    });

    it('ends with an error when the connection drops: resubscribing is the caller\'s job', async () => {
      const subscription = client.subscribeToAll({ fromPosition: END });
      const seen = record(subscription);
      await seen.until((log) => log.includes('caughtUp'));

      await server.dropConnections();
      await seen.until(() => seen.error !== undefined);
      expect(seen.error!.constructor.name).toMatch(/Unavailable|Cancelled/);

      // The client reconnects on the next call.
      const name = stream('after-drop');
      await expect(client.appendToStream(name, events(1))).resolves.toMatchObject({ success: true });
    });
  });
});

async function collect<T>(read: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of read) out.push(item);
  return out;
}

type SubscriptionEvent = ResolvedEvent | AllStreamResolvedEvent;

/** Records what a client subscription emits, in order. */
function record(subscription: NodeJS.EventEmitter) {
  const seen = {
    log: [] as string[],
    streams: [] as (string | undefined)[],
    events: [] as SubscriptionEvent[],
    error: undefined as Error | undefined,
    until: (done: (log: string[]) => boolean, timeoutMs = 5000) => waitFor(() => done(seen.log), timeoutMs),
  };
  const note = (entry: string, streamId?: string) => {
    seen.log.push(entry);
    seen.streams.push(streamId);
  };
  subscription.on('confirmation', () => note('confirmation'));
  subscription.on('caughtUp', () => note('caughtUp'));
  subscription.on('data', (event: SubscriptionEvent) => {
    seen.events.push(event);
    note(`event ${event.event!.revision}`, event.event!.streamId);
  });
  subscription.on('error', (error: Error) => (seen.error = error));
  return seen;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  await eventually(condition, timeoutMs, 10);
}
