import type { ColumnType, Row, TableDefinition, Value } from './projection';

/**
 * SQL for projection tables. Every multi-row statement passes one array per
 * column and expands them with `unnest`, so a statement has a handful of
 * parameters whatever the number of rows, and PostgreSQL parses it once.
 */

export interface Statement {
  readonly text: string;
  readonly values: unknown[];
}

export function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unexpected SQL identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

export function qualified(schema: string, table: string): string {
  return `${ident(schema)}.${ident(table)}`;
}

/** Canonical instant text, the same form the domain writes into events. */
export function isoInstantSql(expression: string): string {
  return `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** Reads a column back in the form the fold wrote it (dates and instants as text, not JS Dates). */
export function selectColumn(column: string, type: ColumnType, alias = ''): string {
  const name = `${alias}${ident(column)}`;
  if (type === 'timestamptz') return `${isoInstantSql(name)} AS ${ident(column)}`;
  if (type === 'date') return `${name}::text AS ${ident(column)}`;
  return name;
}

export function selectList(table: TableDefinition, alias = ''): string {
  return Object.entries(table.columns)
    .map(([column, type]) => selectColumn(column, type, alias))
    .join(', ');
}

export function createTableSql(schema: string, table: TableDefinition): string {
  const columns = Object.entries(table.columns).map(([column, type]) => `${ident(column)} ${type}`);
  const key = table.primaryKey.map(ident).join(', ');
  return `CREATE TABLE ${qualified(schema, table.name)} (${columns.join(', ')}, PRIMARY KEY (${key}))`;
}

export function createIndexSql(schema: string, table: TableDefinition, columns: readonly string[]): string {
  const list = columns.map((column) => {
    const [name, direction] = column.split(' ');
    return direction ? `${ident(name)} ${direction === 'DESC' ? 'DESC' : 'ASC'}` : ident(name);
  });
  return `CREATE INDEX ON ${qualified(schema, table.name)} (${list.join(', ')})`;
}

function arrayOf(type: ColumnType, rows: readonly Row[], column: string): unknown[] {
  if (type === 'jsonb') return rows.map((row) => (row[column] == null ? null : JSON.stringify(row[column])));
  return rows.map((row) => (row[column] === undefined ? null : row[column]));
}

function unnestOf(table: TableDefinition, columns: readonly string[], firstParameter = 1): string {
  const parameters = columns.map((column, index) => `$${firstParameter + index}::${table.columns[column]}[]`);
  return `unnest(${parameters.join(', ')})`;
}

function columnsOf(table: TableDefinition, columns: readonly string[]): string {
  for (const column of columns) {
    if (!(column in table.columns)) throw new Error(`Table ${table.name} has no column ${column}`);
  }
  return columns.map(ident).join(', ');
}

/** Inserts rows, replacing every non-key column of rows whose key exists. */
export function upsertStatement(schema: string, table: TableDefinition, rows: readonly Row[]): Statement {
  const columns = Object.keys(table.columns);
  const others = columns.filter((column) => !table.primaryKey.includes(column));
  const onConflict =
    others.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${others.map((column) => `${ident(column)} = EXCLUDED.${ident(column)}`).join(', ')}`;
  return {
    text:
      `INSERT INTO ${qualified(schema, table.name)} (${columnsOf(table, columns)}) ` +
      `SELECT * FROM ${unnestOf(table, columns)} ON CONFLICT (${columnsOf(table, table.primaryKey)}) ${onConflict}`,
    values: columns.map((column) => arrayOf(table.columns[column], rows, column)),
  };
}

/** Inserts rows that cannot exist yet (append-only tables). */
export function insertStatement(schema: string, table: TableDefinition, rows: readonly Row[]): Statement {
  const columns = Object.keys(table.columns);
  return {
    text: `INSERT INTO ${qualified(schema, table.name)} (${columnsOf(table, columns)}) SELECT * FROM ${unnestOf(table, columns)}`,
    values: columns.map((column) => arrayOf(table.columns[column], rows, column)),
  };
}

/** Sets the same columns on many rows, each to its own value. Callers group patches by the columns they set. */
export function patchStatement(
  schema: string,
  table: TableDefinition,
  setColumns: readonly string[],
  patches: readonly { key: Row; set: Row }[],
): Statement {
  const keyColumns = table.primaryKey;
  const columns = [...keyColumns, ...setColumns];
  const rows = patches.map(({ key, set }) => ({ ...set, ...key }));
  const assignments = setColumns.map((column) => `${ident(column)} = v.${ident(column)}`).join(', ');
  const match = keyColumns.map((column) => `t.${ident(column)} = v.${ident(column)}`).join(' AND ');
  return {
    text:
      `UPDATE ${qualified(schema, table.name)} AS t SET ${assignments} ` +
      `FROM ${unnestOf(table, columns)} AS v(${columnsOf(table, columns)}) WHERE ${match}`,
    values: columns.map((column) => arrayOf(table.columns[column], rows, column)),
  };
}

/**
 * Adds deltas to counter columns, inserting missing rows with the delta as
 * their value. Deltas are summed per key in SQL as well, so two spellings of
 * one instant in a key still make one row.
 */
export function addToCountersStatement(
  schema: string,
  table: TableDefinition,
  counterColumns: readonly string[],
  deltas: readonly { key: Row; counters: Readonly<Record<string, number>> }[],
): Statement {
  const keyColumns = table.primaryKey;
  const columns = [...keyColumns, ...counterColumns];
  const rows = deltas.map(({ key, counters }) => ({ ...key, ...counters }) as Record<string, Value>);
  const sums = counterColumns.map((column) => `sum(v.${ident(column)})::${table.columns[column]}`);
  const additions = counterColumns.map((column) => `${ident(column)} = t.${ident(column)} + EXCLUDED.${ident(column)}`);
  const keys = keyColumns.map((column) => `v.${ident(column)}`).join(', ');
  return {
    text:
      `INSERT INTO ${qualified(schema, table.name)} AS t (${columnsOf(table, columns)}) ` +
      `SELECT ${keys}, ${sums.join(', ')} FROM ${unnestOf(table, columns)} AS v(${columnsOf(table, columns)}) ` +
      `GROUP BY ${keys} ON CONFLICT (${columnsOf(table, keyColumns)}) DO UPDATE SET ${additions.join(', ')}`,
    values: columns.map((column) => arrayOf(table.columns[column], rows, column)),
  };
}

/** Fetches rows by primary key. */
export function selectByKeysStatement(schema: string, table: TableDefinition, keys: readonly Row[]): Statement {
  const keyColumns = table.primaryKey;
  const from = qualified(schema, table.name);
  if (keyColumns.length === 1) {
    const [column] = keyColumns;
    return {
      text: `SELECT ${selectList(table)} FROM ${from} WHERE ${ident(column)} = ANY($1::${table.columns[column]}[])`,
      values: [arrayOf(table.columns[column], keys, column)],
    };
  }
  const match = keyColumns.map((column) => `t.${ident(column)} = k.${ident(column)}`).join(' AND ');
  return {
    text:
      `SELECT ${selectList(table, 't.')} FROM ${from} AS t ` +
      `JOIN ${unnestOf(table, keyColumns)} AS k(${columnsOf(table, keyColumns)}) ON ${match}`,
    values: keyColumns.map((column) => arrayOf(table.columns[column], keys, column)),
  };
}
