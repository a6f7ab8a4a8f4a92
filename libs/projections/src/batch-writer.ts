import type { RecordedEvent } from '@ledger/event-store';
import { BatchRows, type TableWrites } from './batch-rows';
import type { QueryQueue } from './query-queue';
import { handles, type Projection, type Row, type RowRef } from './projection';
import {
  addToCountersStatement,
  insertStatement,
  patchStatement,
  selectByKeysStatement,
  upsertStatement,
  type Statement,
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
  return { failure: runAll(client, batch.rows.writes().flatMap((writes) => statementsFor(schema, writes))) };
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

function statementsFor(schema: string, writes: TableWrites): Statement[] {
  const { table } = writes;
  const statements: Statement[] = [];
  if (writes.puts.length > 0) statements.push(upsertStatement(schema, table, writes.puts));
  for (const [columns, patches] of groupBy(writes.patches, (patch) => Object.keys(patch.set))) {
    statements.push(patchStatement(schema, table, columns, patches));
  }
  for (const [columns, deltas] of groupBy(writes.counters, (delta) => Object.keys(delta.counters))) {
    statements.push(addToCountersStatement(schema, table, columns, deltas));
  }
  if (writes.appends.length > 0) statements.push(insertStatement(schema, table, writes.appends));
  return statements;
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
async function runAll(client: QueryQueue, statements: readonly Statement[]): Promise<Error | null> {
  const results = await Promise.allSettled(statements.map((statement) => client.query(statement)));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  return failure ? (failure.reason as Error) : null;
}
