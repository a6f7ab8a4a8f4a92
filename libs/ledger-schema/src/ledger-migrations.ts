import type { Pool, PoolClient } from 'pg';
import { PERSONAL_DATA_KEYS_SQL } from '@ledger/personal-data';

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
  {
    version: 2,
    name: 'personal data keys',
    // Each subject's data key, wrapped by the master key, apart from the events (libs/personal-data).
    sql: PERSONAL_DATA_KEYS_SQL,
  },
  {
    version: 3,
    name: 'access log',
    // Who read whose personal data (apps/ledger/src/access-log): one row per
    // answer, its subjects in an array, so a list page of 50 names is one row
    // and "who read this subject" is one GIN lookup. Apart from the event log
    // and never updated; retention deletes by read_at (BRIN, the table grows in
    // time order). No CURP and no name: subjects are subjectIds.
    sql: `
      CREATE TABLE ledger.access_log (
        entry_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        read_at timestamptz NOT NULL,
        actor_id text NOT NULL,
        actor_role text NOT NULL,
        actor_org text NOT NULL,
        actor_jurisdiction text,
        route text NOT NULL,
        correlation_id text NOT NULL,
        subject_ids text[] NOT NULL CHECK (cardinality(subject_ids) > 0)
      );
      CREATE INDEX access_log_subjects ON ledger.access_log USING gin (subject_ids);
      CREATE INDEX access_log_actor ON ledger.access_log (actor_id, entry_id);
      CREATE INDEX access_log_route ON ledger.access_log (route, entry_id);
      CREATE INDEX access_log_read_at ON ledger.access_log USING brin (read_at);
      CREATE FUNCTION ledger.access_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'ledger.access_log is append-only: entries are never changed'; END $$;
      CREATE TRIGGER access_log_append_only BEFORE UPDATE ON ledger.access_log
        FOR EACH ROW EXECUTE FUNCTION ledger.access_log_is_append_only();`,
  },
  {
    version: 4,
    name: 'access log subjects as bytes with a 64-bit key index',
    // An answer's subjects as their 32 bytes each, in order (bytea), and a GIN
    // index over the first 8 bytes of each (subject_keys, bigint[]) in place of
    // a GIN index over 64-character hex texts: a list page of 50 names wrote
    // 3.3 kB of text and 50 text keys of 65 bytes per answer; now 1.6 kB and 50
    // keys of 8 bytes, about a quarter of the WAL. A key may in principle be
    // shared by two subjects: a lookup by subject checks the full bytes too.
    // ALTER COLUMN ... TYPE rewrites the table without firing the append-only
    // trigger (a row trigger); entry ids, read times and order stay.
    sql: `
      CREATE FUNCTION ledger.access_log_keys_of(ids text[]) RETURNS bigint[] LANGUAGE sql IMMUTABLE
        AS $$ SELECT ARRAY(SELECT ('x' || substr(u.s, 1, 16))::bit(64)::bigint FROM unnest(ids) WITH ORDINALITY AS u(s, n) ORDER BY u.n) $$;
      DROP INDEX ledger.access_log_subjects;
      ALTER TABLE ledger.access_log ADD COLUMN subject_keys bigint[];
      ALTER TABLE ledger.access_log ALTER COLUMN subject_keys TYPE bigint[] USING ledger.access_log_keys_of(subject_ids);
      ALTER TABLE ledger.access_log DROP CONSTRAINT access_log_subject_ids_check;
      ALTER TABLE ledger.access_log ALTER COLUMN subject_ids TYPE bytea USING decode(array_to_string(subject_ids, ''), 'hex');
      DROP FUNCTION ledger.access_log_keys_of(text[]);
      ALTER TABLE ledger.access_log ALTER COLUMN subject_keys SET NOT NULL;
      ALTER TABLE ledger.access_log ADD CONSTRAINT access_log_subjects_shape
        CHECK (length(subject_ids) > 0 AND length(subject_ids) % 32 = 0 AND cardinality(subject_keys) = length(subject_ids) / 32);
      CREATE INDEX access_log_subject_keys ON ledger.access_log USING gin (subject_keys);
      -- An entry's subject ids as the API shows them (64 lower-case hex characters each, in order).
      CREATE FUNCTION ledger.access_log_subject_ids(subjects bytea) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT ARRAY(SELECT encode(substring(subjects FROM i * 32 + 1 FOR 32), 'hex') FROM generate_series(0, length(subjects) / 32 - 1) AS i ORDER BY i) $$;`,
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
