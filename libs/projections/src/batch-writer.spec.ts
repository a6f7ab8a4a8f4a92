import { type Pool, type PoolClient } from 'pg';
import { BatchRows } from './batch-rows';
import { createStagingTables, encodeWrites, queueWrite } from './batch-writer';
import { put, type Projection, type Row, type TableDefinition } from './projection';
import { QueryQueue } from './query-queue';
import { createTableSql, selectList } from './sql';
import { createTestDatabase, testPool } from '@ledger/platform/testing';

const SCHEMA = 'batch_writes';

const everyType: TableDefinition = {
  name: 'every_type',
  published: false,
  columns: {
    id: 'text',
    note: 'text',
    amount: 'bigint',
    count: 'integer',
    flag: 'boolean',
    at: 'timestamptz',
    day: 'date',
    doc: 'jsonb',
    raw: 'json',
    bytes: 'bytea',
  },
  primaryKey: ['id'],
  incompressible: ['bytes', 'doc'],
};

const projection: Projection = {
  name: 'batch_writes',
  version: 1,
  eventTypes: 'all',
  tables: [everyType],
  reads: () => [],
  fold: () => [],
};

/** Values COPY must escape and parameters must not: tabs, newlines, backslashes, quotes, a `\N`, JSON arrays and nesting. */
function rowOf(index: number, variant: string): Row {
  return {
    id: `row-${index}`,
    note: `${variant}\ttab\nline\\N back\\slash 'quote' "double" ñandú ${index}`,
    amount: String(2n ** 62n + BigInt(index)),
    count: 5 - index,
    flag: index % 2 === 0,
    at: '2024-02-29T23:59:59.999Z',
    day: '2024-02-29',
    doc: { list: [1, 'two', null, { three: [variant] }], text: 'a\tb\\c' },
    raw: [variant, index],
    bytes: Buffer.from([0, 1, 92, 9, 10, 255, index]),
  };
}

describe('projection writes, on PostgreSQL', () => {
  let database: { url: string; drop: () => Promise<void> };
  let pool: Pool;
  let client: PoolClient;
  let queue: QueryQueue;

  beforeAll(async () => {
    database = await createTestDatabase('batch_writes');
    pool = testPool({ connectionString: database.url, max: 2 });
    await pool.query(`CREATE SCHEMA ${SCHEMA}`);
    await pool.query(createTableSql(SCHEMA, everyType));
    client = await pool.connect();
    queue = new QueryQueue(client);
    await createStagingTables(queue, projection, SCHEMA);
  });

  afterAll(async () => {
    client.release();
    await pool.end();
    await database.drop();
  });

  async function putRows(rows: readonly Row[]): Promise<string[]> {
    const batch = new BatchRows(projection);
    for (const row of rows) batch.apply(put(everyType.name, row));
    const writes = encodeWrites(SCHEMA, batch);
    await queue.query('BEGIN');
    for (const write of writes) await queueWrite(queue, write);
    await queue.query('COMMIT');
    return writes.map((write) => (typeof write === 'string' ? write : 'text' in write ? write.text : 'COPY')).map((text) => text.split(' ')[0]);
  }

  async function stored(ids: readonly string[]): Promise<Row[]> {
    const { rows } = await pool.query(`SELECT ${selectList(everyType)} FROM ${SCHEMA}.every_type WHERE id = ANY($1) ORDER BY id`, [ids]);
    return rows as Row[];
  }

  it('stores a few puts through one statement with parameters exactly as many go through the staging table', async () => {
    const few = Array.from({ length: 3 }, (_, index) => rowOf(index, 'few'));
    const many = Array.from({ length: 40 }, (_, index) => rowOf(100 + index, 'many'));

    // A few rows: one INSERT … VALUES, no COPY and no staging table.
    expect(await putRows(few)).toEqual(['INSERT']);
    // Many: COPY into the staging table, merged from it, the stage emptied.
    expect(await putRows(many)).toEqual(['COPY', 'INSERT', 'DELETE']);

    const [storedFew, storedMany] = [await stored(few.map((row) => String(row.id))), await stored(many.map((row) => String(row.id)))];
    expect(storedFew).toEqual(few.map((row) => ({ ...row, bytes: Buffer.from(row.bytes as Buffer) })));
    expect(storedMany).toEqual(many.map((row) => ({ ...row, bytes: Buffer.from(row.bytes as Buffer) })));
  });

  it('replaces every column of a stored row on either path, and a value the column cannot take is stored as null', async () => {
    const first = rowOf(7, 'first');
    await putRows([first]);
    const replaced: Row = { ...rowOf(7, 'second'), count: 2 ** 40, day: 'not a date', at: 'yesterday' };
    expect(await putRows([replaced])).toEqual(['INSERT']);
    const [row] = await stored(['row-7']);
    expect(row).toEqual({ ...replaced, count: null, day: null, at: null, bytes: Buffer.from(replaced.bytes as Buffer) });

    const many = Array.from({ length: 20 }, (_, index): Row => ({ ...rowOf(index, 'again'), note: null }));
    await putRows(many);
    expect((await stored(['row-0']))[0]).toEqual({ ...many[0], bytes: Buffer.from(many[0].bytes as Buffer) });
  });

  it('stores the incompressible columns out of line as they are, without trying pglz', async () => {
    const { rows } = await pool.query<{ attname: string; attstorage: string }>(
      `SELECT attname, attstorage FROM pg_attribute WHERE attrelid = '${SCHEMA}.every_type'::regclass AND attname IN ('bytes', 'doc', 'raw', 'note') ORDER BY attname`,
    );
    expect(rows).toEqual([
      { attname: 'bytes', attstorage: 'e' },
      { attname: 'doc', attstorage: 'e' },
      { attname: 'note', attstorage: 'x' },
      { attname: 'raw', attstorage: 'x' },
    ]);
  });
});
