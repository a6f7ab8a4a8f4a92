import { PostgresEventStore, PostgresEventStoreOptions } from '../postgres/postgres-event-store';
import { createTestDatabase } from '@ledger/platform/testing';

export interface PostgresTestStore {
  store: PostgresEventStore;
  /** The suite's own database, for a second store or a raw connection. */
  url: string;
  teardown(): Promise<void>;
}

/**
 * A migrated PostgresEventStore on a database of its own, on the test run's
 * PostgreSQL server (started once by Jest's global setup). teardown() closes
 * the store and drops the database.
 */
export async function createPostgresTestStore(options: PostgresEventStoreOptions = {}): Promise<PostgresTestStore> {
  const database = await createTestDatabase('event_store');
  const store = new PostgresEventStore(database.url, options);
  await store.migrate();
  return {
    store,
    url: database.url,
    teardown: async () => {
      await store.close();
      await database.drop();
    },
  };
}
