import { EventStoreDbEventStore, PostgresEventStore, type EventStore } from '@ledger/event-store';
import type { LedgerConfig, LedgerDatabase } from '@ledger/platform';

/**
 * PostgreSQL by default (the embedded or the configured database);
 * EventStoreDB when `EVENTSTORE_CONNECTION_STRING` is set (the database then
 * holds only the ledger's tables and the read models).
 */
export async function createEventStore(config: LedgerConfig, database: LedgerDatabase): Promise<EventStore> {
  if (config.eventStoreConnectionString) return EventStoreDbEventStore.fromConnectionString(config.eventStoreConnectionString);
  const store = new PostgresEventStore(database.url);
  await store.migrate();
  return store;
}
