import { Client } from 'pg';
import { createReadModelDataSource } from './read-model-data-source';

/** Key of the session lock that keeps two processes from migrating at once (`RMIG`). */
const MIGRATION_LOCK = 0x524d4947;

/**
 * Applies the read side's pending migrations. The ledger calls it at start,
 * the CLI's `migrate` on demand; a lock makes concurrent starts wait for each
 * other instead of applying a migration twice. Returns the names applied.
 */
export async function runReadModelMigrations(connectionString: string): Promise<string[]> {
  const lock = new Client({ connectionString });
  // Its failure (the database going away mid-migration) surfaces through the query under way.
  lock.on('error', () => undefined);
  await lock.connect();
  const dataSource = createReadModelDataSource(connectionString, 1);
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await lock.end();
  }
}
