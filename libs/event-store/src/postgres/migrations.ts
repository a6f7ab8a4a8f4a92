import { Pool } from 'pg';
import { APPEND_LOCK, APPENDED_CHANNEL, LOCK_CLASS, MIGRATION_LOCK } from './schema';
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
  {
    version: 2,
    description: 'json columns, and the append function',
    sql: `
      -- json, not jsonb: events come back byte for byte as appended (key order,
      -- any string JSON allows), and appends skip the conversion to binary.
      ALTER TABLE event_store.events
        ALTER COLUMN data TYPE json USING data::json,
        ALTER COLUMN metadata TYPE json USING metadata::json;

      -- Inserts rows the client decided against a state (the last revision of
      -- each stream, -1 for none), unless the log no longer matches it. Under
      -- the append lock, which every writer takes, rows get the positions after
      -- the current head, so positions become visible in order. Returns that
      -- head, or NULL when the client must decide again. Called as a statement
      -- of its own, it holds the lock only while the server works and commits,
      -- never across a round trip to the client.
      CREATE FUNCTION event_store.append_decided(
        checked_streams text[], checked_revisions bigint[],
        ids uuid[], stream_ids text[], revisions bigint[], types text[], data json[], metadata json[]
      ) RETURNS bigint LANGUAGE plpgsql
        -- Plan each call for the table as it is now: a plan cached while the
        -- table was small would scan it whole once it has grown.
        SET plan_cache_mode = force_custom_plan
      AS $$
      DECLARE
        head bigint;
      BEGIN
        -- Only under READ COMMITTED does each statement below take a snapshot
        -- after the lock is granted, and so see the previous holder's rows.
        IF current_setting('transaction_isolation') <> 'read committed' THEN
          RAISE EXCEPTION 'event_store.append_decided needs READ COMMITTED, not %', current_setting('transaction_isolation');
        END IF;
        PERFORM pg_advisory_xact_lock(${LOCK_CLASS}, ${APPEND_LOCK});
        IF EXISTS (
             SELECT 1 FROM unnest(checked_streams, checked_revisions) AS s(stream_id, revision)
              WHERE s.revision <> coalesce((SELECT max(e.revision) FROM event_store.events e WHERE e.stream_id = s.stream_id), -1))
           OR EXISTS (SELECT 1 FROM event_store.events e WHERE e.id = ANY(ids)) THEN
          RETURN NULL;
        END IF;
        SELECT coalesce(max(e.position), -1) INTO head FROM event_store.events e;
        INSERT INTO event_store.events (position, id, stream_id, revision, type, data, metadata)
        SELECT head + r.n, r.id, r.stream_id, r.revision, r.type, r.data, r.metadata
          FROM unnest(ids, stream_ids, revisions, types, data, metadata)
               WITH ORDINALITY AS r(id, stream_id, revision, type, data, metadata, n);
        -- Delivered at commit, to every process's subscriptions.
        PERFORM pg_notify('${APPENDED_CHANNEL}', (head + cardinality(ids))::text);
        RETURN head;
      END
      $$;
    `,
  },
  {
    version: 3,
    description: 'append function keeps cached plans on the indexes',
    sql: `
      -- Every statement of append_decided finds rows by key. Forbidding
      -- sequential scans keeps even a plan cached while the table was small on
      -- the indexes, so calls no longer need planning each time.
      ALTER FUNCTION event_store.append_decided(text[], bigint[], uuid[], text[], bigint[], text[], json[], json[])
        RESET plan_cache_mode;
      ALTER FUNCTION event_store.append_decided(text[], bigint[], uuid[], text[], bigint[], text[], json[], json[])
        SET enable_seqscan = off;
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
