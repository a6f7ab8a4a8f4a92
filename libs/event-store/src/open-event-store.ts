import type { Pool } from 'pg';
import { guardedPool, type LedgerConfig } from '@ledger/platform';
import type { EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

/** Connections for appends (group-committed), stream reads and subscriptions. */
const EVENT_STORE_POOL_SIZE = 10;

/** The store closes with its process; the pool is its own so that its errors are handled (and it ends after the store). */
class OwnPoolPostgresEventStore extends PostgresEventStore {
  constructor(private readonly ownPool: Pool) {
    super(ownPool);
  }

  override async close(): Promise<void> {
    await super.close();
    await this.ownPool.end();
  }
}

export interface OpenEventStoreOptions {
  /** Told of a PostgreSQL connection that failed (a restart, a crash): the process goes on, the next query reconnects. */
  readonly onConnectionError?: (error: Error) => void;
}

/**
 * The event store a ledger process (server, projector, CLI) works on:
 * PostgreSQL by default (the embedded or the configured database, migrated
 * here); EventStoreDB when `EVENTSTORE_CONNECTION_STRING` is set (the
 * database then holds only the ledger's tables and the read models).
 */
export async function openEventStore(
  config: Pick<LedgerConfig, 'eventStoreConnectionString'>,
  databaseUrl: string,
  options: OpenEventStoreOptions = {},
): Promise<EventStore> {
  if (config.eventStoreConnectionString) return EventStoreDbEventStore.fromConnectionString(config.eventStoreConnectionString);
  const warn = options.onConnectionError ?? ((error: Error) => process.stderr.write(`EventStore: PostgreSQL connection failed: ${error.message}\n`));
  const pool = guardedPool({ connectionString: databaseUrl, max: EVENT_STORE_POOL_SIZE, application_name: 'ledger-event-store' }, warn);
  const store = new OwnPoolPostgresEventStore(pool);
  await store.migrate();
  return store;
}
