import type { Pool, PoolClient } from 'pg';

/**
 * The ledger's own tables (schema `ledger`), changed only by these numbered
 * migrations: a migration is never edited once released, a change is a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const LEDGER_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'idempotency keys',
    // One row per (caller, key), written in the same transaction that holds
    // the key while its command runs, so only completed commands are ever visible.
    // The response is kept as the JSON text first sent (jsonb would reorder its keys).
    sql: `
      CREATE TABLE ledger.idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        request_fingerprint text NOT NULL,
        command_id uuid NOT NULL,
        status_code integer NOT NULL,
        response_body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      );`,
  },
];

/** Any constant shared by every ledger process: serialises concurrent migrators (server + CLI). */
const MIGRATION_LOCK = 7_311_042_001;

/** Applies the migrations not yet applied, in order, each in its own transaction. Returns the versions applied. */
export async function migrateLedgerSchema(pool: Pool, migrations: readonly Migration[] = LEDGER_MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE SCHEMA IF NOT EXISTS ledger');
      await client.query(
        'CREATE TABLE IF NOT EXISTS ledger.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      return await applyPending(client, migrations);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

async function applyPending(client: PoolClient, migrations: readonly Migration[]): Promise<number[]> {
  const { rows } = await client.query<{ version: number }>('SELECT version FROM ledger.schema_migrations');
  const applied = new Set(rows.map((row) => row.version));
  const done: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      await client.query('INSERT INTO ledger.schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    done.push(migration.version);
  }
  return done;
}
