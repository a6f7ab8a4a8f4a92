import { randomBytes } from 'node:crypto';
import { type Pool } from 'pg';
import { PERSONAL_DATA_KEYS_SQL, PostgresKeyStore } from './postgres-key-store';
import { createTestDatabase, testPool } from '@ledger/platform/testing';

const candidate = (keyId: string) => ({ keyId, wrappedKey: randomBytes(60), masterKeyId: 'master-1' });

describe('the key store in PostgreSQL', () => {
  let database: { url: string; drop: () => Promise<void> };
  let pool: Pool;
  let store: PostgresKeyStore;

  beforeAll(async () => {
    database = await createTestDatabase('key_store');
    pool = testPool({ connectionString: database.url, max: 4 });
    await pool.query('CREATE SCHEMA ledger');
    await pool.query(PERSONAL_DATA_KEYS_SQL);
    store = new PostgresKeyStore(pool);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it("stores a new subject's key and gives it back as stored", async () => {
    const offered = candidate('key-a');
    const record = await store.ensureKey('subject-a', offered);
    expect(record).toEqual({ subjectId: 'subject-a', keyId: 'key-a', status: 'live', wrappedKey: offered.wrappedKey, masterKeyId: 'master-1' });
    expect(await store.findBySubjects(['subject-a'])).toEqual([record]);
  });

  it('keeps the first key of a subject: a later or concurrent offer gets that key, never its own', async () => {
    const first = await store.ensureKey('subject-b', candidate('key-b1'));
    expect((await store.ensureKey('subject-b', candidate('key-b2'))).keyId).toBe('key-b1');
    const raced = await Promise.all(Array.from({ length: 8 }, (_, n) => store.ensureKey('subject-c', candidate(`key-c${n}`))));
    expect(new Set(raced.map((record) => record.keyId)).size).toBe(1);
    expect(first.status).toBe('live');
    const { rows } = await pool.query(`SELECT count(*)::int AS keys FROM ledger.personal_data_keys WHERE subject_id IN ('subject-b', 'subject-c')`);
    expect(rows[0].keys).toBe(2);
  });

  it('gives an erased subject as erased, and never a new key for it', async () => {
    await store.ensureKey('subject-d', candidate('key-d'));
    await store.destroy('subject-d');
    const again = await store.ensureKey('subject-d', candidate('key-d2'));
    expect(again).toMatchObject({ subjectId: 'subject-d', keyId: 'key-d', status: 'erased' });
  });
});
