import { PostgresEventStore } from '@ledger/event-store';
import { ledgerProjections, ProjectionRunner } from '@ledger/projections';
import { testPool } from '../../support/test-pool';
import { createTestDatabase } from '../../support/test-database';
import { runReadModelMigrations } from '@ledger/read-models';
import { eventually } from '../../support/eventually';

export interface ReadSideFixture {
  /** The suite's own database: event store and read models side by side, as in embedded mode. */
  readonly url: string;
  readonly store: PostgresEventStore;
  sql<T extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  teardown(): Promise<void>;
}

export async function createReadSideFixture(prefix = 'read_side'): Promise<ReadSideFixture> {
  const database = await createTestDatabase(prefix);
  const store = new PostgresEventStore(database.url, { poolSize: 4 });
  await store.migrate();
  await runReadModelMigrations(database.url);
  const pool = testPool({ connectionString: database.url, max: 4 });
  return {
    url: database.url,
    store,
    sql: async <T extends Record<string, unknown>>(text: string, values: unknown[] = []) =>
      (await pool.query<T>(text, values)).rows,
    teardown: async () => {
      await pool.end();
      await store.close();
      await database.drop();
    },
  };
}

/**
 * The log builder groups its leaves and stored hashes into runs whose bounds
 * follow its batches (log-runs.ts), so a live build and a rebuild hold the
 * same leaves in differently cut runs: these tables are compared by what
 * they hold, a row per leaf and per stored hash.
 */
const RUN_CONTENTS: Record<string, (table: string) => string> = {
  log_leaf_runs: (table) => `(SELECT r.first_leaf + g AS leaf, substring(r.positions FROM g * 8 + 1 FOR 8) AS position, split_part(r.event_ids, ',', g + 1) AS event_id
                                FROM ${table} r, generate_series(0, length(r.positions) / 8 - 1) g)`,
  log_hash_runs: (table) => `(SELECT r.first_index + g AS index, substring(r.hashes FROM g * 32 + 1 FOR 32) AS hash
                                FROM ${table} r, generate_series(0, length(r.hashes) / 32 - 1) g)`,
};

/**
 * A digest of every row of every table of a generation's schema, to compare
 * two builds of the same projection: equal digests, equal read models.
 */
export async function digestOfSchema(fixture: ReadSideFixture, schema: string): Promise<Record<string, string>> {
  const tables = await fixture.sql<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
    [schema],
  );
  const digests: Record<string, string> = {};
  for (const { table_name } of tables) {
    const contents = RUN_CONTENTS[table_name]?.(`"${schema}"."${table_name}"`) ?? `"${schema}"."${table_name}"`;
    const [row] = await fixture.sql<{ digest: string; rows: string }>(
      `SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest, count(*)::text AS rows
         FROM ${contents} t`,
    );
    digests[table_name] = `${row.rows}:${row.digest}`;
  }
  return digests;
}

export async function activeSchemas(fixture: ReadSideFixture): Promise<Record<string, string>> {
  const rows = await fixture.sql<{ projection: string; schema_name: string }>(
    `SELECT projection, schema_name FROM read_models.projection_generations WHERE status = 'active' ORDER BY projection`,
  );
  return Object.fromEntries(rows.map((row) => [row.projection, row.schema_name]));
}

/** Runs the projections in this process until they have folded the whole log, then stops them. */
export async function catchUpReadModels(fixture: ReadSideFixture, batchSize = 500): Promise<void> {
  const head = await fixture.store.headPosition();
  const runner = new ProjectionRunner({ connectionString: fixture.url, store: fixture.store, projections: ledgerProjections, batchSize });
  await runner.start();
  try {
    await eventually(
      async () => {
        const rows = await fixture.sql<{ checkpoint: string }>(`SELECT checkpoint::text FROM read_models.projection_generations WHERE status = 'active'`);
        return rows.length === ledgerProjections.length && rows.every((row) => BigInt(row.checkpoint) >= head);
      },
      60_000,
      50,
      'the read models to catch up',
    );
  } finally {
    await runner.stop();
  }
}
