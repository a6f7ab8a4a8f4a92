import {
  AppendResult,
  DuplicateEventIdError,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
  StreamRevision,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { logEntryOf, logLeafHashOf } from '../log-entry';
import { SubscriptionReader } from './subscription-reader';
import { testEvent, testMetadata, uniqueName } from './test-events';

export interface EventStoreUnderTest {
  store: EventStore;
  teardown(): Promise<void>;
}

/**
 * Where adapters may honestly differ. EventStoreDB has no index by event id:
 * its idempotency check looks at the target stream only, so an id stored in
 * another stream is stored again there. The PostgreSQL adapter refuses it.
 */
export interface EventStoreCapabilities {
  rejectsIdsStoredInOtherStreams: boolean;
}

/**
 * The behaviour every EventStore adapter owes the rest of the ledger. The
 * tests share one store and never assume an empty log: each uses streams and
 * event types of its own, so the suite runs as well against a long-lived
 * EventStoreDB as against a fresh PostgreSQL database. Behaviour specific to
 * one adapter (a dropped connection, its SQL schema) belongs in its own spec.
 */
export function describeEventStoreContract(
  name: string,
  factory: () => Promise<EventStoreUnderTest>,
  capabilities: EventStoreCapabilities = { rejectsIdsStoredInOtherStreams: true },
): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: EventStoreUnderTest;
    const store = (): EventStore => subject.store;

    beforeAll(async () => {
      subject = await factory();
    });
    afterAll(async () => {
      await subject?.teardown();
    });

    describeExpectedRevisions(store);
    describeEventIds(store, capabilities);
    describeReadStream(store);
    describeReadAll(store);
    describeEnvelope(store);
    describeSubscriptions(store);
    describeConcurrentWriters(store);
  });
}

type StoreAccess = () => EventStore;

const events = (count: number, type = 'ContractTested'): NewEvent[] =>
  Array.from({ length: count }, (_, index) => testEvent(type, { index }));

/** A new stream holding `count` events. */
async function givenStream(store: EventStore, count: number): Promise<{ streamId: string; result: AppendResult }> {
  const streamId = uniqueName('contract');
  const result = await store.appendToStream(streamId, events(count), { expectedRevision: 'no_stream' });
  return { streamId, result };
}

async function expectWrongRevision(
  append: Promise<unknown>,
  streamId: string,
  expected: ExpectedRevision,
  actual: StreamRevision | 'no_stream',
): Promise<void> {
  const error = await append.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  expect(error).toMatchObject({ name: 'WrongExpectedRevisionError', code: 'WRONG_EXPECTED_REVISION', streamId, expected, actual });
}

function describeExpectedRevisions(store: StoreAccess): void {
  describe('appendToStream: expected revision', () => {
    it('no_stream creates the stream and answers the last revision and position', async () => {
      const streamId = uniqueName('contract');
      const result = await store().appendToStream(streamId, events(2), { expectedRevision: 'no_stream' });
      const stored = await store().readStream(streamId);
      expect(result.nextExpectedRevision).toBe(1n);
      expect(stored.map((event) => event.revision)).toEqual([0n, 1n]);
      expect(result.position).toBe(stored[1].position);
    });

    it('no_stream fails on an existing stream, with its actual revision, and stores nothing', async () => {
      const { streamId } = await givenStream(store(), 2);
      await expectWrongRevision(store().appendToStream(streamId, events(1), { expectedRevision: 'no_stream' }), streamId, 'no_stream', 1n);
      expect(await store().readStream(streamId)).toHaveLength(2);
    });

    it('any appends to a missing stream and to an existing one, and is the default', async () => {
      const streamId = uniqueName('contract');
      await store().appendToStream(streamId, events(1), { expectedRevision: 'any' });
      await store().appendToStream(streamId, events(1), { expectedRevision: 'any' });
      const result = await store().appendToStream(streamId, events(1));
      expect(result.nextExpectedRevision).toBe(2n);
    });

    it('stream_exists appends to an existing stream', async () => {
      const { streamId } = await givenStream(store(), 1);
      const result = await store().appendToStream(streamId, events(1), { expectedRevision: 'stream_exists' });
      expect(result.nextExpectedRevision).toBe(1n);
    });

    it('stream_exists fails on a missing stream with actual no_stream', async () => {
      const streamId = uniqueName('contract');
      await expectWrongRevision(
        store().appendToStream(streamId, events(1), { expectedRevision: 'stream_exists' }),
        streamId,
        'stream_exists',
        'no_stream',
      );
      expect(await store().readStream(streamId)).toEqual([]);
    });

    it('an exact revision appends when it is the last revision', async () => {
      const { streamId } = await givenStream(store(), 2);
      const result = await store().appendToStream(streamId, events(3), { expectedRevision: 1n });
      expect(result.nextExpectedRevision).toBe(4n);
      expect((await store().readStream(streamId)).map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
    });

    it.each([0n, 2n, 7n])('an exact revision %p fails on a stream at revision 1, with the actual revision', async (expected) => {
      const { streamId } = await givenStream(store(), 2);
      await expectWrongRevision(store().appendToStream(streamId, events(1), { expectedRevision: expected }), streamId, expected, 1n);
      expect(await store().readStream(streamId)).toHaveLength(2);
    });

    it('an exact revision fails on a missing stream with actual no_stream', async () => {
      const streamId = uniqueName('contract');
      await expectWrongRevision(store().appendToStream(streamId, events(1), { expectedRevision: 0n }), streamId, 0n, 'no_stream');
    });

    it('a failed append of several events stores none of them', async () => {
      const { streamId } = await givenStream(store(), 1);
      await expect(store().appendToStream(streamId, events(3), { expectedRevision: 5n })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      expect(await store().readStream(streamId)).toHaveLength(1);
    });

    it('positions grow from one append to the next', async () => {
      const first = await givenStream(store(), 1);
      const second = await givenStream(store(), 1);
      expect(second.result.position).toBeGreaterThan(first.result.position);
    });
  });
}

function describeEventIds(store: StoreAccess, capabilities: EventStoreCapabilities): void {
  describe('appendToStream: event ids', () => {
    it('a retry of the same ids to the same stream answers the original result and stores them once, even with a stale revision', async () => {
      const streamId = uniqueName('contract');
      const batch = events(2);
      const original = await store().appendToStream(streamId, batch, { expectedRevision: 'no_stream' });
      await store().appendToStream(streamId, events(1), { expectedRevision: 1n });

      const retried = await store().appendToStream(streamId, batch, { expectedRevision: 'no_stream' });
      const retriedWithAny = await store().appendToStream(streamId, batch);

      expect(retried).toEqual(original);
      expect(retriedWithAny).toEqual(original);
      expect(await store().readStream(streamId)).toHaveLength(3);
    });

    // Declared only by adapters that can honour it (EventStoreCapabilities).
    const itWhenRejected = capabilities.rejectsIdsStoredInOtherStreams ? it : () => undefined;

    itWhenRejected('an id already stored in another stream is refused with DuplicateEventIdError', async () => {
      const { streamId: otherStream } = await givenStream(store(), 1);
      const [stored] = await store().readStream(otherStream);
      const streamId = uniqueName('contract');
      const reused = testEvent('ContractTested', { reused: true }, { id: stored.id });

      const error = await store()
        .appendToStream(streamId, [reused])
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );

      expect(error).toBeInstanceOf(DuplicateEventIdError);
      expect(error).toMatchObject({ code: 'DUPLICATE_EVENT_ID', eventId: stored.id, streamId });
      expect(await store().readStream(streamId)).toEqual([]);
      expect(await store().readStream(otherStream)).toHaveLength(1);
    });

    it('reusing an id in another stream never changes the event first stored with it', async () => {
      const { streamId: otherStream } = await givenStream(store(), 1);
      const [stored] = await store().readStream(otherStream);
      const reused = testEvent('ContractTested', { reused: true }, { id: stored.id });

      await store().appendToStream(uniqueName('contract'), [reused]).catch(() => undefined);

      expect(await store().readStream(otherStream)).toEqual([stored]);
    });
  });
}

function describeReadStream(store: StoreAccess): void {
  describe('readStream', () => {
    let streamId: string;
    const revisions = (read: RecordedEvent[]) => read.map((event) => event.revision);

    beforeAll(async () => {
      ({ streamId } = await givenStream(store(), 5));
    });

    it('reads a missing stream as empty', async () => {
      expect(await store().readStream(uniqueName('missing'))).toEqual([]);
      expect(await store().readStream(uniqueName('missing'), { direction: 'backwards' })).toEqual([]);
    });

    it('reads forwards from revision 0 by default', async () => {
      expect(revisions(await store().readStream(streamId))).toEqual([0n, 1n, 2n, 3n, 4n]);
    });

    it('reads forwards from a revision, inclusive, up to maxCount', async () => {
      expect(revisions(await store().readStream(streamId, { fromRevision: 2n }))).toEqual([2n, 3n, 4n]);
      expect(revisions(await store().readStream(streamId, { fromRevision: 1n, maxCount: 2 }))).toEqual([1n, 2n]);
      expect(await store().readStream(streamId, { fromRevision: 5n })).toEqual([]);
    });

    it('reads backwards from the end by default, or from a revision, inclusive, up to maxCount', async () => {
      expect(revisions(await store().readStream(streamId, { direction: 'backwards' }))).toEqual([4n, 3n, 2n, 1n, 0n]);
      expect(revisions(await store().readStream(streamId, { direction: 'backwards', fromRevision: 2n }))).toEqual([2n, 1n, 0n]);
      expect(revisions(await store().readStream(streamId, { direction: 'backwards', maxCount: 2 }))).toEqual([4n, 3n]);
    });

    it('reads several streams at once, each exactly as readStream reads it, a missing one as empty', async () => {
      const other = await givenStream(store(), 3);
      const missing = uniqueName('missing');
      const read = await store().readStreams([other.streamId, missing, streamId, other.streamId]);
      expect([...read.keys()].sort()).toEqual([other.streamId, missing, streamId].sort());
      expect(read.get(streamId)).toEqual(await store().readStream(streamId));
      expect(read.get(other.streamId)).toEqual(await store().readStream(other.streamId));
      expect(read.get(missing)).toEqual([]);
      expect((await store().readStreams([])).size).toBe(0);
    });
  });
}

function describeReadAll(store: StoreAccess): void {
  describe('readAll', () => {
    it('reads every stream in global order, from a position inclusive', async () => {
      const type = uniqueName('Ordered');
      const streams = [uniqueName('contract'), uniqueName('contract'), uniqueName('contract')];
      const written: NewEvent[] = [];
      for (const streamId of [...streams, ...streams]) {
        const event = testEvent(type, { streamId });
        await store().appendToStream(streamId, [event]);
        written.push(event);
      }
      const [first] = await store().readStream(streams[0]);

      const read = (await store().readAll({ fromPosition: first.position })).filter((event) => event.type === type);

      expect(read.map((event) => event.id)).toEqual(written.map((event) => event.id));
      expect(read[0].position).toBe(first.position);
      expectIncreasingPositions(read);
    });

    it('reads forwards and backwards from a position, inclusive, up to maxCount', async () => {
      const { streamId } = await givenStream(store(), 3);
      const [, middle, last] = await store().readStream(streamId);

      const forwards = await store().readAll({ fromPosition: middle.position, maxCount: 2 });
      const backwards = await store().readAll({ fromPosition: middle.position, maxCount: 2, direction: 'backwards' });

      expect(forwards).toHaveLength(2);
      expect(forwards[0]).toEqual(middle);
      expect(forwards[1].position).toBeGreaterThan(middle.position);
      expect(backwards).toHaveLength(2);
      expect(backwards[0]).toEqual(middle);
      expect(backwards[1].position).toBeLessThan(middle.position);
      expect(await store().readAll({ fromPosition: last.position, maxCount: 1 })).toEqual([last]);
    });

    it('continues after a position, exclusive, without assuming positions are dense', async () => {
      const { streamId } = await givenStream(store(), 3);
      const [first, second, third] = await store().readStream(streamId);

      const next = (await store().readAll({ afterPosition: first.position, maxCount: 10 })).filter((e) => e.streamId === streamId);

      expect(next).toEqual([second, third]);
      expect(await store().readAll({ afterPosition: third.position, maxCount: 10 })).not.toContainEqual(third);
    });

    it('headPosition is at or after the last append', async () => {
      const { result } = await givenStream(store(), 2);
      expect(await store().headPosition()).toBeGreaterThanOrEqual(result.position);
    });
  });
}

function describeEnvelope(store: StoreAccess): void {
  describe('the event envelope', () => {
    it('round-trips every field through readStream and readAll', async () => {
      const streamId = uniqueName('contract');
      const metadata = testMetadata({
        actor: { id: 'evaluator-42', role: 'evaluator', organizationId: 'centro-evaluacion-9' },
        schemaVersion: 3,
      });
      const event = testEvent('EvaluationRecorded', { result: 'competent' }, { metadata });
      const result = await store().appendToStream(streamId, [event]);

      const expected: RecordedEvent = { ...event, streamId, revision: 0n, position: result.position };
      expect(await store().readStream(streamId)).toEqual([expected]);
      expect(await store().readAll({ fromPosition: result.position, maxCount: 1 })).toEqual([expected]);
    });

    it('round-trips JSON data with unicode, nesting and every JSON type', async () => {
      const data = {
        fullName: 'María José Peña Núñez',
        workCentre: 'Coordinación de Administración — Oaxaca',
        notes: 'ÁÉÍÓÚ áéíóú Üü Ññ ¿¡ « » € 漢字 🎓',
        escapes: 'quotes " and \\ backslash, tab\t, newline\n',
        numbers: [0, -1, 3.25, 1e21, Number.MAX_SAFE_INTEGER],
        flags: { competent: true, revoked: false, reason: null },
        nested: [{ unit: 'U0001', elements: ['E0001', 'E0002'] }, []],
        empty: '',
      };
      const streamId = uniqueName('contract');
      await store().appendToStream(streamId, [testEvent('PersonRegistered', data)]);

      const [stored] = await store().readStream(streamId);
      expect(stored.data).toEqual(data);
    });

    it('gives each event the same log entry and leaf hash as the events appended, so both stores build the same tree', async () => {
      // Keys out of order, escapes and unicode: the entry is the JCS form whatever the store's JSON looks like.
      const events = [
        testEvent('CandidateEnrolled', { z: 1, agency: 'Tesorería — Tijuana 🎓', a: { y: [3.25, 1e21, null], b: 'tab\t"quote"' } }),
        testEvent('EvaluationRecorded', { result: 'competent', hours: 0.1 + 0.2 }),
        testEvent('CertificateIssued', { folio: 'Q0R4-J7MZ-V2XD-4', empty: {} }),
      ];
      const streamId = uniqueName('contract');
      await store().appendToStream(streamId, events);
      const stored = await store().readStream(streamId);
      const expected = events.map((event, revision) =>
        canonicalize({ id: event.id, type: event.type, streamId, revision, data: event.data, metadata: event.metadata }),
      );
      expect(stored.map((event) => logEntryOf(event).toString('utf8'))).toEqual(expected);
      const leaves = expected.map((entry) => createHash('sha256').update(Buffer.from([0])).update(entry, 'utf8').digest('hex'));
      expect(stored.map((event) => logLeafHashOf(event).toString('hex'))).toEqual(leaves);
      const [fromAll] = await store().readAll({ fromPosition: stored[0].position, maxCount: 1 });
      expect(logEntryOf(fromAll)).toEqual(logEntryOf(stored[0]));
    });
  });
}

function describeSubscriptions(store: StoreAccess): void {
  describe('subscribeToAll', () => {
    it('catches up from a position, exclusive, then delivers live appends', async () => {
      const { streamId } = await givenStream(store(), 3);
      const [first, second, third] = await store().readStream(streamId);
      const subscription = store().subscribeToAll({ fromPosition: first.position });
      const reader = new SubscriptionReader(subscription);
      const ours = (event: RecordedEvent) => event.streamId === streamId;
      try {
        expect(await reader.take(2, ours)).toEqual([second, third]);
        await subscription.caughtUp();

        await store().appendToStream(streamId, events(2), { expectedRevision: 2n });
        const live = await reader.take(2, ours);

        expect(live.map((event) => event.revision)).toEqual([3n, 4n]);
        expect(live[0].position).toBeGreaterThan(third.position);
      } finally {
        await subscription.close();
      }
    });

    it('starts at the beginning of the log when given no position', async () => {
      const type = uniqueName('FromStart');
      const streamId = uniqueName('contract');
      await store().appendToStream(streamId, events(2, type));
      const subscription = store().subscribeToAll({ eventTypes: [type] });
      try {
        const delivered = await new SubscriptionReader(subscription).take(2);
        expect(delivered.map((event) => event.revision)).toEqual([0n, 1n]);
      } finally {
        await subscription.close();
      }
    });

    it('delivers only the event types asked for, in catch-up and live', async () => {
      const [wanted, unwanted, alsoWanted] = [uniqueName('Wanted'), uniqueName('Unwanted'), uniqueName('AlsoWanted')];
      const streamId = uniqueName('contract');
      const from = await store().appendToStream(streamId, [testEvent(unwanted, {})]);
      await store().appendToStream(streamId, [testEvent(wanted, { n: 1 }), testEvent(unwanted, {}), testEvent(alsoWanted, { n: 2 })]);
      const subscription = store().subscribeToAll({ fromPosition: from.position, eventTypes: [wanted, alsoWanted] });
      const reader = new SubscriptionReader(subscription);
      try {
        const caughtUp = await reader.take(2);
        await store().appendToStream(streamId, [testEvent(unwanted, {}), testEvent(alsoWanted, { n: 3 })]);
        const live = await reader.take(1);

        expect([...caughtUp, ...live].map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      } finally {
        await subscription.close();
      }
    });

    it('caughtUp() resolves when nothing follows the starting position', async () => {
      await givenStream(store(), 1);
      const subscription = store().subscribeToAll({ fromPosition: await store().headPosition() });
      const iteration = drain(subscription);
      try {
        await expect(subscription.caughtUp()).resolves.toBeUndefined();
      } finally {
        await subscription.close();
        await iteration;
      }
    });

    it('close() ends an iteration that is waiting for live events', async () => {
      const subscription = store().subscribeToAll({ fromPosition: await store().headPosition(), eventTypes: [uniqueName('Never')] });
      const iteration = drain(subscription);
      await subscription.caughtUp();

      await subscription.close();

      await expect(iteration).resolves.toBeUndefined();
    });
  });
}

/** Iterates a subscription to its end, discarding events. */
async function drain(subscription: AsyncIterable<RecordedEvent>): Promise<void> {
  for await (const _event of subscription) {
    // only the end of the iteration matters here
  }
}

const WRITERS = 40;
/** Each writer's appends, by number of events: single and multi-event appends interleave. */
const APPEND_SIZES = [1, 2, 1, 2, 1, 2];
/** Writers that share one stream (with expectedRevision any) rather than owning one. */
const SHARED_STREAM_WRITERS = 8;

function describeConcurrentWriters(store: StoreAccess): void {
  describe(`subscribeToAll with ${WRITERS} concurrent writers`, () => {
    it('delivers every event exactly once, in position order, to subscribers started before and during the writes', async () => {
      const type = uniqueName('Concurrent');
      const sharedStream = uniqueName('shared');
      const total = WRITERS * APPEND_SIZES.reduce((sum, size) => sum + size);
      const from = await store().headPosition();
      const early = new SubscriptionReader(store().subscribeToAll({ fromPosition: from, eventTypes: [type] }));
      const earlyDelivery = early.take(total, undefined, 30_000);

      const writing = Array.from({ length: WRITERS }, (_, writer) =>
        writer < SHARED_STREAM_WRITERS
          ? writeConcurrently(store(), type, sharedStream, 'shared')
          : writeConcurrently(store(), type, uniqueName('writer'), 'owned'),
      );
      await Promise.race(writing);
      const late = new SubscriptionReader(store().subscribeToAll({ fromPosition: from, eventTypes: [type] }));
      const lateDelivery = late.take(total, undefined, 30_000);

      try {
        const written = (await Promise.all(writing)).flat().map((event) => event.id);
        const deliveries = [await earlyDelivery, await lateDelivery];
        for (const delivered of deliveries) {
          expect(delivered.map((event) => event.id).sort()).toEqual([...written].sort());
          expectIncreasingPositions(delivered);
          expectConsecutiveRevisionsPerStream(delivered);
        }
        const log = await store().readAll({ fromPosition: deliveries[0][0].position });
        const logged = log.filter((event) => event.type === type).map((event) => event.id);
        expect(deliveries[0].map((event) => event.id)).toEqual(logged);
      } finally {
        await early.subscription.close();
        await late.subscription.close();
      }
    }, 60_000);
  });
}

/** One writer: appends of one and two events; on a stream of its own it checks the exact revision each time. */
async function writeConcurrently(store: EventStore, type: string, streamId: string, stream: 'owned' | 'shared'): Promise<NewEvent[]> {
  const written: NewEvent[] = [];
  let expectedRevision: ExpectedRevision = stream === 'owned' ? 'no_stream' : 'any';
  for (const size of APPEND_SIZES) {
    const batch = events(size, type);
    const result = await store.appendToStream(streamId, batch, { expectedRevision });
    if (stream === 'owned') expectedRevision = result.nextExpectedRevision;
    written.push(...batch);
  }
  return written;
}

/** Strictly increasing, hence also free of repeats. */
function expectIncreasingPositions(read: readonly RecordedEvent[]): void {
  const positions = read.map((event) => event.position);
  const ordered = [...new Set(positions)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  expect(positions).toEqual(ordered);
}

/** Each stream's events arrive as revisions 0, 1, 2, ... (every stream here is new). */
function expectConsecutiveRevisionsPerStream(read: readonly RecordedEvent[]): void {
  const revisionsByStream = new Map<string, bigint[]>();
  for (const event of read) revisionsByStream.set(event.streamId, [...(revisionsByStream.get(event.streamId) ?? []), event.revision]);
  for (const revisions of revisionsByStream.values()) {
    expect(revisions).toEqual(revisions.map((_, index) => BigInt(index)));
  }
}
