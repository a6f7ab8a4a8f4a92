import type { Pool } from 'pg';
import { decodeCursor, instantOf, pageOf, pageSize, type Page } from '@ledger/read-models';
import type { AccessLogEntry } from './access-log-entry';

/** Columns per entry in the multi-row INSERT; PostgreSQL takes at most 65,535 parameters per statement. */
const COLUMNS = 9;
export const MAX_ROWS_PER_INSERT = Math.floor(65_535 / COLUMNS);

/**
 * Writes a batch of entries in one multi-row INSERT: one round trip and one
 * commit (one WAL flush) for the whole batch, all or nothing.
 */
export async function insertAccessLogEntries(pool: Pool, entries: readonly AccessLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (entries.length > MAX_ROWS_PER_INSERT) throw new Error(`At most ${MAX_ROWS_PER_INSERT} access log entries per INSERT`);
  const values: unknown[] = [];
  const rows: string[] = [];
  for (const entry of entries) {
    const at = values.length;
    const subjects = subjectColumnsOf(entry.subjectIds);
    values.push(entry.readAt, entry.actorId, entry.actorRole, entry.actorOrganizationId, entry.actorJurisdiction, entry.route, entry.correlationId, subjects.bytes, subjects.keys);
    rows.push(`($${at + 1}::timestamptz, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, $${at + 7}, $${at + 8}::bytea, $${at + 9}::bigint[])`);
  }
  await pool.query(
    `INSERT INTO ledger.access_log (read_at, actor_id, actor_role, actor_org, actor_jurisdiction, route, correlation_id, subject_ids, subject_keys)
     VALUES ${rows.join(', ')}`,
    values,
  );
}

/**
 * How an entry's subjects are stored (ledger migration 4): their bytes one
 * after the other, and the first 8 bytes of each as a signed 64-bit key, the
 * GIN index's. Subject ids are 64 hex characters (checked by the writer).
 */
export function subjectColumnsOf(subjectIds: readonly string[]): SubjectColumns {
  const known = columnsOfLists.get(subjectIds);
  if (known) return known;
  const columns: SubjectColumns = { bytes: Buffer.from(subjectIds.join(''), 'hex'), keys: `{${subjectIds.map(subjectKeyOf).join(',')}}` };
  // A frozen list (the holders of a kept page, recorded at every showing) is encoded once.
  if (Object.isFrozen(subjectIds)) columnsOfLists.set(subjectIds, columns);
  return columns;
}

interface SubjectColumns {
  readonly bytes: Buffer;
  readonly keys: string;
}

const columnsOfLists = new WeakMap<readonly string[], SubjectColumns>();

/** A subject's key in the index: its first 8 bytes as a signed 64-bit integer, in decimal. */
export function subjectKeyOf(subjectId: string): string {
  return BigInt.asIntN(64, BigInt(`0x${subjectId.slice(0, 16)}`)).toString();
}

function subjectIdsOf(bytes: Buffer): string[] {
  const ids: string[] = [];
  for (let at = 0; at < bytes.length; at += 32) ids.push(bytes.toString('hex', at, at + 32));
  return ids;
}

export interface AccessLogFilters {
  readonly subjectId?: string;
  readonly actorId?: string;
  readonly role?: string;
  readonly organizationId?: string;
  readonly route?: string;
  readonly correlationId?: string;
  /** Bounds on readAt, inclusive; dates or instants (`to` as a date covers that day). */
  readonly from?: string;
  readonly to?: string;
}

/** An entry as GET /v1/audit/access lists it. */
export interface AccessLogEntryView {
  entryId: string;
  readAt: string;
  actor: { id: string; role: string; organizationId: string; jurisdiction: string | null };
  route: string;
  correlationId: string;
  subjectIds: string[];
}

interface AccessLogRow {
  entry_id: string;
  read_at: string;
  actor_id: string;
  actor_role: string;
  actor_org: string;
  actor_jurisdiction: string | null;
  route: string;
  correlation_id: string;
  /** The stored bytes, or (for a scoped comptroller) the ids already chosen in SQL. */
  subject_ids: Buffer | string[];
}

/**
 * A page of the access log in the order entries were written (entry_id),
 * keyset-paginated like every list of the API. Each filter has an index:
 * subject_keys (GIN, `@>`, then the full bytes), actor and route (btree, with entry_id for the
 * order), readAt (BRIN: the table is append-only in time order).
 */
/** Where the access log is read: a pool, or a read-model snapshot (the read side's, so that a scope's processes are those of its position). */
export interface AccessLogReader {
  query<R>(sql: string, values: unknown[]): Promise<{ rows: R[] }>;
}

export async function listAccessLog(
  db: AccessLogReader,
  filters: AccessLogFilters,
  page: { limit?: number; cursor?: string },
  scope: { readonly state?: string } = {},
): Promise<Page<AccessLogEntryView>> {
  const limit = pageSize(page.limit);
  const after = decodeCursor(page.cursor);
  const conditions: string[] = [];
  const values: unknown[] = [];
  const where = (sql: string, value: unknown) => {
    values.push(value);
    conditions.push(sql.replace('?', `$${values.length}`));
  };
  if (filters.subjectId) {
    where('subject_keys @> ARRAY[?::bigint]', subjectKeyOf(filters.subjectId));
    where('? = ANY (ledger.access_log_subject_ids(subject_ids))', filters.subjectId);
  }
  if (filters.actorId) where('actor_id = ?', filters.actorId);
  if (filters.role) where('actor_role = ?', filters.role);
  if (filters.organizationId) where('actor_org = ?', filters.organizationId);
  if (filters.route) where('route = ?', filters.route);
  if (filters.correlationId) where('correlation_id = ?', filters.correlationId);
  if (filters.from) where('read_at >= ?::timestamptz', instantOf(filters.from, 'from'));
  if (filters.to) where('read_at < ?::timestamptz', endOf(filters.to));
  if (after !== undefined) where('entry_id > ?::bigint', after);
  // A comptroller scoped to a state: the entries that showed someone with a process in that state, and of each only those subjects.
  let subjects = 'subject_ids';
  if (scope.state !== undefined) {
    values.push(scope.state);
    const state = `$${values.length}`;
    conditions.push(`EXISTS (SELECT 1 FROM read_models.processes p WHERE p.subject_id = ANY (ledger.access_log_subject_ids(subject_ids)) AND p.state = ${state})`);
    // A subject of another state is not one this comptroller may ask about, even where an entry also showed its own.
    if (filters.subjectId) where(`EXISTS (SELECT 1 FROM read_models.processes p WHERE p.subject_id = ? AND p.state = ${state})`, filters.subjectId);
    subjects = `ARRAY(SELECT u.s FROM unnest(ledger.access_log_subject_ids(subject_ids)) WITH ORDINALITY AS u(s, n)
                       WHERE EXISTS (SELECT 1 FROM read_models.processes p WHERE p.subject_id = u.s AND p.state = ${state})
                       ORDER BY u.n) AS subject_ids`;
  }
  const { rows } = await db.query<AccessLogRow>(
    `SELECT entry_id::text, to_char(read_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS read_at,
            actor_id, actor_role, actor_org, actor_jurisdiction, route, correlation_id, ${subjects}
       FROM ledger.access_log
      ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY entry_id LIMIT ${limit + 1}`,
    values,
  );
  return pageOf(rows, limit, viewOf, (row) => row.entry_id);
}

function viewOf(row: AccessLogRow): AccessLogEntryView {
  return {
    entryId: row.entry_id,
    readAt: row.read_at,
    actor: { id: row.actor_id, role: row.actor_role, organizationId: row.actor_org, jurisdiction: row.actor_jurisdiction },
    route: row.route,
    correlationId: row.correlation_id,
    subjectIds: Array.isArray(row.subject_ids) ? row.subject_ids : subjectIdsOf(row.subject_ids),
  };
}

/** `to` as a date covers that whole day; an instant is inclusive. */
function endOf(to: string): string {
  const instant = instantOf(to, 'to');
  return new Date(Date.parse(instant) + (/^\d{4}-\d{2}-\d{2}$/.test(to) ? 86_400_000 : 1)).toISOString();
}
