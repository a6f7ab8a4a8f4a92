import type { RecordedEvent } from '@ledger/event-store';
import { BatchRows, type TableWrites } from './batch-rows';
import type { QueryQueue } from './query-queue';
import { handles, type Projection, type Row, type RowRef, type TableDefinition } from './projection';
import { copyRows, CopyFromStdin } from './copy-from';
import {
  addToCountersFromStage,
  ident,
  patchFromStage,
  qualified,
  selectByKeysStatement,
  upsertFromStage,
  upsertValuesStatement,
  type Statement,
} from './sql';

/**
 * One batch for one projection, in two steps that a runner can overlap with
 * the previous batch: `foldBatch` fetches the rows the fold reads (one
 * SELECT per table, on a connection outside the write transaction) and
 * folds in memory; `encodeWrites` turns the result into a few COPYs and
 * statements per table for the writing connection.
 *
 * `previous` is the previous batch's rows when that batch may not have
 * committed yet: what it wrote is taken from memory, never from the database.
 */
export async function foldBatch(
  reads: QueryQueue,
  projection: Projection,
  schema: string,
  events: readonly RecordedEvent[],
  previous?: BatchRows,
): Promise<BatchRows> {
  const relevant = events.filter((event) => handles(projection, event.type));
  const rows = BatchRows.following(projection, previous);
  if (relevant.length === 0) return rows;
  await fetchReads(reads, projection, schema, rows, relevant);
  if (projection.foldBatch) {
    for (const change of projection.foldBatch(rows, relevant)) rows.apply(change);
    return rows;
  }
  for (const event of relevant) {
    for (const change of projection.fold(rows, event)) rows.apply(change);
  }
  return rows;
}

/** One step of a batch's writes: a COPY (its payload already encoded), a statement without parameters, or one with. */
export type Write = CopyFromStdin | string | Statement;

/** Queues one write on the connection. */
export function queueWrite(writer: QueryQueue, write: Write): Promise<unknown> {
  return typeof write === 'string' || write instanceof CopyFromStdin ? writer.run(write) : writer.query(write);
}

/**
 * The batch's writes, encoded now (the COPY payloads are most of a rebuild's
 * JavaScript time) so that queueing them later costs nothing while
 * PostgreSQL waits.
 */
export function encodeWrites(schema: string, rows: BatchRows): Write[] {
  return rows.writes().flatMap((tableWrites) => writesFor(schema, tableWrites));
}

async function fetchReads(
  client: QueryQueue,
  projection: Projection,
  schema: string,
  rows: BatchRows,
  events: readonly RecordedEvent[],
): Promise<void> {
  const refs: RowRef[] = [];
  for (const event of events) refs.push(...projection.reads(event));
  const missing = [...rows.missing(refs)];
  const results = await Promise.all(
    missing.map(([table, keys]) => {
      const definition = projection.tables.find((candidate) => candidate.name === table)!;
      return client.query(selectByKeysStatement(schema, definition, keys));
    }),
  );
  missing.forEach(([table, keys], index) => rows.load(table, keys, results[index].rows as Row[]));
}

/**
 * Rows that may already exist (puts, patches, counters) are COPYed into the
 * table's staging table and merged from there by one statement; append-only
 * rows are COPYed straight into the table. The staging table is emptied after
 * each use so the next group of the batch starts clean.
 */
function writesFor(schema: string, writes: TableWrites): Write[] {
  const { table } = writes;
  const target = qualified(schema, table.name);
  const stage = stageOf(schema, table);
  const staged = (rows: readonly Row[], columns: readonly string[], merge: string): Write[] => [
    copyRows(stage, table, rows, columns),
    merge,
    `DELETE FROM ${stage}`,
  ];
  const steps: Write[] = [];
  if (writes.puts.length > MAX_DIRECT_PUTS) steps.push(...staged(writes.puts, Object.keys(table.columns), upsertFromStage(target, stage, table)));
  else if (writes.puts.length > 0) steps.push(upsertValuesStatement(target, table, writes.puts));
  for (const [columns, patches] of groupBy(writes.patches, (patch) => Object.keys(patch.set))) {
    const rows = patches.map(({ key, set }) => ({ ...set, ...key }));
    steps.push(...staged(rows, [...table.primaryKey, ...columns], patchFromStage(target, stage, table, columns)));
  }
  for (const [columns, deltas] of groupBy(writes.counters, (delta) => Object.keys(delta.counters))) {
    const rows = deltas.map(({ key, counters }) => ({ ...key, ...counters }));
    steps.push(...staged(rows, [...table.primaryKey, ...columns], addToCountersFromStage(target, stage, table, columns)));
  }
  if (writes.appends.length > 0) steps.push(copyRows(target, table, writes.appends));
  return steps;
}

/**
 * Up to this many puts to a table go in one statement with parameters, more
 * through the staging table: a batch following the log puts a few rows, a
 * rebuild's batch thousands, which COPY loads far faster.
 */
const MAX_DIRECT_PUTS = 16;

/** A session's staging table for one generation's table: temporary, unlogged by nature, emptied at every commit. */
function stageOf(schema: string, table: TableDefinition): string {
  return `pg_temp.${ident(`stage_${schema}_${table.name}`)}`;
}

/**
 * Creates the staging tables of a generation on a connection, once per
 * session and outside any batch, so that a rolled-back batch cannot take them away.
 */
export async function createStagingTables(client: QueryQueue, projection: Projection, schema: string): Promise<void> {
  for (const table of projection.tables) {
    await client.run(
      `CREATE TEMP TABLE IF NOT EXISTS ${stageOf(schema, table)} (LIKE ${qualified(schema, table.name)}) ON COMMIT DELETE ROWS`,
    );
  }
}

function groupBy<T>(items: readonly T[], columnsOf: (item: T) => string[]): [string[], T[]][] {
  const groups = new Map<string, [string[], T[]]>();
  for (const item of items) {
    const columns = columnsOf(item).sort();
    const id = columns.join(',');
    const group = groups.get(id) ?? [columns, []];
    group[1].push(item);
    groups.set(id, group);
  }
  return [...groups.values()];
}
