import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { EventStoreDbEventStore, PostgresEventStore, type EventStore } from '@ledger/event-store';
import { guardedPool, type LedgerConfig, type LedgerDatabase } from '@ledger/platform';

/** Connections for appends (group-committed), stream reads and subscriptions. */
const EVENT_STORE_POOL_SIZE = 10;

/** The store closes with the app; the pool is ours so that its errors are handled (and it ends after the store). */
class OwnPoolPostgresEventStore extends PostgresEventStore {
  constructor(private readonly ownPool: Pool) {
    super(ownPool);
  }

  override async close(): Promise<void> {
    await super.close();
    await this.ownPool.end();
  }
}

/**
 * PostgreSQL by default (the embedded or the configured database);
 * EventStoreDB when `EVENTSTORE_CONNECTION_STRING` is set (the database then
 * holds only the ledger's tables and the read models).
 */
export async function createEventStore(config: LedgerConfig, database: LedgerDatabase): Promise<EventStore> {
  if (config.eventStoreConnectionString) return EventStoreDbEventStore.fromConnectionString(config.eventStoreConnectionString);
  // A connection dropped (database restart, crash, shutdown) must not crash the process.
  const pool = guardedPool({ connectionString: database.url, max: EVENT_STORE_POOL_SIZE, application_name: 'ledger-event-store' }, (error) =>
    new Logger('EventStore').warn(`PostgreSQL connection failed: ${error.message}`),
  );
  const store = new OwnPoolPostgresEventStore(pool);
  await store.migrate();
  return store;
}
