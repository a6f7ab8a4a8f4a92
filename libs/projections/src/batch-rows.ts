import type { Projection, Row, RowChange, RowReader, RowRef, TableDefinition } from './projection';
import { storableValue } from './storable-value';

/** A whole row to write (`insertOnly`: appended, so a plain insert), or columns to set on a stored row. */
type Pending =
  | { readonly kind: 'row'; readonly row: Row; readonly insertOnly: boolean }
  | { readonly kind: 'patch'; readonly key: Row; readonly set: Row };

export interface CounterDelta {
  readonly key: Row;
  readonly counters: Record<string, number>;
}

/** What one table needs written at the end of a batch. */
export interface TableWrites {
  readonly table: TableDefinition;
  readonly puts: Row[];
  readonly patches: { key: Row; set: Row }[];
  readonly counters: CounterDelta[];
  readonly appends: Row[];
}

/**
 * The unit of work of one batch for one projection: rows fetched before the
 * fold, and the changes the fold made, merged per primary key so that an
 * event that changes a row created earlier in the same batch costs no extra
 * statement. Reads see the merged state, so folding a batch here gives the
 * same result as folding its events one at a time against the database.
 */
export class BatchRows implements RowReader {
  private readonly tables: ReadonlyMap<string, TableDefinition>;
  /** Rows this batch fetched (null: asked for, absent). */
  private readonly loaded = new Map<string, Map<string, Row | null>>();
  /** Rows the previous batch fetched or wrote, as they stand once it commits. */
  private readonly carried = new Map<string, Map<string, Row | null>>();
  private readonly pending = new Map<string, Map<string, Pending>>();
  private readonly counters = new Map<string, Map<string, CounterDelta>>();
  /** Columns the previous batch set on rows it never read: applied to those rows when this batch fetches them. */
  private readonly carriedPatches = new Map<string, Map<string, Row>>();

  constructor(projection: Projection) {
    this.tables = new Map(projection.tables.map((table) => [table.name, table]));
  }

  /**
   * The rows of the batch after `previous`, knowing what `previous` left
   * behind: every row it read or wrote, as it stands once `previous` commits.
   * That lets this batch fold while `previous` is still being written: it
   * fetches only other keys, whose committed state `previous` cannot change.
   */
  static following(projection: Projection, previous: BatchRows | undefined): BatchRows {
    const rows = new BatchRows(projection);
    if (!previous) return rows;
    // Only one batch back: what `previous` itself carried is committed by now, and fetched again when needed.
    for (const [table, loaded] of previous.loaded) rows.carried.set(table, new Map(loaded));
    for (const [table, entries] of previous.pending) {
      for (const [id, entry] of entries) {
        if (entry.kind === 'row') rows.carriedTable(table).set(id, entry.row);
        else rows.carriedPatchesOf(table).set(id, entry.set);
      }
    }
    return rows;
  }

  /** Keys, per table, that the fold will read and that are neither loaded nor written yet. */
  missing(refs: Iterable<RowRef>): Map<string, Row[]> {
    const wanted = new Map<string, Map<string, Row>>();
    for (const { table, key } of refs) {
      const id = this.keyId(table, key);
      if (this.loaded.get(table)?.has(id) || this.carried.get(table)?.has(id) || this.pending.get(table)?.has(id)) continue;
      let keys = wanted.get(table);
      if (!keys) wanted.set(table, (keys = new Map()));
      keys.set(id, key);
    }
    return new Map([...wanted].map(([table, keys]) => [table, [...keys.values()]]));
  }

  /** Records fetched rows; keys asked for and not found are remembered as absent. */
  load(table: string, keys: readonly Row[], rows: readonly Row[]): void {
    const loaded = this.loadedTable(table);
    const patches = this.carriedPatches.get(table);
    for (const key of keys) loaded.set(this.keyId(table, key), null);
    for (const row of rows) {
      const id = this.keyId(table, row);
      const patch = patches?.get(id);
      loaded.set(id, patch ? { ...row, ...patch } : row);
    }
  }

  private loadedTable(table: string): Map<string, Row | null> {
    let loaded = this.loaded.get(table);
    if (!loaded) this.loaded.set(table, (loaded = new Map()));
    return loaded;
  }

  private carriedTable(table: string): Map<string, Row | null> {
    let carried = this.carried.get(table);
    if (!carried) this.carried.set(table, (carried = new Map()));
    return carried;
  }

  /** A row known without asking the database: fetched by this batch, or left by the previous one. */
  private known(table: string, id: string): Row | null | undefined {
    const loaded = this.loaded.get(table);
    if (loaded?.has(id)) return loaded.get(id);
    return this.carried.get(table)?.get(id);
  }

  private isKnown(table: string, id: string): boolean {
    return Boolean(this.loaded.get(table)?.has(id) || this.carried.get(table)?.has(id));
  }

  private carriedPatchesOf(table: string): Map<string, Row> {
    let patches = this.carriedPatches.get(table);
    if (!patches) this.carriedPatches.set(table, (patches = new Map()));
    return patches;
  }

  get(table: string, key: Row): Row | undefined {
    const id = this.keyId(table, key);
    const pending = this.pending.get(table)?.get(id);
    if (pending?.kind === 'row') return pending.row;
    if (!this.isKnown(table, id)) {
      throw new Error(`Fold read ${table} ${id} without naming it in reads(): it was never fetched`);
    }
    return this.known(table, id) ?? undefined;
  }

  apply(change: RowChange): void {
    switch (change.kind) {
      case 'put':
        return this.setPending(change.table, change.row, { kind: 'row', row: change.row, insertOnly: false });
      case 'patch':
        return this.applyPatch(change.table, change.key, change.set);
      case 'add':
        return this.addToCounters(change.table, change.key, change.counters);
      case 'append':
        return this.appendRow(change.table, change.row);
      default: {
        const exhaustive: never = change;
        throw new Error(`Unknown row change ${JSON.stringify(exhaustive)}`);
      }
    }
  }

  /** Everything to write, table by table, in the projection's table order. */
  writes(): TableWrites[] {
    return [...this.tables.values()].map((table) => {
      const pending = [...(this.pending.get(table.name)?.values() ?? [])];
      return {
        table,
        puts: pending.flatMap((entry) => (entry.kind === 'row' && !entry.insertOnly ? [entry.row] : [])),
        patches: pending.flatMap((entry) => (entry.kind === 'patch' ? [{ key: entry.key, set: entry.set }] : [])),
        counters: [...(this.counters.get(table.name)?.values() ?? [])],
        appends: pending.flatMap((entry) => (entry.kind === 'row' && entry.insertOnly ? [entry.row] : [])),
      };
    });
  }

  private applyPatch(table: string, key: Row, set: Row): void {
    const id = this.keyId(table, key);
    const pending = this.pending.get(table)?.get(id);
    if (pending?.kind === 'row') {
      if (pending.insertOnly) throw new Error(`${table} ${id} was appended, and appended rows never change`);
      return this.setPending(table, key, { kind: 'row', row: { ...pending.row, ...set }, insertOnly: false });
    }
    if (pending?.kind === 'patch') return this.setPending(table, key, { kind: 'patch', key, set: { ...pending.set, ...set } });
    const loaded = this.known(table, id);
    // A row we already hold is rewritten whole: one upsert instead of an UPDATE joined on its key.
    if (loaded) return this.setPending(table, key, { kind: 'row', row: { ...loaded, ...set }, insertOnly: false });
    this.setPending(table, key, { kind: 'patch', key: this.keyOnly(table, key), set });
  }

  private addToCounters(table: string, key: Row, counters: Readonly<Record<string, number>>): void {
    let deltas = this.counters.get(table);
    if (!deltas) this.counters.set(table, (deltas = new Map()));
    const id = this.keyId(table, key);
    const delta = deltas.get(id) ?? { key: this.keyOnly(table, key), counters: {} };
    for (const [column, by] of Object.entries(counters)) delta.counters[column] = (delta.counters[column] ?? 0) + by;
    deltas.set(id, delta);
  }

  /** Appended rows are kept by key too, so that later events of the batch can read them. */
  private appendRow(table: string, row: Row): void {
    const id = this.keyId(table, row);
    if (this.pending.get(table)?.has(id)) throw new Error(`${table} ${id} was written twice in one batch by an append`);
    this.setPending(table, row, { kind: 'row', row, insertOnly: true });
  }

  private setPending(table: string, keySource: Row, entry: Pending): void {
    let pending = this.pending.get(table);
    if (!pending) this.pending.set(table, (pending = new Map()));
    pending.set(this.keyId(table, keySource), entry);
  }

  private keyOnly(table: string, row: Row): Row {
    return Object.fromEntries(this.definition(table).primaryKey.map((column) => [column, row[column] ?? null]));
  }

  /**
   * A row's identity in this batch. Every key column must hold a value its
   * column can store: an event without one (written straight into the store,
   * say) cannot be folded into a row, and says so here instead of failing
   * the batch's writes in PostgreSQL.
   */
  private keyId(table: string, row: Row): string {
    const definition = this.definition(table);
    const values = definition.primaryKey.map((column) => {
      const value = storableValue(definition.columns[column], row[column]);
      if (value === null) throw new Error(`${table} has no usable ${column} for this event`);
      return value;
    });
    return values.length === 1 ? String(values[0]) : JSON.stringify(values);
  }

  private definition(table: string): TableDefinition {
    const definition = this.tables.get(table);
    if (!definition) throw new Error(`Unknown table ${table}`);
    return definition;
  }
}
