import { Pool } from 'pg';
import { LOCK_CLASS, MIGRATION_LOCK } from './schema';
import { inTransaction } from './transaction';

interface Migration {
  version: number;
  description: string;
  sql: string;
}

/** Append new versions at the end; never edit one that has shipped. */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'events log',
    sql: `
      CREATE TABLE event_store.events (
        position  bigint PRIMARY KEY CHECK (position >= 0),
        id        uuid   NOT NULL UNIQUE,
        stream_id text   NOT NULL,
        revision  bigint NOT NULL CHECK (revision >= 0),
        type      text   NOT NULL,
        data      jsonb  NOT NULL,
        metadata  jsonb  NOT NULL,
        CONSTRAINT events_stream_revision UNIQUE (stream_id, revision)
      );

      -- Positions are gapless and subscriptions trust that a visible position
      -- means every lower one is visible too; changing or removing rows would
      -- break both, and a ledger's history is not edited anyway.
      CREATE FUNCTION event_store.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'event_store.events is append-only (% refused)', TG_OP;
      END
      $$;
      CREATE TRIGGER events_append_only
        BEFORE UPDATE OR DELETE OR TRUNCATE ON event_store.events
        FOR EACH STATEMENT EXECUTE FUNCTION event_store.refuse_change();
    `,
  },
];

/**
 * Brings the event_store schema up to date. Safe to call from every process at
 * start: the advisory lock queues concurrent callers, and each applies only
 * the versions the ones before it have not.
 */
export async function migrateEventStore(pool: Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, MIGRATION_LOCK]);
    await client.query('CREATE SCHEMA IF NOT EXISTS event_store');
    await client.query(`
      CREATE TABLE IF NOT EXISTS event_store.migrations (
        version     integer PRIMARY KEY,
        description text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM event_store.migrations');
    const applied = new Set(rows.map((row) => row.version));
    for (const migration of MIGRATIONS.filter((m) => !applied.has(m.version))) {
      await client.query(migration.sql);
      await client.query('INSERT INTO event_store.migrations (version, description) VALUES ($1, $2)', [
        migration.version,
        migration.description,
      ]);
    }
  });
}
