import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Client } from 'pg';
import { DuplicateEventIdError, EventMetadata, RecordedEvent, WrongExpectedRevisionError } from '../event-store.port';
import { canonicalJson, logEntryOf, logLeafHashOf, writeStoredLeafHash } from '../log-entry';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { createPostgresTestStore, PostgresTestStore } from '../testing/postgres-test-store';
import { SubscriptionReader } from '../testing/subscription-reader';
import { testEvent, uniqueName } from '../testing/test-events';
import * as logWriter from './log-writer';
import { PostgresEventStore } from './postgres-event-store';
import { prepareAppend } from './prepare-append';
import { createTestDatabase, eventually } from '@ledger/platform/testing';

describeEventStoreContract('PostgreSQL', () => createPostgresTestStore());

describe('PostgresEventStore', () => {
  let subject: PostgresTestStore;
  let store: PostgresEventStore;
  let sql: Client;

  beforeAll(async () => {
    subject = await createPostgresTestStore();
    store = subject.store;
    sql = new Client({ connectionString: subject.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await subject?.teardown();
  });

  /** Sessions of this suite's database (the listener's, the writers') matching a pg_stat_activity condition. */
  async function sessions(condition: string): Promise<number> {
    const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND ${condition}`);
    return rows[0].n;
  }

  it('numbers positions from 0 without gaps, and reads an empty log as head -1', async () => {
    expect(await store.headPosition()).toBe(-1n);
    await store.appendToStream(uniqueName('first'), [testEvent('Numbered', {}), testEvent('Numbered', {})]);
    await store.appendToStream(uniqueName('second'), [testEvent('Numbered', {})]);
    expect((await store.readAll()).map((event) => event.position)).toEqual([0n, 1n, 2n]);
    expect(await store.headPosition()).toBe(2n);
  });

  it('writes appends issued together in one transaction, each with its own outcome', async () => {
    const { streamId, result } = await givenStream(store, 1);
    const [stored] = await store.readStream(streamId);
    const fresh = [testEvent('Grouped', {}), testEvent('Grouped', {})];

    const outcomes = await Promise.allSettled([
      store.appendToStream(uniqueName('grouped'), [fresh[0]], { expectedRevision: 'no_stream' }),
      store.appendToStream(streamId, [testEvent('Grouped', {})], { expectedRevision: 5n }),
      store.appendToStream(uniqueName('grouped'), [testEvent('Grouped', {}, { id: stored.id })]),
      store.appendToStream(streamId, [stored], { expectedRevision: 'no_stream' }),
      store.appendToStream(streamId, [fresh[1]], { expectedRevision: 0n }),
      store.appendToStream(streamId, [fresh[1]], { expectedRevision: 0n }),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(reason(outcomes[1])).toBeInstanceOf(WrongExpectedRevisionError);
    expect(reason(outcomes[2])).toBeInstanceOf(DuplicateEventIdError);
    expect(value(outcomes[3])).toEqual(result);
    expect(value(outcomes[4])).toEqual({ nextExpectedRevision: 1n, position: value(outcomes[0]).position + 1n });
    expect(value(outcomes[5])).toEqual(value(outcomes[4]));
    expect(await store.readStream(streamId)).toHaveLength(2);
    expect(await transactionsHolding(fresh.map((event) => event.id))).toBe(1);
  });

  it('fails only the append that PostgreSQL refuses when its transaction is shared', async () => {
    const outcomes = await Promise.allSettled([
      store.appendToStream(uniqueName('ok'), [testEvent('Grouped', {})]),
      store.appendToStream('text cannot hold \u0000', [testEvent('Grouped', {})]),
      store.appendToStream(uniqueName('ok'), [testEvent('Grouped', {})]),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('stores data and metadata as their RFC 8785 text, kept as written, even strings jsonb would refuse', async () => {
    const streamId = uniqueName('exact');
    const data = { zeta: 1, alpha: 'NUL \u0000 inside', nested: { b: 2, a: 1 }, numbers: [1e21, -0, 0.1 + 0.2], 'é': 'Ñandú 🎓' };
    const event = testEvent('Exact', data);
    await store.appendToStream(streamId, [event]);
    const { rows } = await sql.query<{ data: string; metadata: string }>('SELECT data::text AS data, metadata::text AS metadata FROM event_store.events WHERE id = $1', [event.id]);
    expect(rows[0]).toEqual({ data: canonicalJson(data), metadata: canonicalJson(event.metadata) });
    expect(rows[0].data).toBe('{"alpha":"NUL \\u0000 inside","nested":{"a":1,"b":2},"numbers":[1e+21,0,0.30000000000000004],"zeta":1,"é":"Ñandú 🎓"}');
    const [stored] = await store.readStream(streamId);
    expect(stored.data).toEqual(JSON.parse(JSON.stringify(data)));
  });

  describe('readAllStoredEntries', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1 }),
      fc.constantFrom('"', '\\', '\t', '\n', '\u0001', '\u001f', '\u007f', '\u2028', '</script>', '🎓', 'Ñandú Pérez', '\u00e9'),
    );
    // PostgreSQL text holds no U+0000 (a JSON string in data may: it is escaped).
    const streamText = anyText.filter((text) => text.length > 0 && !text.includes('\u0000'));
    const json = fc.oneof(fc.jsonValue({ stringUnit: 'grapheme' }), fc.jsonValue({ stringUnit: 'grapheme-composite' }), fc.jsonValue());
    const metadata = fc.record({
      actor: fc.record({ id: anyText, role: fc.constantFrom('registrar', 'evaluator', 'system'), organizationId: anyText }),
      commandId: fc.uuid(),
      correlationId: fc.uuid(),
      causationId: fc.uuid(),
      occurredAt: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      recordedAt: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      schemaVersion: fc.integer({ min: 0, max: 1_000 }),
      extra: fc.option(json, { nil: undefined }),
    }) as fc.Arbitrary<EventMetadata>;
    const appendArb = fc.record({
      streamId: streamText,
      events: fc.array(fc.record({ id: fc.uuid(), type: streamText, data: json, metadata }), { minLength: 1, maxLength: 12 }),
    });

    it('gives, for events this store wrote, the entry and leaf hash logEntryOf gives for the events readAll gives', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(appendArb, { minLength: 1, maxLength: 4 }), async (appends) => {
          const from = await store.headPosition();
          // Unique stream names (a stream may recur in a run, or across runs) and ids.
          for (const { streamId, events } of appends) {
            await store.appendToStream(`${streamId}-${uniqueName('p')}`, events.map((event) => ({ ...event, id: randomUUID() })));
          }
          const events = await store.readAll({ afterPosition: from });
          const rows = await store.readAllStoredEntries(from, 1_000);
          expect(rows.map((row) => row.entry)).toEqual(events.map((event) => logEntryOf(event).toString('utf8')));
          expect(rows.map((row) => row.position)).toEqual(events.map((event) => String(event.position)));
          expect(rows.map((row) => store.storedEntryToRecordedEvent(row))).toEqual(events);
          const leaf = Buffer.alloc(32);
          for (const [index, row] of rows.entries()) {
            writeStoredLeafHash(row.entry, leaf, 0);
            expect(leaf).toEqual(logLeafHashOf(events[index]));
          }
        }),
        { numRuns: 150 },
      );
    });

    it('gives, for rows stored otherwise (an older adapter, by hand), other bytes, and readAll\'s event through storedEntryToRecordedEvent', async () => {
      const from = await store.headPosition();
      await store.appendToStream(uniqueName('text'), [testEvent('Texted', { b: [1, { d: null, c: 'tab\t"q"' }], a: 'ü' }), testEvent('$system', {})]);
      // A row as an older adapter wrote it (JSON.stringify: key order as given), one with spaces and escapes JCS does not use.
      const head = await store.headPosition();
      const older = [testEvent('Older', { z: 1, a: 2 }), testEvent('Spaced "quoted" \\', { y: true, n: 'Ñ' })];
      await sql.query(
        `INSERT INTO event_store.events (position, id, stream_id, revision, type, data, metadata)
         VALUES ($1, $2, $3, 0, $4, $5, $6), ($7, $8, $9, 0, $10, $11, $12)`,
        [
          head + 1n, older[0].id, uniqueName('older'), older[0].type, JSON.stringify(older[0].data), JSON.stringify(older[0].metadata),
          head + 2n, older[1].id, uniqueName('spaced\n'), older[1].type, ' {"y" : true,\n "n": "\\u00d1"} ', JSON.stringify(older[1].metadata, null, 2),
        ],
      );
      const events = await store.readAll({ afterPosition: from });
      const rows = [...(await store.readAllStoredEntries(from, 3)), ...(await store.readAllStoredEntries(from + 3n, 100))];
      expect(rows.map((row) => row.position)).toEqual(events.map((event) => event.position.toString()));
      expect(rows.map((row) => store.storedEntryToRecordedEvent(row))).toEqual(events);
      expect(rows.map((row) => row.entry === logEntryOf(events[rows.indexOf(row)]).toString('utf8'))).toEqual([true, true, false, false]);
      expect(await store.readAllStoredEntries(head + 2n, 10)).toEqual([]);
      // In the order of positions as numbers, not as text ("10" < "9"), from the start of the log too.
      const all = await store.readAllStoredEntries(undefined, 100_000);
      expect(all.map((row) => BigInt(row.position))).toEqual(Array.from({ length: all.length }, (_, index) => BigInt(index)));
      expect(all.length).toBeGreaterThan(10);
    });
  });

  it('append_decided inserts nothing when the state the rows were decided on has changed', async () => {
    const { streamId } = await givenStream(store, 2);
    const event = testEvent('Stale', {});
    const { rows } = await sql.query(
      `SELECT event_store.append_decided($1, $2, $3, $4, $5, $6, $7, $8) AS head`,
      [[streamId], [0], [event.id], [streamId], [1], [event.type], [JSON.stringify(event.data)], [JSON.stringify(event.metadata)]],
    );
    expect(rows[0].head).toBeNull();
    expect(await store.readStream(streamId)).toHaveLength(2);
  });

  it('appends under the lock when the state read without it went stale', async () => {
    const { streamId } = await givenStream(store, 1);
    const stale = jest.spyOn(logWriter, 'appendOptimistically').mockResolvedValueOnce(null);
    try {
      const result = await store.appendToStream(streamId, [testEvent('Retried', {})], { expectedRevision: 0n });
      expect(result.nextExpectedRevision).toBe(1n);
      expect(stale).toHaveBeenCalledTimes(1);
      expect(await store.readStream(streamId)).toHaveLength(2);
    } finally {
      stale.mockRestore();
    }
  });

  it('never lets a subscriber pass a position whose transaction has not committed', async () => {
    const type = uniqueName('Gap');
    const subscription = store.subscribeToAll({ fromPosition: await store.headPosition(), eventTypes: [type] });
    const delivered: RecordedEvent[] = [];
    const consuming = consume(subscription, delivered, 4);
    const slowWriter = new Client({ connectionString: subject.url });
    await slowWriter.connect();
    try {
      // A writer in another session takes the next position and stalls before committing.
      await slowWriter.query('BEGIN');
      const held = await logWriter.writeAppends(slowWriter, [prepareAppend(uniqueName('slow'), [testEvent(type, { n: 0 })], 'any')]);
      let laterSettled = false;
      const later = [1, 2, 3].map((n) => store.appendToStream(uniqueName('fast'), [testEvent(type, { n })], { expectedRevision: 'no_stream' }));
      void Promise.allSettled(later).then(() => (laterSettled = true));
      // The later appends are queued behind the stalled writer: a session of this database waits on a lock.
      await eventually(async () => (await sessions(`wait_event_type = 'Lock'`)) > 0, 20_000, 20, 'an append waiting on the stalled writer');

      expect(laterSettled).toBe(false);
      expect(delivered).toEqual([]);
      await slowWriter.query('COMMIT');
      await Promise.all(later);
      await consuming;

      expect(delivered.map((event) => event.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }]);
      expect(delivered[0].position).toBe(held.head + 1n);
    } finally {
      await slowWriter.end();
      await subscription.close();
    }
  });

  it('keeps one gapless order when several store instances (processes) write at once, also to one stream', async () => {
    const type = uniqueName('CrossProcess');
    const sharedStream = uniqueName('shared');
    const instances = [0, 1, 2].map(() => new PostgresEventStore(subject.url, { poolSize: 4 }));
    const from = await store.headPosition();
    const reader = new SubscriptionReader(store.subscribeToAll({ fromPosition: from, eventTypes: [type] }));
    const writersPerInstance = 20;
    const appendsPerWriter = 3;
    const total = instances.length * writersPerInstance * appendsPerWriter;
    const delivery = reader.take(total, undefined, 30_000);
    // Half the writers race for one stream: their batches meet changed state and retry under the lock.
    const writeOnce = (instance: PostgresEventStore, writer: number) =>
      writer % 2 === 0
        ? instance.appendToStream(uniqueName('process'), [testEvent(type, {})], { expectedRevision: 'no_stream' })
        : instance.appendToStream(sharedStream, [testEvent(type, {})], { expectedRevision: 'any' });
    try {
      await Promise.all(
        instances.flatMap((instance) =>
          Array.from({ length: writersPerInstance }, async (_, writer) => {
            for (let append = 0; append < appendsPerWriter; append++) await writeOnce(instance, writer);
          }),
        ),
      );
      const positions = (await delivery).map((event) => event.position);
      const shared = await store.readStream(sharedStream);
      expect(positions).toEqual(Array.from({ length: total }, (_, index) => from + 1n + BigInt(index)));
      expect(shared.map((event) => event.revision)).toEqual(Array.from({ length: total / 2 }, (_, index) => BigInt(index)));
    } finally {
      await reader.subscription.close();
      await Promise.all(instances.map((instance) => instance.close()));
    }
  });

  it('wakes a subscriber in another process by NOTIFY, long before its polling interval', async () => {
    const listeners = await sessions(`query ILIKE 'LISTEN %'`);
    const listening = new PostgresEventStore(subject.url, { pollIntervalMs: 60_000 });
    const type = uniqueName('Notified');
    const subscription = listening.subscribeToAll({ fromPosition: await store.headPosition(), eventTypes: [type] });
    const reader = new SubscriptionReader(subscription);
    try {
      const firstRead = reader.take(1, undefined, 5_000);
      await subscription.caughtUp();
      // The listener's session has run LISTEN: from here only the NOTIFY can wake the reader.
      await eventually(async () => (await sessions(`query ILIKE 'LISTEN %'`)) > listeners, 20_000, 20, 'the new store’s listener to be listening');
      await store.appendToStream(uniqueName('notified'), [testEvent(type, {})]);
      await expect(firstRead).resolves.toHaveLength(1);
    } finally {
      await subscription.close();
      await listening.close();
    }
  });

  it('leaves system events ($-prefixed types) out of a subscription without a type list', async () => {
    const streamId = uniqueName('system');
    const from = await store.appendToStream(streamId, [testEvent('BeforeSystem', {})]);
    await store.appendToStream(streamId, [testEvent('$metadata', {}), testEvent('AfterSystem', {})]);
    const subscription = store.subscribeToAll({ fromPosition: from.position });
    try {
      const [next] = await new SubscriptionReader(subscription).take(1, (event) => event.streamId === streamId);
      expect(next.type).toBe('AfterSystem');
    } finally {
      await subscription.close();
    }
  });

  it('refuses to change or delete stored events', async () => {
    await givenStream(store, 1);
    await expect(sql.query(`UPDATE event_store.events SET type = 'Edited'`)).rejects.toThrow(/append-only/);
    await expect(sql.query('DELETE FROM event_store.events')).rejects.toThrow(/append-only/);
  });

  it('rejects malformed appends before they reach a shared transaction', async () => {
    await expect(store.appendToStream('s', [testEvent('T', {}, { id: 'not-a-uuid' })])).rejects.toThrow(TypeError);
    await expect(store.appendToStream('s', [])).rejects.toThrow(RangeError);
    const event = testEvent('T', {});
    await expect(store.appendToStream('s', [event, event])).rejects.toBeInstanceOf(DuplicateEventIdError);
  });

  async function transactionsHolding(eventIds: string[]): Promise<number> {
    const { rows } = await sql.query('SELECT count(DISTINCT xmin::text)::int AS n FROM event_store.events WHERE id = ANY($1::uuid[])', [
      eventIds,
    ]);
    return rows[0].n;
  }
});

describe('PostgresEventStore.migrate', () => {
  it('is idempotent and safe when several processes start at once, and creates logged tables', async () => {
    const database = await createTestDatabase('event_store_migrate');
    const stores = [0, 1, 2, 3].map(() => new PostgresEventStore(database.url, { poolSize: 2 }));
    const sql = new Client({ connectionString: database.url });
    try {
      await Promise.all(stores.map((store) => store.migrate()));
      await stores[0].migrate();
      await sql.connect();
      const migrations = await sql.query('SELECT version FROM event_store.migrations ORDER BY version');
      const unlogged = await sql.query(`
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'event_store' AND c.relpersistence <> 'p'`);
      expect(migrations.rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
      expect(unlogged.rows).toEqual([]);
    } finally {
      await sql.end();
      await Promise.all(stores.map((store) => store.close()));
      await database.drop();
    }
  });
});

async function givenStream(store: PostgresEventStore, count: number) {
  const streamId = uniqueName('pg');
  const events = Array.from({ length: count }, () => testEvent('Given', {}));
  return { streamId, result: await store.appendToStream(streamId, events, { expectedRevision: 'no_stream' }) };
}

/** Collects `count` events into `into` as they arrive, so a test can look at what was delivered so far. */
async function consume(subscription: AsyncIterable<RecordedEvent>, into: RecordedEvent[], count: number): Promise<void> {
  for await (const event of subscription) {
    into.push(event);
    if (into.length === count) return;
  }
}

function reason(outcome: PromiseSettledResult<unknown>): unknown {
  return outcome.status === 'rejected' ? outcome.reason : undefined;
}

function value<T>(outcome: PromiseSettledResult<T>): T {
  if (outcome.status !== 'fulfilled') throw outcome.reason;
  return outcome.value;
}

