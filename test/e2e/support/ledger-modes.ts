import { EventStoreDbEventStore, PostgresEventStore, type EventStore } from '@ledger/event-store';
import { openLedgerDatabase } from '@ledger/platform';
import { createTestDatabase } from '../../support/test-database';
import { LedgerServer, startLedgerServer, type StartOptions } from './ledger-server';
import { startEventStoreDbTestServer, type EventStoreDbTestServer } from '@ledger/event-store/testing';

/**
 * How often the EventStoreDB test server writes a `$statsCollected` event of
 * its own. A real node does so every 30 s; much more often here, so that
 * system events land between the ledger's own during every test and the
 * checks of "nothing was written" (the head of the log, through the
 * adapter's headPosition, which skips system events) are held to that.
 */
const ESDB_STATS_INTERVAL_MS = 50;

/** One running ledger, in one mode, with the event store it writes to. */
export interface LedgerUnderTest {
  readonly server: LedgerServer;
  /** The store the ledger appends to, opened by the test to read back what it wrote. */
  readonly store: EventStore;
  /** Where the events are. */
  readonly eventStore: 'postgresql' | 'eventstoredb';
  /** The PostgreSQL database the ledger keeps its own tables (idempotency records) and read models in. */
  postgresUrl(): Promise<string>;
  /** The EventStoreDB test server, in EventStoreDB mode. */
  readonly esdb?: EventStoreDbTestServer;
  stop(): Promise<void>;
}

export interface LedgerMode {
  /** For the describe block's title. */
  readonly name: string;
  start(options: { databasePrefix: string; server?: Omit<StartOptions, 'databaseUrl'> }): Promise<LedgerUnderTest>;
}

/** Events and everything else in one external PostgreSQL database (DATABASE_URL). */
export const POSTGRES_MODE: LedgerMode = {
  name: 'PostgreSQL event store (DATABASE_URL)',
  async start({ databasePrefix, server: options }) {
    const database = await createTestDatabase(databasePrefix);
    let server: LedgerServer | undefined;
    try {
      server = await startLedgerServer({ ...options, databaseUrl: database.url });
    } catch (error) {
      await database.drop();
      throw error;
    }
    const store = new PostgresEventStore(database.url);
    const started = server;
    return {
      server: started,
      store,
      eventStore: 'postgresql',
      postgresUrl: async () => database.url,
      stop: async () => {
        await store.close();
        await started.kill('SIGTERM');
        await database.drop();
      },
    };
  },
};

/**
 * Events in EventStoreDB: the repository's wire-level test server, started
 * in this (Jest) process, reached by the ledger over gRPC through
 * EVENTSTORE_CONNECTION_STRING. Read models and idempotency records in
 * PostgreSQL: an external database (DATABASE_URL), or, with only
 * EVENTSTORE_CONNECTION_STRING set, the ledger's embedded one.
 */
export function eventStoreDbMode(postgres: 'embedded' | 'DATABASE_URL'): LedgerMode {
  return {
    name: `EventStoreDB event store (test server; ${postgres === 'embedded' ? 'embedded PostgreSQL, no DATABASE_URL' : 'PostgreSQL at DATABASE_URL'})`,
    async start({ databasePrefix, server: options }) {
      const esdb = await startEventStoreDbTestServer({ statsIntervalMs: ESDB_STATS_INTERVAL_MS });
      const database = postgres === 'DATABASE_URL' ? await createTestDatabase(databasePrefix) : undefined;
      let server: LedgerServer;
      try {
        server = await startLedgerServer({
          ...options,
          databaseUrl: database?.url,
          env: { ...options?.env, EVENTSTORE_CONNECTION_STRING: esdb.connectionString },
        });
      } catch (error) {
        await database?.drop();
        await esdb.stop();
        throw error;
      }
      const store = EventStoreDbEventStore.fromConnectionString(esdb.connectionString);
      return {
        server,
        store,
        eventStore: 'eventstoredb',
        esdb,
        // The embedded server belongs to the ledger process; a second process on
        // its data folder attaches to it (as the CLI does beside the server).
        postgresUrl: async () => database?.url ?? (await openLedgerDatabase({ dataDir: server.dataDir })).url,
        stop: async () => {
          await store.close();
          await server.kill('SIGTERM');
          await database?.drop();
          await esdb.stop();
        },
      };
    },
  };
}
