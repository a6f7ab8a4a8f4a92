import { HASH_SIZE, storedHashCount, TILE_WIDTH } from '@ledger/verifiable-log';
import type { Queryable } from '../query-queue';

/**
 * How the log builder stores its leaves and stored hashes: in runs, one row
 * for each stretch of consecutive leaves a batch appends within one level-0
 * tile (at most 256 leaves, never across a multiple of 256), rather than a
 * row per leaf and per hash. Under load a batch holds hundreds of events;
 * three rows and four index entries an event became a few rows a batch.
 *
 *   log_leaf_runs(first_leaf, first_position, positions, event_ids): the
 *     leaves first_leaf … first_leaf + n − 1; positions is their log
 *     positions as 8-byte big-endian integers (int8send's form), event_ids
 *     their event ids joined by ','. Found by first_leaf (primary key) or
 *     first_position (index): positions increase with leaves.
 *   log_hash_runs(first_index, hashes): the stored hashes (Go's stored-hash
 *     layout, sumdb/tlog) that those leaves add, first_index on, 32 bytes
 *     each. The leaves [a, b) add exactly the stored hashes
 *     [storedHashCount(a), storedHashCount(b)), so the runs tile the layout.
 *
 * The SQL below reads them as the per-leaf and per-hash rows they replace:
 * each function gives an SQL expression, its arguments SQL expressions too.
 */

const POSITION_BYTES = 8;
/** Event ids are UUIDs in both stores: a ',' never splits one. */
const EVENT_ID_SEPARATOR = ',';

export interface LeafRunRow {
  readonly first_leaf: string;
  readonly first_position: string;
  readonly positions: Buffer;
  readonly event_ids: string;
}

export interface HashRunRow {
  readonly first_index: string;
  readonly hashes: Buffer;
}

/** The leaves [firstLeaf, firstLeaf + positions.length) split into runs that never cross a multiple of 256, with the stored hashes each adds. */
export function runsOf(
  firstLeaf: number,
  positions: readonly bigint[],
  eventIds: readonly string[],
  storedHashes: { readonly firstIndex: number; readonly hashes: Buffer },
): { leafRuns: LeafRunRow[]; hashRuns: HashRunRow[] } {
  if (storedHashes.firstIndex !== storedHashCount(firstLeaf)) throw new Error(`stored hashes from ${storedHashes.firstIndex} do not follow leaf ${firstLeaf}`);
  const leafRuns: LeafRunRow[] = [];
  const hashRuns: HashRunRow[] = [];
  for (let start = 0; start < positions.length; ) {
    const leaf = firstLeaf + start;
    const end = Math.min(positions.length, start + (TILE_WIDTH - (leaf % TILE_WIDTH)));
    const bytes = Buffer.allocUnsafe((end - start) * POSITION_BYTES);
    for (let offset = start; offset < end; offset += 1) bytes.writeBigInt64BE(positions[offset], (offset - start) * POSITION_BYTES);
    const ids = eventIds.slice(start, end);
    for (const id of ids) if (id.includes(EVENT_ID_SEPARATOR)) throw new Error(`event id ${JSON.stringify(id)} holds a '${EVENT_ID_SEPARATOR}'`);
    leafRuns.push({ first_leaf: String(leaf), first_position: String(positions[start]), positions: bytes, event_ids: ids.join(EVENT_ID_SEPARATOR) });
    const low = storedHashCount(leaf) - storedHashes.firstIndex;
    const high = storedHashCount(firstLeaf + end) - storedHashes.firstIndex;
    hashRuns.push({ first_index: String(storedHashes.firstIndex + low), hashes: storedHashes.hashes.subarray(low * HASH_SIZE, high * HASH_SIZE) });
    start = end;
  }
  return { leafRuns, hashRuns };
}

/** A leaf run as read back: its leaves' positions and event ids. */
export interface LeafRun {
  readonly firstLeaf: number;
  readonly positions: readonly bigint[];
  readonly eventIds: readonly string[];
}

export function leafRunOf(row: { first_leaf: string; positions: Buffer; event_ids: string }): LeafRun {
  const count = row.positions.length / POSITION_BYTES;
  const eventIds = row.event_ids.split(EVENT_ID_SEPARATOR);
  if (!Number.isInteger(count) || eventIds.length !== count) throw new Error(`the log's leaf run at ${row.first_leaf} is damaged`);
  const positions = Array.from({ length: count }, (_, offset) => row.positions.readBigInt64BE(offset * POSITION_BYTES));
  return { firstLeaf: Number(row.first_leaf), positions, eventIds };
}

const LEAF_RUNS = 'read_models.log_leaf_runs';
const HASH_RUNS = 'read_models.log_hash_runs';

/** The run that holds leaf `leaf` if any leaf run does (a lateral subquery's body, aliased `r`). */
function runOfLeaf(leaf: string): string {
  return `SELECT r.first_leaf, r.positions, r.event_ids FROM ${LEAF_RUNS} r
           WHERE r.first_leaf <= ${leaf} AND r.first_leaf + length(r.positions) / ${POSITION_BYTES} > ${leaf}
           ORDER BY r.first_leaf DESC LIMIT 1`;
}

/** Leaf `leaf`'s position as int8send's 8 bytes; NULL when the tree has no such leaf. */
export function positionBytesAt(leaf: string): string {
  return `(SELECT substring(r.positions FROM (${leaf} - r.first_leaf)::int * ${POSITION_BYTES} + 1 FOR ${POSITION_BYTES}) FROM (${runOfLeaf(leaf)}) r)`;
}

/** Leaf `leaf`'s position as a bigint; NULL when the tree has no such leaf. */
export function positionAt(leaf: string): string {
  return `('x' || encode(${positionBytesAt(leaf)}, 'hex'))::bit(64)::bigint`;
}

/** The runs of a table that overlap [low, high) of its first column: from the last one starting at or before low. */
function overlapping(table: string, first: string, count: string, low: string, high: string): string {
  return `FROM ${table} r
          WHERE r.${first} < ${high}
            AND r.${first} >= coalesce((SELECT max(x.${first}) FROM ${table} x WHERE x.${first} <= ${low}), 0)
            AND r.${first} + ${count} > ${low}`;
}

/** The bytes of [low, high) of a run table whose units are `width` bytes, in order, as one bytea (NULL when none is stored; shorter when some are not). */
function bytesBetween(table: string, first: string, column: string, width: number, low: string, high: string): string {
  const count = `length(r.${column}) / ${width}`;
  const from = `greatest(${low}, r.${first})`;
  const to = `least(${high}, r.${first} + ${count})`;
  return `(SELECT string_agg(substring(r.${column} FROM (${from} - r.${first})::int * ${width} + 1 FOR (${to} - ${from})::int * ${width}), ''::bytea ORDER BY r.${first})
           ${overlapping(table, first, count, low, high)})`;
}

/** The positions of leaves [low, high) as int8send bytes one after the other. */
export function positionBytesBetween(low: string, high: string): string {
  return bytesBetween(LEAF_RUNS, 'first_leaf', 'positions', POSITION_BYTES, low, high);
}

/** The stored hashes [low, high), 32 bytes each, one after the other. */
export function hashesBetween(low: string, high: string): string {
  return bytesBetween(HASH_RUNS, 'first_index', 'hashes', HASH_SIZE, low, high);
}

/** The stored hash at `index`; NULL when the tree has none there. */
export function hashAt(index: string): string {
  return `(SELECT substring(r.hashes FROM (${index} - r.first_index)::int * ${HASH_SIZE} + 1 FOR ${HASH_SIZE}) FROM ${HASH_RUNS} r
            WHERE r.first_index <= ${index} AND r.first_index + length(r.hashes) / ${HASH_SIZE} > ${index}
            ORDER BY r.first_index DESC LIMIT 1)`;
}

/** The leaf runs that hold leaves of [low, high), in order. */
export async function leafRunsBetween(db: Queryable, low: number, high: number): Promise<LeafRun[]> {
  const { rows } = await db.query<{ first_leaf: string; positions: Buffer; event_ids: string }>(
    `SELECT r.first_leaf::text, r.positions, r.event_ids ${overlapping(LEAF_RUNS, 'first_leaf', `length(r.positions) / ${POSITION_BYTES}`, '$1::bigint', '$2::bigint')}
      ORDER BY r.first_leaf`,
    [String(low), String(high)],
  );
  return rows.map(leafRunOf);
}

/** The leaves of [low, high) the tree holds, in order (stopping short where it holds no more). */
export async function leavesBetween(db: Queryable, low: number, high: number): Promise<{ leafIndex: number; position: bigint; eventId: string }[]> {
  const leaves: { leafIndex: number; position: bigint; eventId: string }[] = [];
  for (const run of await leafRunsBetween(db, low, high)) {
    for (let offset = 0; offset < run.positions.length; offset += 1) {
      const leafIndex = run.firstLeaf + offset;
      if (leafIndex >= low && leafIndex < high) leaves.push({ leafIndex, position: run.positions[offset], eventId: run.eventIds[offset] });
    }
  }
  return leaves;
}

/** The stored hashes of [low, high) the tree holds, by index. */
export async function hashesBetweenByIndex(db: Queryable, low: number, high: number): Promise<Map<number, Buffer>> {
  const { rows } = await db.query<{ first_index: string; hashes: Buffer }>(
    `SELECT r.first_index::text, r.hashes ${overlapping(HASH_RUNS, 'first_index', `length(r.hashes) / ${HASH_SIZE}`, '$1::bigint', '$2::bigint')}
      ORDER BY r.first_index`,
    [String(low), String(high)],
  );
  const found = new Map<number, Buffer>();
  for (const row of rows) {
    const first = Number(row.first_index);
    for (let offset = 0; offset * HASH_SIZE < row.hashes.length; offset += 1) {
      const index = first + offset;
      if (index >= low && index < high) found.set(index, row.hashes.subarray(offset * HASH_SIZE, (offset + 1) * HASH_SIZE));
    }
  }
  return found;
}

/** The leaf that is the event at `position`, if the tree holds one there. */
export async function leafAtPosition(db: Queryable, position: bigint): Promise<{ leafIndex: number; eventId: string } | undefined> {
  const { rows } = await db.query<{ first_leaf: string; positions: Buffer; event_ids: string }>(
    `SELECT r.first_leaf::text, r.positions, r.event_ids FROM ${LEAF_RUNS} r WHERE r.first_position <= $1::bigint ORDER BY r.first_position DESC LIMIT 1`,
    [position.toString()],
  );
  if (!rows[0]) return undefined;
  const run = leafRunOf(rows[0]);
  const offset = run.positions.indexOf(position);
  return offset < 0 ? undefined : { leafIndex: run.firstLeaf + offset, eventId: run.eventIds[offset] };
}

/** The leaf with this event id, if the tree holds one: a scan of every run (for telling how a log differs, never on a hot path). */
export async function leafOfEventId(db: Queryable, eventId: string): Promise<{ leafIndex: number; position: bigint } | undefined> {
  const { rows } = await db.query<{ first_leaf: string; positions: Buffer; event_ids: string }>(
    `SELECT r.first_leaf::text, r.positions, r.event_ids FROM ${LEAF_RUNS} r
      WHERE strpos(',' || r.event_ids || ',', ',' || $1 || ',') > 0 ORDER BY r.first_leaf LIMIT 1`,
    [eventId],
  );
  if (!rows[0]) return undefined;
  const run = leafRunOf(rows[0]);
  const offset = run.eventIds.indexOf(eventId);
  return { leafIndex: run.firstLeaf + offset, position: run.positions[offset] };
}
