import type { RecordedEvent } from '@ledger/event-store';
import { BatchRows, type TableWrites } from './batch-rows';
import type { QueryQueue } from './query-queue';
import { handles, type Projection, type Row, type RowRef, type TableDefinition } from './projection';
import { copyRows, type CopyFromStdin } from './copy-from';
import {
  addToCountersFromStage,
  ident,
  patchFromStage,
  qualified,
  selectByKeysStatement,
  upsertFromStage,
} from './sql';

/** Writes queued on a client; `failure` resolves (never rejects) once they all ran. */
export interface QueuedWrites {
  readonly failure: Promise<Error | null>;
}

/** A batch whose rows have been fetched, ready to fold. */
export interface FetchedBatch {
  readonly rows: BatchRows;
  readonly events: readonly RecordedEvent[];
}

/**
 * One batch for one projection happens in two steps, so that a runner feeding
 * several projections can fetch every projection's rows first and then fold
 * projection B while PostgreSQL still writes projection A. The caller owns the
 * transaction and must check `failure` before it commits.
 *
 * Step one: one SELECT per table the fold will read.
 */
export async function fetchBatch(
  client: QueryQueue,
  projection: Projection,
  schema: string,
  events: readonly RecordedEvent[],
): Promise<FetchedBatch> {
  const relevant = events.filter((event) => handles(projection, event.type));
  const rows = new BatchRows(projection);
  if (relevant.length > 0) await fetchReads(client, projection, schema, rows, relevant);
  return { rows, events: relevant };
}

/** Step two: the fold in memory, then a few multi-row writes per table, queued without waiting. */
export function foldAndWrite(client: QueryQueue, projection: Projection, schema: string, batch: FetchedBatch): QueuedWrites {
  if (batch.events.length === 0) return { failure: Promise.resolve(null) };
  for (const event of batch.events) {
    for (const change of projection.fold(batch.rows, event)) batch.rows.apply(change);
  }
  return { failure: runAll(client, batch.rows.writes().flatMap((writes) => writesFor(schema, writes))) };
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

/** One step of a batch's writes: a COPY, or a statement without parameters. */
type Write = CopyFromStdin | string;

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
  if (writes.puts.length > 0) steps.push(...staged(writes.puts, Object.keys(table.columns), upsertFromStage(target, stage, table)));
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

/** Queues every statement at once; resolves with the first failure, or null when all succeeded. */
async function runAll(client: QueryQueue, writes: readonly Write[]): Promise<Error | null> {
  const results = await Promise.allSettled(writes.map((write) => client.run(write)));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  return failure ? (failure.reason as Error) : null;
}
