import type { RecordedEvent } from '@ledger/event-store';

/**
 * A projection is a fold of the global log into rows. Its fold never touches
 * the database: it reads rows through a `RowReader` (fetched for the whole
 * batch beforehand) and returns row changes, which the runner merges per
 * batch and writes with a few multi-row statements. That keeps the fold pure
 * and testable, and a rebuild free of per-event round trips.
 */
export interface Projection {
  /** Stable name: schema names, advisory locks and the CLI refer to it. */
  readonly name: string;
  /**
   * Bump it when the tables or the fold change: the runner then builds the new
   * version beside the old one and switches when it has caught up.
   */
  readonly version: number;
  /**
   * What else the fold depends on (configuration, such as the findings'
   * thresholds), as text: a generation built under other settings is
   * rebuilt beside the active one and switched in, as for a new version.
   */
  readonly settings?: string;
  /** The event types the fold handles; `all` for every event of the ledger (system events `$…` excluded). */
  readonly eventTypes: readonly string[] | 'all';
  readonly tables: readonly TableDefinition[];
  /** Rows the fold will read for this event, so a batch fetches them in one query per table. */
  reads(event: RecordedEvent): readonly RowRef[];
  fold(rows: RowReader, event: RecordedEvent): readonly RowChange[];
  /**
   * Folds a whole batch at once, instead of `fold` event by event, for a
   * projection whose work is cheaper per batch than per event (the log
   * builder hashes a batch of leaves into its tree in one go). Given the
   * batch's events it handles, in order.
   */
  foldBatch?(rows: RowReader, events: readonly RecordedEvent[]): readonly RowChange[];
  /**
   * Events as stored instead of as readers show them (readable-event.ts):
   * for the verifiable log, which hashes what the store holds byte for byte.
   */
  readonly readsStoredEvents?: boolean;
  /**
   * Never set an event aside: an event it cannot fold is tried again until
   * it succeeds (readiness reports the lag meanwhile). For the verifiable
   * log, whose tree must hold every event of the log, in order, or none past it.
   */
  readonly neverParks?: boolean;
  /**
   * Live, read the log at most once in this many milliseconds
   * (SubscribeToAllOptions.coalesceMs), folding everything appended in
   * between as one batch, and be fed by a worker of its own so the others
   * still follow every append at once. For a projection whose readers need
   * no read-your-writes freshness: the verifiable log, whose checkpoints come
   * every few seconds, where following each append's wake-up cost the writers
   * more CPU than the leaves themselves (bench:verify).
   */
  readonly followEveryMs?: number;
}

/** How often a projection reads the log while following it live: followEveryMs, or 0 for every append's wake-up. */
export function followPaceOf(projection: Projection): number {
  return projection.followEveryMs ?? 0;
}

/** The SQL types of read-model columns, as @ledger/read-models declares them. */
export type { ColumnType } from '@ledger/read-models';
import type { ColumnType } from '@ledger/read-models';

/** A column value as the fold sees it: instants are canonical ISO strings, dates `YYYY-MM-DD`, bigints decimal strings. */
export type Value = string | number | boolean | null | Uint8Array | readonly unknown[] | { readonly [key: string]: unknown };
export type Row = Readonly<Record<string, Value>>;

export interface TableDefinition {
  readonly name: string;
  /** Column order is the order of the table and of the view over it. */
  readonly columns: Readonly<Record<string, ColumnType>>;
  readonly primaryKey: readonly string[];
  /**
   * Secondary indexes, as column lists (`'issued_at DESC'` allowed). A rebuild
   * creates them once the bulk load has caught up, which is much cheaper than
   * maintaining them row by row.
   */
  readonly indexes?: readonly (readonly string[])[];
  /** Published tables are what queries read, through a view named like the table in schema `read_models`. */
  readonly published: boolean;
  /**
   * Columns whose values do not compress (hashes): PostgreSQL stores a large
   * one out of line as it is (STORAGE EXTERNAL) instead of trying pglz on it
   * first, which costs as much as the rest of the write and gains nothing.
   */
  readonly incompressible?: readonly string[];
}

export interface RowRef {
  readonly table: string;
  /** Values of the table's primary key columns. */
  readonly key: Row;
}

export interface RowReader {
  /** The row as it stands after the events folded so far; `undefined` when there is none. */
  get(table: string, key: Row): Row | undefined;
}

/** Insert the row, or replace every column of the row with the same key. */
export interface PutRow {
  readonly kind: 'put';
  readonly table: string;
  readonly row: Row;
}

/** Change some columns of a row that exists; the fold need not have read it. */
export interface PatchRow {
  readonly kind: 'patch';
  readonly table: string;
  readonly key: Row;
  readonly set: Row;
}

/** Add to counter columns of the row with this key, creating it at zero first. */
export interface AddToCounters {
  readonly kind: 'add';
  readonly table: string;
  readonly key: Row;
  readonly counters: Readonly<Record<string, number>>;
}

/** Insert a row that is never changed afterwards (audit entries, steps, history). */
export interface AppendRow {
  readonly kind: 'append';
  readonly table: string;
  readonly row: Row;
}

export type RowChange = PutRow | PatchRow | AddToCounters | AppendRow;

export const put = (table: string, row: Row): PutRow => ({ kind: 'put', table, row });
export const patch = (table: string, key: Row, set: Row): PatchRow => ({ kind: 'patch', table, key, set });
export const addTo = (table: string, key: Row, counters: Record<string, number>): AddToCounters => ({
  kind: 'add',
  table,
  key,
  counters,
});
export const append = (table: string, row: Row): AppendRow => ({ kind: 'append', table, row });
export const ref = (table: string, key: Row): RowRef => ({ table, key });

export function handles(projection: Projection, type: string): boolean {
  return projection.eventTypes === 'all' ? !type.startsWith('$') : projection.eventTypes.includes(type);
}
