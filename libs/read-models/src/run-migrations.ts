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
  let dataSource: ReturnType<typeof createReadModelDataSource> | undefined;
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    dataSource = createReadModelDataSource(connectionString, 1, await migrationsSchemaOf(lock));
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await lock.end();
  }
}

/**
 * The schema that holds the record of applied migrations. TypeORM writes it
 * in the first schema of the search path, which is `"$user"` (the schema
 * `ledger`, once the ledger has made it) before `public`: which one a
 * database got depends on what ran first, and a later run under the other
 * would find no record and apply every migration again. So the record is
 * looked for where any run put it (the fuller one, should both exist), and a
 * new database keeps it in public.
 */
async function migrationsSchemaOf(client: Client): Promise<string> {
  const { rows } = await client.query<{ schema: string }>(
    `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'read_model_migrations' AND table_type = 'BASE TABLE'`,
  );
  let chosen = 'public';
  let most = -1;
  for (const { schema } of rows) {
    const counted = await client.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${quoteIdentifier(schema)}.read_model_migrations`);
    if (counted.rows[0].count > most) {
      most = counted.rows[0].count;
      chosen = schema;
    }
  }
  return quoteIdentifier(chosen);
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
