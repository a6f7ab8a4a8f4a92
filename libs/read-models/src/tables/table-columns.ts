/** The SQL types read-model columns have (the projections' DDL uses the same names). */
export type ColumnType = 'text' | 'bigint' | 'integer' | 'boolean' | 'timestamptz' | 'date' | 'json' | 'jsonb' | 'bytea';

/** A table's columns, in table order: the one declaration a projection's DDL, a query's column list and its row type derive from. */
export type Columns = Readonly<Record<string, ColumnType>>;

/** How a column arrives in a query's row when selected with selectColumns: instants as ISO text, bigints as decimal text. */
type Selected<T extends ColumnType> = T extends 'integer'
  ? number
  : T extends 'boolean'
    ? boolean
    : T extends 'json' | 'jsonb'
      ? unknown
      : T extends 'bytea'
        ? Buffer
        : string;

/**
 * The row a query gets for `Names` of `C`, selected with selectColumns: every
 * column may be null except those in `NotNull` (the key, and what the fold
 * always writes).
 */
export type SelectedRow<C extends Columns, Names extends keyof C & string, NotNull extends Names = never> = {
  -readonly [K in Names]: K extends NotNull ? Selected<C[K]> : Selected<C[K]> | null;
};

/**
 * The SELECT list of `names` of a table aliased `alias`, each under its own
 * name: instants through read_models.iso_instant (canonical ISO text, the
 * same on every server), dates as `YYYY-MM-DD`, bigints as text (positions
 * pass 2^53 on EventStoreDB).
 */
export function selectColumns<C extends Columns>(
  columns: C,
  alias: string,
  names: readonly (keyof C & string)[],
  /** An expression of its own for a column, selected under the column's name. */
  expressions: Partial<Record<keyof C & string, string>> = {},
): string {
  return names
    .map((name) => {
      const expression = expressions[name];
      if (expression !== undefined) return `${expression} AS ${name}`;
      const type = columns[name];
      if (type === undefined) throw new Error(`no column ${name}`);
      if (type === 'timestamptz') return `read_models.iso_instant(${alias}.${name}) AS ${name}`;
      if (type === 'bigint') return `${alias}.${name}::text AS ${name}`;
      if (type === 'date') return `to_char(${alias}.${name}, 'YYYY-MM-DD') AS ${name}`;
      return `${alias}.${name}`;
    })
    .join(', ');
}
