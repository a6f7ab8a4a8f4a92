import type { Command } from 'commander';
import { Pool } from 'pg';
import { PostgresEventStore } from '@ledger/event-store';
import { runReadModelMigrations } from '@ledger/read-models';
import { migrateLedgerSchema } from '@ledger/ledger-schema';
import { withLedgerDatabase } from '../cli-context';
import type { CliCommand } from './cli-command';

/**
 * `ledger migrate`: brings every schema of the ledger's PostgreSQL database
 * up to date (the server does the same at start; this is for deployments
 * that migrate before rolling out). Each step is idempotent and locked
 * against concurrent migrators.
 */
export const migrateCommand: CliCommand = {
  register(program: Command): void {
    program
      .command('migrate')
      .description('Apply pending migrations: event store (unless on EventStoreDB), ledger tables, read models')
      .action(async () => {
        await withLedgerDatabase(async (database, { config }) => {
          if (!config.eventStoreConnectionString) {
            const store = new PostgresEventStore(database.url);
            try {
              await store.migrate();
            } finally {
              await store.close();
            }
            process.stdout.write('event store: up to date\n');
          }
          const pool = new Pool({ connectionString: database.url, max: 1 });
          try {
            const applied = await migrateLedgerSchema(pool);
            process.stdout.write(`ledger tables: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}\n`);
          } finally {
            await pool.end();
          }
          const readModels = await runReadModelMigrations(database.url);
          process.stdout.write(`read models: ${readModels.length ? `applied ${readModels.join(', ')}` : 'up to date'}\n`);
        });
      });
  },
};
