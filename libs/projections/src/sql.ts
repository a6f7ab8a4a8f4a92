import type { ColumnType, Row, TableDefinition, Value } from './projection';
import { storableValue, storedText } from './storable-value';

/**
 * SQL for projection tables. Rows reach PostgreSQL by COPY (see
 * batch-writer.ts); a fetch by many keys passes one array per key column and
 * expands them with `unnest`, so it has a handful of parameters whatever the
 * number of keys.
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
  const storage = (table.incompressible ?? []).map((column) => `; ALTER TABLE ${qualified(schema, table.name)} ALTER COLUMN ${ident(column)} SET STORAGE EXTERNAL`);
  return `CREATE TABLE ${qualified(schema, table.name)} (${columns.join(', ')}, PRIMARY KEY (${key}))${storage.join('')}`;
}

export function createIndexSql(schema: string, table: TableDefinition, columns: readonly string[]): string {
  const list = columns.map((column) => {
    const [name, direction] = column.split(' ');
    return direction ? `${ident(name)} ${direction === 'DESC' ? 'DESC' : 'ASC'}` : ident(name);
  });
  return `CREATE INDEX ON ${qualified(schema, table.name)} (${list.join(', ')})`;
}

function arrayOf(type: ColumnType, rows: readonly Row[], column: string): unknown[] {
  const values = rows.map((row) => storableValue(type, row[column]));
  if (type === 'jsonb' || type === 'json') return values.map((value) => (value === null ? null : JSON.stringify(value)));
  return values;
}

function unnestOf(table: TableDefinition, columns: readonly string[], firstParameter = 1): string {
  const parameters = columns.map((column, index) => `$${firstParameter + index}::${table.columns[column]}[]`);
  return `unnest(${parameters.join(', ')})`;
}

export function columnsOf(table: TableDefinition, columns: readonly string[]): string {
  for (const column of columns) {
    if (!(column in table.columns)) throw new Error(`Table ${table.name} has no column ${column}`);
  }
  return columns.map(ident).join(', ');
}

/**
 * Inserts these rows, replacing every non-key column of rows whose key
 * exists, with the values as parameters: for the few rows a batch following
 * the log puts (a projection's head row, say), where staging them would cost
 * a COPY, a DELETE and, at commit, the truncation of every staging table of
 * the session (PostgreSQL truncates ON COMMIT DELETE ROWS tables whenever a
 * transaction touched a temporary table). Keys are distinct, as BatchRows
 * keeps one put per key.
 */
export function upsertValuesStatement(target: string, table: TableDefinition, rows: readonly Row[]): Statement {
  const columns = Object.keys(table.columns);
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = columns.map((column) => {
      const type = table.columns[column];
      values.push(storedText(type, row[column]));
      return `$${values.length}::${type}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  return { text: `INSERT INTO ${target} (${columnsOf(table, columns)}) VALUES ${tuples.join(', ')} ${onConflictReplace(table)}`, values };
}

function onConflictReplace(table: TableDefinition): string {
  const others = Object.keys(table.columns).filter((column) => !table.primaryKey.includes(column));
  const action = others.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${others.map((column) => `${ident(column)} = EXCLUDED.${ident(column)}`).join(', ')}`;
  return `ON CONFLICT (${columnsOf(table, table.primaryKey)}) ${action}`;
}

/**
 * Writes from a staging table (a temporary copy of the table's columns that
 * the batch filled with COPY): inserts its rows, replacing every non-key
 * column of rows whose key exists.
 */
export function upsertFromStage(target: string, stage: string, table: TableDefinition): string {
  const list = columnsOf(table, Object.keys(table.columns));
  return `INSERT INTO ${target} (${list}) SELECT ${list} FROM ${stage} ${onConflictReplace(table)}`;
}

/** Sets some columns of stored rows to the staged values, matching on the primary key. */
export function patchFromStage(target: string, stage: string, table: TableDefinition, setColumns: readonly string[]): string {
  const assignments = setColumns.map((column) => `${ident(column)} = s.${ident(column)}`).join(', ');
  const match = table.primaryKey.map((column) => `t.${ident(column)} = s.${ident(column)}`).join(' AND ');
  return `UPDATE ${target} AS t SET ${assignments} FROM ${stage} AS s WHERE ${match}`;
}

/**
 * Adds staged deltas to counter columns, inserting missing rows with the
 * delta as their value. Deltas are summed per key in SQL as well, so two
 * spellings of one instant in a key still make one row.
 */
export function addToCountersFromStage(target: string, stage: string, table: TableDefinition, counterColumns: readonly string[]): string {
  const keys = columnsOf(table, table.primaryKey);
  const sums = counterColumns.map((column) => `sum(${ident(column)})::${table.columns[column]}`);
  const additions = counterColumns.map((column) => `${ident(column)} = t.${ident(column)} + EXCLUDED.${ident(column)}`);
  return (
    `INSERT INTO ${target} AS t (${keys}, ${columnsOf(table, counterColumns)}) ` +
    `SELECT ${keys}, ${sums.join(', ')} FROM ${stage} GROUP BY ${keys} ` +
    `ON CONFLICT (${keys}) DO UPDATE SET ${additions.join(', ')}`
  );
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
