import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { EVENT_STORE, openEventStore, type EventStore } from '@ledger/event-store';
import { guardedPool, openLedgerDatabase, type LedgerConfig, type LedgerDatabase } from '@ledger/platform';
import { LEDGER_CONFIG, LEDGER_DATABASE, PG_POOL } from '../config/config.tokens';
import { LedgerMetrics } from '../metrics/ledger-metrics';
import { migrateLedgerSchema } from '@ledger/ledger-schema';

/** Connections for the ledger's own tables; idempotency holds one per in-flight keyed command. */
const POOL_SIZE = 30;
/** The longest a request waits for one of them. */
const POOL_WAIT_MS = 10_000;

async function openPool(database: LedgerDatabase): Promise<Pool> {
  // A client losing its connection must not crash the process; its query fails, and the next one reconnects.
  // A wait for a free connection is bounded: past it the request fails as storage unavailable (503, retry), never hangs.
  const pool = guardedPool({ connectionString: database.url, max: POOL_SIZE, connectionTimeoutMillis: POOL_WAIT_MS, application_name: 'ledger' }, (error) =>
    new Logger('Storage').warn(`PostgreSQL connection failed: ${error.message}`),
  );
  await migrateLedgerSchema(pool);
  return pool;
}

/**
 * Closes what the ledger opened, in dependency order, after the HTTP server
 * has stopped taking requests: the event store and the pool first, the
 * embedded PostgreSQL (if any) last.
 */
@Injectable()
class StorageShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LEDGER_DATABASE) private readonly database: LedgerDatabase,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.eventStore.close(), this.pool.end()]);
    await this.database.close();
  }
}

/** The database (embedded or external), a pool on it, and the event store. */
@Global()
@Module({
  providers: [
    {
      provide: LEDGER_DATABASE,
      inject: [LEDGER_CONFIG],
      // A crashed embedded PostgreSQL is restarted by its supervisor; say so where operators look.
      useFactory: (config: LedgerConfig) => openLedgerDatabase(config, { onSupervision: (message) => new Logger('Storage').warn(message) }),
    },
    { provide: PG_POOL, inject: [LEDGER_DATABASE], useFactory: openPool },
    {
      provide: EVENT_STORE,
      inject: [LEDGER_CONFIG, LEDGER_DATABASE, LedgerMetrics],
      useFactory: async (config: LedgerConfig, database: LedgerDatabase, metrics: LedgerMetrics) => 
        metrics.meterAppends(await openEventStore(config, database.url, { onConnectionError: (error) => new Logger('EventStore').warn(`PostgreSQL connection failed: ${error.message}`) })),
    },
    StorageShutdown,
  ],
  exports: [LEDGER_DATABASE, PG_POOL, EVENT_STORE],
})
export class StorageModule {}
