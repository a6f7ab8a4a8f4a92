import type { ClientBase, Pool } from 'pg';
import type { Queryable } from './query-queue';
import type { Projection } from './projection';
import { createIndexSql, createTableSql, ident, qualified } from './sql';

/**
 * A generation is one physical copy of a projection's tables, in its own
 * schema `rm_{projection}_g{id}`. Queries read the active generation through
 * views in schema `read_models`; a rebuild fills a `building` generation beside
 * it and swaps the views in one transaction once it has caught up (blue/green).
 * Each generation carries its own checkpoint, updated in the same transaction
 * as its rows.
 */
export type GenerationStatus = 'building' | 'active' | 'retired';

export interface Generation {
  readonly id: number;
  readonly projection: string;
  readonly version: number;
  readonly schema: string;
  readonly status: GenerationStatus;
  /** Position of the last event folded; -1 before the first. */
  readonly checkpoint: bigint;
  /** Secondary indexes exist (a building generation gets them once caught up). */
  readonly indexed: boolean;
  /** Projection.settings it was built under; null for none. */
  readonly settings: string | null;
}

/** Whether a generation is of the projection as this code folds it: its version, under its settings. */
export function isGenerationOf(generation: Pick<Generation, 'projection' | 'version' | 'settings'>, projection: Projection): boolean {
  return generation.projection === projection.name && generation.version === projection.version && generation.settings === (projection.settings ?? null);
}

export const CONTROL_TABLE = 'read_models.projection_generations';
/** Events a generation could not fold (migration ParkedEvents). */
export const PARKED_TABLE = 'read_models.parked_events';
export const VIEW_SCHEMA = 'read_models';
/** Channel notified, in the batch's transaction, whenever a checkpoint moves. */
export const CHECKPOINT_CHANNEL = 'projection_checkpoints';
/** First key of every advisory lock the projections take (`LEDG` in ASCII); the second is a generation id. */
export const ADVISORY_LOCK_NAMESPACE = 0x4c454447;
/** Second key of the transaction lock that serialises creating generations. */
const CREATION_LOCK = 0;

interface GenerationRow {
  id: number;
  projection: string;
  version: number;
  schema_name: string;
  status: GenerationStatus;
  checkpoint: string;
  indexed: boolean;
  settings: string | null;
}

const COLUMNS = 'id, projection, version, schema_name, status, checkpoint, indexed, settings';

function toGeneration(row: GenerationRow): Generation {
  return {
    id: row.id,
    projection: row.projection,
    version: row.version,
    schema: row.schema_name,
    status: row.status,
    checkpoint: BigInt(row.checkpoint),
    indexed: row.indexed,
    settings: row.settings,
  };
}

export async function listGenerations(db: Queryable, statuses: readonly GenerationStatus[] = ['building', 'active']): Promise<Generation[]> {
  const { rows } = await db.query<GenerationRow>(
    `SELECT ${COLUMNS} FROM ${CONTROL_TABLE} WHERE status = ANY($1::text[]) ORDER BY id`,
    [statuses],
  );
  return rows.map(toGeneration);
}

export async function findGeneration(db: Queryable, id: number): Promise<Generation | undefined> {
  const { rows } = await db.query<GenerationRow>(`SELECT ${COLUMNS} FROM ${CONTROL_TABLE} WHERE id = $1`, [id]);
  return rows[0] && toGeneration(rows[0]);
}

/**
 * Gives every projection an active generation, created empty (with indexes and
 * views, since queries read it at once) when it has none, and starts a
 * building generation for a projection whose code has a newer version than
 * its active one. Safe to call from every process at start.
 */
export async function ensureGenerations(pool: Pool, projections: readonly Projection[]): Promise<void> {
  await inCreationTransaction(pool, async (client) => {
    const existing = await listGenerations(client);
    for (const projection of projections) {
      const active = existing.find((g) => g.projection === projection.name && g.status === 'active');
      const building = existing.find((g) => g.projection === projection.name && g.status === 'building');
      if (!active) {
        const generation = await createGeneration(client, projection, 'active');
        await publishViews(client, projection, generation.schema, undefined);
        continue;
      }
      // A building generation under settings no longer configured will never be switched in by this code.
      if (building && building.version === projection.version && !isGenerationOf(building, projection)) {
        await client.query(`UPDATE ${CONTROL_TABLE} SET status = 'retired', retired_at = now() WHERE id = $1`, [building.id]);
      }
      const stale = active.version < projection.version || (active.version === projection.version && !isGenerationOf(active, projection));
      const underWay = building !== undefined && (isGenerationOf(building, projection) || building.version !== projection.version);
      if (stale && !underWay) await createGeneration(client, projection, 'building');
    }
  });
}

/** The building generation of a projection: the one under way, or a new one. */
export async function startRebuild(pool: Pool, projection: Projection): Promise<Generation> {
  return inCreationTransaction(pool, async (client) => {
    const existing = await listGenerations(client, ['building']);
    const building = existing.find((g) => isGenerationOf(g, projection));
    return building ?? createGeneration(client, projection, 'building');
  });
}

async function inCreationTransaction<T>(pool: Pool, work: (client: ClientBase) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [ADVISORY_LOCK_NAMESPACE, CREATION_LOCK]);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function createGeneration(client: Queryable, projection: Projection, status: 'active' | 'building'): Promise<Generation> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO ${CONTROL_TABLE} (projection, version, schema_name, status, activated_at, settings)
     VALUES ($1, $2, '', $3, CASE WHEN $3 = 'active' THEN now() END, $4) RETURNING id`,
    [projection.name, projection.version, status, projection.settings ?? null],
  );
  const id = rows[0].id;
  const schema = `rm_${projection.name}_g${id}`;
  await client.query(`UPDATE ${CONTROL_TABLE} SET schema_name = $2 WHERE id = $1`, [id, schema]);
  await client.query(`CREATE SCHEMA ${ident(schema)}`);
  for (const table of projection.tables) await client.query(createTableSql(schema, table));
  // An active generation is read while it fills, so it needs its indexes now; a building one gets them when caught up.
  if (status === 'active') await createIndexes(client, projection, schema);
  await client.query(`UPDATE ${CONTROL_TABLE} SET indexed = $2 WHERE id = $1`, [id, status === 'active']);
  return (await findGeneration(client, id))!;
}

async function createIndexes(client: Queryable, projection: Projection, schema: string): Promise<void> {
  for (const statement of indexStatements(projection, schema)) await client.query(statement);
}

/** The secondary indexes of a generation, one statement each, so that several connections can share the work. */
export function indexStatements(projection: Projection, schema: string): string[] {
  return projection.tables.flatMap((table) => (table.indexes ?? []).map((columns) => createIndexSql(schema, table, columns)));
}

/**
 * Finishes preparing a building generation that has caught up for the
 * switch, once its indexStatements have run: refreshes planner statistics
 * and records that it is indexed. All of it outside any lock that queries
 * or the active runner would wait on.
 */
export async function markIndexed(client: Queryable, projection: Projection, generation: Generation): Promise<void> {
  for (const table of projection.tables) await client.query(`ANALYZE ${qualified(generation.schema, table.name)}`);
  await client.query(`UPDATE ${CONTROL_TABLE} SET indexed = true WHERE id = $1`, [generation.id]);
}

export type SwitchOutcome = { switched: true; retired?: Generation } | { switched: false; activeCheckpoint: bigint };

/**
 * Makes a building generation the active one, if it has reached the active
 * generation's checkpoint. Locking the active row first makes the active
 * runner's next commit wait, so no event lands in the old generation after
 * the comparison; swapping the views in the same transaction means a query
 * sees either the old tables or the new ones, never a mix.
 */
export async function switchToGeneration(client: Queryable, projection: Projection, building: Generation): Promise<SwitchOutcome> {
  await client.query('BEGIN');
  try {
    const { rows } = await client.query<GenerationRow>(
      `SELECT ${COLUMNS} FROM ${CONTROL_TABLE} WHERE projection = $1 AND status IN ('active', 'building') ORDER BY id FOR UPDATE`,
      [projection.name],
    );
    const active = rows.map(toGeneration).find((g) => g.status === 'active');
    const current = rows.map(toGeneration).find((g) => g.id === building.id);
    if (!current || current.status !== 'building') throw new Error(`Generation ${building.id} is no longer building`);
    // An active generation of the same version and settings may be ahead (a rebuild racing the live feeder); one under
    // other settings is no longer fed, and the rebuilt one replaces it once it has caught up.
    if (active && isGenerationOf(active, projection) && active.checkpoint > current.checkpoint) {
      await client.query('ROLLBACK');
      return { switched: false, activeCheckpoint: active.checkpoint };
    }
    if (active) {
      await client.query(`UPDATE ${CONTROL_TABLE} SET status = 'retired', retired_at = now() WHERE id = $1`, [active.id]);
    }
    await client.query(`UPDATE ${CONTROL_TABLE} SET status = 'active', activated_at = now() WHERE id = $1`, [current.id]);
    await publishViews(client, projection, current.schema, active?.version === current.version ? active : undefined);
    await client.query('SELECT pg_notify($1, $2)', [CHECKPOINT_CHANNEL, String(current.id)]);
    await client.query('COMMIT');
    return { switched: true, retired: active };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Points the views in `read_models` at a generation. Between generations of
 * one version the columns are the same and `CREATE OR REPLACE` swaps them in
 * place; across versions the views are recreated.
 */
async function publishViews(client: Queryable, projection: Projection, schema: string, sameColumnsAs: Generation | undefined): Promise<void> {
  for (const table of projection.tables.filter((candidate) => candidate.published)) {
    const view = qualified(VIEW_SCHEMA, table.name);
    if (!sameColumnsAs) await client.query(`DROP VIEW IF EXISTS ${view}`);
    await client.query(`CREATE OR REPLACE VIEW ${view} AS SELECT * FROM ${qualified(schema, table.name)}`);
  }
}

/**
 * Drops the schemas of retired generations. A query still reading an old table
 * holds a lock the DROP waits for; `lock_timeout` keeps this from queueing
 * new queries behind it, and the next attempt finishes the job.
 */
export async function dropRetiredGenerations(pool: Pool): Promise<number> {
  const client = await pool.connect();
  let dropped = 0;
  try {
    const { rows } = await client.query<GenerationRow>(
      `SELECT ${COLUMNS} FROM ${CONTROL_TABLE} WHERE status = 'retired' AND dropped_at IS NULL ORDER BY id`,
    );
    for (const generation of rows.map(toGeneration)) {
      try {
        await client.query('BEGIN');
        await client.query(`SET LOCAL lock_timeout = '2s'`);
        await client.query(`DROP SCHEMA IF EXISTS ${ident(generation.schema)} CASCADE`);
        // Events parked by a generation nobody reads any more are no one's to replay.
        await client.query(`DELETE FROM ${PARKED_TABLE} WHERE generation_id = $1`, [generation.id]);
        await client.query(`UPDATE ${CONTROL_TABLE} SET dropped_at = now() WHERE id = $1`, [generation.id]);
        await client.query('COMMIT');
        dropped += 1;
      } catch {
        await client.query('ROLLBACK').catch(() => undefined);
      }
    }
  } finally {
    client.release();
  }
  return dropped;
}

/**
 * Moves a generation's checkpoint inside the batch's transaction. The guard on
 * the previous value and the status (in SQL, read_models.advance_checkpoint)
 * means that a runner which lost its lock, or whose generation a switch
 * retired, fails the whole transaction instead of writing twice.
 */
export function advanceCheckpointStatement(generation: Generation, from: bigint, to: bigint): { text: string; values: unknown[] } {
  return { text: 'SELECT read_models.advance_checkpoint($1, $2, $3)', values: [generation.id, String(from), String(to)] };
}

/** SQLSTATE read_models.advance_checkpoint raises. */
export const CHECKPOINT_MOVED = 'LD001';
