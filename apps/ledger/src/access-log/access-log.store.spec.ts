import { createHash } from 'node:crypto';
import { type Pool } from 'pg';
import { createTestDatabase, testPool } from '@ledger/platform/testing';
import { LEDGER_MIGRATIONS, migrateLedgerSchema } from '@ledger/ledger-schema';
import type { AccessLogEntry } from './access-log-entry';
import { insertAccessLogEntries, listAccessLog, subjectColumnsOf, subjectKeyOf } from './access-log.store';

/** A subject id as the ledger makes them (a keyed hash: spread over the whole key space), or one with a chosen beginning. */
const hex = (n: number, prefix = '') => prefix + createHash('sha256').update(`subject ${n}`).digest('hex').slice(prefix.length);

function entry(n: number, subjectIds: readonly string[]): AccessLogEntry {
  return {
    readAt: new Date(Date.UTC(2026, 11, 1, 10, 0, 0, n)).toISOString(),
    actorId: `auditor-${n % 2}`,
    actorRole: 'comptroller',
    actorOrganizationId: 'SECOGEF',
    actorJurisdiction: null,
    route: '/v1/certificates',
    correlationId: `c-${n}`,
    subjectIds,
  };
}

describe('the access log in PostgreSQL', () => {
  let database: { url: string; drop: () => Promise<void> };
  let pool: Pool;

  beforeEach(async () => {
    database = await createTestDatabase('access_log');
    pool = testPool({ connectionString: database.url, max: 2 });
  });

  afterEach(async () => {
    await pool.end();
    await database.drop();
  });

  it('keeps each entry its subjects in order and finds a subject through its key, never through a key it merely shares', async () => {
    await migrateLedgerSchema(pool);
    // Two subjects whose first 8 bytes (the index key) are the same: a lookup must tell them apart.
    const twin = hex(1, 'ab'.repeat(8));
    const other = hex(2, 'ab'.repeat(8));
    expect(subjectKeyOf(twin)).toBe(subjectKeyOf(other));
    await insertAccessLogEntries(pool, [entry(1, [hex(9), twin]), entry(2, [other]), entry(3, [hex(8), hex(9), hex(7)])]);

    const all = await listAccessLog(pool, {}, {});
    expect(all.items.map((item) => item.subjectIds)).toEqual([[hex(9), twin], [other], [hex(8), hex(9), hex(7)]]);
    expect((await listAccessLog(pool, { subjectId: twin }, {})).items.map((item) => item.correlationId)).toEqual(['c-1']);
    expect((await listAccessLog(pool, { subjectId: other }, {})).items.map((item) => item.correlationId)).toEqual(['c-2']);
    expect((await listAccessLog(pool, { subjectId: hex(9) }, {})).items.map((item) => item.correlationId)).toEqual(['c-1', 'c-3']);
    expect((await listAccessLog(pool, { subjectId: hex(9), actorId: 'auditor-1' }, {})).items.map((item) => item.correlationId)).toEqual(['c-1', 'c-3']);
    expect((await listAccessLog(pool, { subjectId: hex(5) }, {})).items).toEqual([]);
  });

  it('writes the same subjects for a frozen list encoded once as for a list encoded at every entry', async () => {
    await migrateLedgerSchema(pool);
    const holders = Object.freeze([hex(3), hex(4)]);
    expect(subjectColumnsOf(holders)).toBe(subjectColumnsOf(holders));
    expect(subjectColumnsOf(holders)).toEqual(subjectColumnsOf([hex(3), hex(4)]));
    await insertAccessLogEntries(pool, [entry(1, holders), entry(2, holders), entry(3, [hex(3), hex(4)])]);
    const all = await listAccessLog(pool, {}, {});
    expect(all.items.map((item) => item.subjectIds)).toEqual([[hex(3), hex(4)], [hex(3), hex(4)], [hex(3), hex(4)]]);
    expect((await listAccessLog(pool, { subjectId: hex(4) }, {})).items.map((item) => item.correlationId)).toEqual(['c-1', 'c-2', 'c-3']);
  });

  it('uses the subject index for a lookup by subject', async () => {
    await migrateLedgerSchema(pool);
    const entries = Array.from({ length: 2_000 }, (_, n) => entry(n, [hex(n), hex(n + 1)]));
    await insertAccessLogEntries(pool, entries);
    await pool.query('ANALYZE ledger.access_log');
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT entry_id FROM ledger.access_log WHERE subject_keys @> ARRAY[$1::bigint] AND $2 = ANY (ledger.access_log_subject_ids(subject_ids))`,
      [subjectKeyOf(hex(77)), hex(77)],
    );
    expect(rows.map((row) => row['QUERY PLAN']).join('\n')).toContain('access_log_subject_keys');
  });

  it('migrates entries written as hex texts (migration 3) to bytes and keys, keeping their ids, times and order', async () => {
    await migrateLedgerSchema(pool, LEDGER_MIGRATIONS.filter((migration) => migration.version <= 3));
    await pool.query(
      `INSERT INTO ledger.access_log (read_at, actor_id, actor_role, actor_org, actor_jurisdiction, route, correlation_id, subject_ids)
       VALUES ('2026-11-30T10:00:00Z', 'auditor-1', 'comptroller', 'SECOGEF', NULL, '/v1/certificates', 'old-1', $1::text[]),
              ('2026-11-30T10:00:01Z', 'auditor-2', 'privacy', 'INAI', NULL, '/v1/people/{subjectId}/personal-data', 'old-2', $2::text[])`,
      [[hex(3), hex(1), hex(2)], [hex(1)]],
    );
    const before = await listAccessLog(pool, {}, {});

    expect(await migrateLedgerSchema(pool)).toEqual(LEDGER_MIGRATIONS.filter((migration) => migration.version > 3).map((migration) => migration.version));
    await insertAccessLogEntries(pool, [entry(5, [hex(1)])]);

    const after = await listAccessLog(pool, {}, {});
    expect(after.items.slice(0, 2)).toEqual(before.items);
    expect(after.items.map((item) => item.subjectIds)).toEqual([[hex(3), hex(1), hex(2)], [hex(1)], [hex(1)]]);
    expect((await listAccessLog(pool, { subjectId: hex(1) }, {})).items.map((item) => item.correlationId)).toEqual(['old-1', 'old-2', 'c-5']);
    // Still append-only after the rewrite.
    await expect(pool.query(`UPDATE ledger.access_log SET route = '/v1/people'`)).rejects.toThrow(/append-only/);
  });

  it('refuses an entry whose stored subjects are not whole subject ids with a key each', async () => {
    await migrateLedgerSchema(pool);
    const insert = (bytes: Buffer, keys: string) =>
      pool.query(
        `INSERT INTO ledger.access_log (read_at, actor_id, actor_role, actor_org, route, correlation_id, subject_ids, subject_keys)
         VALUES (now(), 'a', 'comptroller', 'o', '/v1/certificates', 'c', $1, $2::bigint[])`,
        [bytes, keys],
      );
    await expect(insert(Buffer.alloc(0), '{}')).rejects.toThrow(/access_log_subjects_shape/);
    await expect(insert(Buffer.alloc(31), '{1}')).rejects.toThrow(/access_log_subjects_shape/);
    await expect(insert(Buffer.alloc(64), '{1}')).rejects.toThrow(/access_log_subjects_shape/);
  });
});
