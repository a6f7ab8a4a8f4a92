import { Client } from 'pg';
import { createTestDatabase } from '../../../../test/support/test-database';
import { DuplicateEventIdError, RecordedEvent, WrongExpectedRevisionError } from '../event-store.port';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { createPostgresTestStore, PostgresTestStore } from '../testing/postgres-test-store';
import { SubscriptionReader } from '../testing/subscription-reader';
import { testEvent, uniqueName } from '../testing/test-events';
import * as logWriter from './log-writer';
import { PostgresEventStore } from './postgres-event-store';
import { prepareAppend } from './prepare-append';

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

  it('keeps data byte for byte, even strings jsonb would refuse', async () => {
    const streamId = uniqueName('exact');
    const data = { zeta: 1, alpha: 'NUL \u0000 inside', nested: { b: 2, a: 1 } };
    await store.appendToStream(streamId, [testEvent('Exact', data)]);
    const [stored] = await store.readStream(streamId);
    expect(JSON.stringify(stored.data)).toBe(JSON.stringify(data));
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
      await sleep(500);

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
    const listening = new PostgresEventStore(subject.url, { pollIntervalMs: 60_000 });
    const type = uniqueName('Notified');
    const subscription = listening.subscribeToAll({ fromPosition: await store.headPosition(), eventTypes: [type] });
    const reader = new SubscriptionReader(subscription);
    try {
      const firstRead = reader.take(1, undefined, 5_000);
      await subscription.caughtUp();
      await sleep(200); // let the listener connect: only the NOTIFY can wake the reader now
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
