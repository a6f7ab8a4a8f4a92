import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { reachedPosition, reachedPositionSql } from './projection-positions';

/** What query services read through: a DataSource or a transaction's EntityManager. */
export type ReadModelReader = Pick<EntityManager, 'query'>;

/**
 * The request's side of a read: where the position an answer was read at
 * goes (the HTTP layer names it in the `Ledger-Position` header), and what
 * to wait for before the first read (read-your-writes: `minPosition`).
 */
export interface ReadPositionSink {
  record(position: bigint): void;
  /**
   * Set by the edge; run once, before the query services read anything and
   * after they have checked their parameters, so that a malformed request is
   * refused at once rather than after a wait.
   */
  beforeFirstRead?: () => Promise<unknown>;
}

const sinks = new AsyncLocalStorage<ReadPositionSink>();

/**
 * Runs `work` with a sink for the positions the queries it makes read at.
 * When several snapshots are read for one answer, the sink keeps the lowest:
 * everything up to it is in the answer.
 */
export function withReadPositionSink<T>(sink: ReadPositionSink, work: () => T): T {
  return sinks.run(sink, work);
}

/**
 * Runs `work` with a sink of its own and gives its answer with the position
 * it was read at (the lowest recorded, as the Ledger-Position header names
 * it), or undefined when it recorded none: for an edge that writes the
 * answer itself (the fast lane).
 */
export async function readWithPosition<T>(work: () => Promise<T>): Promise<{ answer: T; position: bigint | undefined }> {
  let position: bigint | undefined;
  const sink: ReadPositionSink = {
    record(at: bigint): void {
      if (position === undefined || at < position) position = at;
    },
  };
  const answer = await withReadPositionSink(sink, work);
  return { answer, position };
}

/**
 * Runs `work` outside any request's sink: for work done on behalf of
 * several requests (a batch of reads), which record their positions
 * themselves; nothing it reads waits on one request's minPosition or
 * records into one request's answer.
 */
export function outsideRequests<T>(work: () => T): T {
  return sinks.exit(work);
}

export function recordReadPosition(position: bigint): void {
  sinks.getStore()?.record(position);
}

/** The sink of the request under way, if any (the edge adds its wait to it). */
export function currentReadPositionSink(): ReadPositionSink | undefined {
  return sinks.getStore();
}

const waited = new WeakMap<ReadPositionSink, Promise<unknown>>();

/** Runs the request's wait before its first read (once, however many reads follow). */
export async function awaitFirstRead(): Promise<void> {
  const sink = sinks.getStore();
  if (!sink?.beforeFirstRead) return;
  let wait = waited.get(sink);
  if (!wait) waited.set(sink, (wait = sink.beforeFirstRead()));
  await wait;
}

/**
 * Runs `work` in one read-only REPEATABLE READ snapshot, after reading the
 * position the active generations of `projections` have folded: every row
 * `work` reads is exactly as folded up to that position (rows and checkpoint
 * commit together), so the answer is the ledger as of that position, which
 * is recorded for the answer (also when `work` then throws, e.g. not found).
 */
export async function inReadSnapshot<T>(dataSource: DataSource, projections: readonly string[], work: (reader: ReadModelReader) => Promise<T>): Promise<T> {
  await awaitFirstRead();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    recordReadPosition(await reachedPosition(runner.manager, projections));
    const result = await work(runner.manager);
    await runner.query('COMMIT');
    return result;
  } catch (error) {
    await runner.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * The rows of one SELECT and the position the active generations of
 * `projections` have folded, read in one statement, so in one snapshot as
 * inReadSnapshot reads them (a statement sees one snapshot throughout,
 * whatever the isolation level) and in one round trip instead of four
 * (BEGIN, the position, the rows, COMMIT): the hot single-query answers
 * (public verification, a certificate, a page of certificates) read so.
 * `sql` may use $1 … $n of `parameters`; the position is recorded as
 * inReadSnapshot records it.
 */
export async function inOneStatement<T extends object>(dataSource: DataSource, projections: readonly string[], sql: string, parameters: readonly unknown[]): Promise<T[]> {
  return (await inOneStatementAt<T>(dataSource, projections, sql, parameters)).rows;
}

/**
 * inOneStatement, and the position it read at. With `prepared`, the
 * statement is prepared under that name on each pooled connection (the
 * pool TypeORM's driver holds) and only bound and run after the first
 * time: for the hottest answers, whose planning costs PostgreSQL more than
 * running them. A name stands for one statement text, always the same.
 */
export async function inOneStatementAt<T extends object>(
  dataSource: DataSource,
  projections: readonly string[],
  sql: string,
  parameters: readonly unknown[],
  prepared?: string,
): Promise<{ rows: T[]; position: bigint }> {
  await awaitFirstRead();
  const text = `SELECT reached."${REACHED}", q.*
       FROM (${reachedPositionSql(`$${parameters.length + 1}`, REACHED)}) reached
       LEFT JOIN LATERAL (SELECT TRUE AS "${FOUND}", x.* FROM (${sql}) x) q ON TRUE`;
  const rows = await queryNamed<T & { [REACHED]: string | null; [FOUND]: boolean | null }>(dataSource, prepared, text, [...parameters, projections]);
  const position = BigInt(rows[0]?.[REACHED] ?? -1);
  recordReadPosition(position);
  const found = rows.filter((row) => row[FOUND]).map((row) => {
    const { [REACHED]: _reached, [FOUND]: _found, ...rest } = row;
    return rest as unknown as T;
  });
  return { rows: found, position };
}

/**
 * A query run as a named (prepared) statement, named after its text, so
 * that each connection parses and plans each text once: for the statements
 * whose text is one of a few shapes (a report's, by the filters it has)
 * and that run again and again. Each connection keeps what it prepared
 * for its life, so only the first PREPARED_SHAPES texts are named; any
 * other runs unnamed, as before. Through TypeORM when there is no pg pool.
 */
export async function queryPrepared<T>(dataSource: DataSource, text: string, values: readonly unknown[]): Promise<T[]> {
  return queryNamed<T>(dataSource, driverPool(dataSource) && statementNameOf(text), text, values);
}

/** A query under a statement name on pg's pool (prepared once per connection); unnamed through TypeORM without a name or a pool. */
async function queryNamed<T>(dataSource: DataSource, name: string | undefined, text: string, values: readonly unknown[]): Promise<T[]> {
  const pool = name === undefined ? undefined : driverPool(dataSource);
  if (!pool || name === undefined) return dataSource.query(text, [...values]);
  return (await pool.query({ name, text, values: [...values] })).rows as T[];
}

/** Texts named at most, per process: what each of its connections may keep prepared. */
const PREPARED_SHAPES = 64;
const statementNames = new Map<string, string>();

/** `ledger_` and a digest of the text (two texts never share a name, which pg refuses), or none once PREPARED_SHAPES are named. */
function statementNameOf(text: string): string | undefined {
  const known = statementNames.get(text);
  if (known !== undefined || statementNames.size >= PREPARED_SHAPES) return known;
  const name = `ledger_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
  statementNames.set(text, name);
  return name;
}

/** What a named statement runs on: pg's pool, as TypeORM's PostgreSQL driver keeps it (`master`), when there is one. */
interface NamedQueryPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: never[] }>;
}

function driverPool(dataSource: DataSource): NamedQueryPool | undefined {
  const master = (dataSource.driver as { master?: Partial<NamedQueryPool> } | undefined)?.master;
  return typeof master?.query === 'function' ? (master as NamedQueryPool) : undefined;
}

/** Column names no query of the read models uses. */
const REACHED = '__reached_position';
const FOUND = '__row_found';
