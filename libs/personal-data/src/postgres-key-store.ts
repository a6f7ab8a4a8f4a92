import type { Pool } from 'pg';
import type { DataKeyRecord, NewDataKey, PersonalDataKeyStore } from './personal-data-key-store.port';

export const KEYS_TABLE = 'ledger.personal_data_keys';

/**
 * The key store's table (the ledger's migration version 2). One row per
 * subject: the wrapped data key while it lives; NULL and the instant of
 * erasure once destroyed. Nothing here is personal data: the subject id is
 * the keyed hash every read model carries, the key id is random.
 */
export const PERSONAL_DATA_KEYS_SQL = `
  CREATE TABLE ${KEYS_TABLE} (
    subject_id text PRIMARY KEY,
    key_id text NOT NULL UNIQUE,
    wrapped_key bytea,
    master_key_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    erased_at timestamptz,
    CONSTRAINT personal_data_keys_live_or_erased CHECK ((erased_at IS NULL) = (wrapped_key IS NOT NULL AND master_key_id IS NOT NULL))
  );`;

interface KeyRow {
  subject_id: string;
  key_id: string;
  wrapped_key: Buffer | null;
  master_key_id: string | null;
  erased_at: Date | null;
}

const COLUMNS = 'subject_id, key_id, wrapped_key, master_key_id, erased_at';
/** Subjects per lookup: a batch of events names at most this many. */
const MAX_SUBJECTS_PER_QUERY = 10_000;

export class PostgresKeyStore implements PersonalDataKeyStore {
  constructor(private readonly pool: Pool) {}

  async ensureKey(subjectId: string, candidate: NewDataKey): Promise<DataKeyRecord> {
    // Two writers may race for a new subject: the first insert wins and both get the winner's key (the loser by a read).
    const { rows } = await this.pool.query<KeyRow>({
      name: 'ledger_ensure_data_key',
      text: `INSERT INTO ${KEYS_TABLE} (subject_id, key_id, wrapped_key, master_key_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (subject_id) DO NOTHING RETURNING ${COLUMNS}`,
      values: [subjectId, candidate.keyId, candidate.wrappedKey, candidate.masterKeyId],
    });
    if (rows[0]) return recordOf(rows[0]);
    const [record] = await this.findBySubjects([subjectId]);
    if (!record) throw new Error('the key store lost a key it had just stored');
    return record;
  }

  async findBySubjects(subjectIds: readonly string[]): Promise<DataKeyRecord[]> {
    if (subjectIds.length === 0) return [];
    if (subjectIds.length > MAX_SUBJECTS_PER_QUERY) throw new RangeError(`at most ${MAX_SUBJECTS_PER_QUERY} subjects per lookup`);
    const { rows } = await this.pool.query<KeyRow>({ name: 'ledger_find_data_keys', text: `SELECT ${COLUMNS} FROM ${KEYS_TABLE} WHERE subject_id = ANY($1::text[])`, values: [subjectIds] });
    return rows.map(recordOf);
  }

  async destroy(subjectId: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${KEYS_TABLE} (subject_id, key_id, wrapped_key, master_key_id, erased_at) VALUES ($1, md5(random()::text || clock_timestamp()::text), NULL, NULL, now())
       ON CONFLICT (subject_id) DO UPDATE SET wrapped_key = NULL, master_key_id = NULL, erased_at = COALESCE(${KEYS_TABLE}.erased_at, now())`,
      [subjectId],
    );
    // The old row version still holds the wrapped key until vacuumed; do it now rather than at autovacuum's leisure.
    // (Backups and WAL archived before this moment still hold it: see the README on erasure.)
    await this.pool.query(`VACUUM ${KEYS_TABLE}`).catch(() => undefined);
  }

  async masterKeyIds(): Promise<string[]> {
    const { rows } = await this.pool.query<{ master_key_id: string }>(`SELECT DISTINCT master_key_id FROM ${KEYS_TABLE} WHERE master_key_id IS NOT NULL`);
    return rows.map((row) => row.master_key_id);
  }
}

function recordOf(row: KeyRow): DataKeyRecord {
  if (row.wrapped_key === null || row.master_key_id === null || row.erased_at !== null) {
    return { subjectId: row.subject_id, keyId: row.key_id, status: 'erased', erasedAt: (row.erased_at ?? new Date(0)).toISOString() };
  }
  return { subjectId: row.subject_id, keyId: row.key_id, status: 'live', wrappedKey: row.wrapped_key, masterKeyId: row.master_key_id };
}
