import * as eventStoreLibrary from '@ledger/event-store';
import type { EventStore } from '@ledger/event-store';
import type { LedgerConfig, LedgerDatabase } from '@ledger/platform';

/**
 * PostgreSQL by default (the embedded or the configured database);
 * EventStoreDB when `EVENTSTORE_CONNECTION_STRING` is set.
 */
export async function createEventStore(config: LedgerConfig, database: LedgerDatabase): Promise<EventStore> {
  if (config.eventStoreConnectionString) return createEventStoreDbStore(config.eventStoreConnectionString);
  const store = new eventStoreLibrary.PostgresEventStore(database.url);
  await store.migrate();
  return store;
}

type EventStoreDbConstructor = new (connectionString: string) => EventStore;

/**
 * The EventStoreDB adapter lands later in libs/event-store; it is looked up
 * by its export name so this module compiles before it exists, and a
 * configuration that asks for it fails at start with a clear message.
 */
function createEventStoreDbStore(connectionString: string): EventStore {
  const adapter = (eventStoreLibrary as Record<string, unknown>).EventStoreDbEventStore as EventStoreDbConstructor | undefined;
  if (typeof adapter !== 'function') {
    throw new Error('EVENTSTORE_CONNECTION_STRING is set, but this build has no EventStoreDB adapter yet');
  }
  return new adapter(connectionString);
}
