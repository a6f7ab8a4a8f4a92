import { Pool } from 'pg';
import { EventMetadata, Position, ReadAllOptions, ReadStreamOptions, RecordedEvent } from '../event-store.port';
import type { StoredLogEntry } from '../log-entry';
import { EVENTS_TABLE } from './schema';

interface EventRecordRow {
  position: string;
  id: string;
  stream_id: string;
  revision: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

/** Events a subscription reads in one go, and the head of the log in the same snapshot. */
export interface LogPage {
  events: RecordedEvent[];
  head: Position;
}

const COLUMNS = 'position, id, stream_id, revision, type, data, metadata';
const LAST_BIGINT = 9223372036854775807n;

/**
 * One page of the log after a position. The head comes from the same
 * statement, hence the same snapshot: when the page is not full, every
 * matching event up to the head is in it, so a filtered subscription can move
 * its cursor to the head instead of scanning the same unmatched rows again.
 * Without a type list, system events (types starting with `$`) are left out,
 * as the port specifies.
 */
const READ_PAGE = `
  SELECT head.position::text AS head, page.*
    FROM (SELECT coalesce(max(position), -1) AS position FROM ${EVENTS_TABLE}) AS head
    LEFT JOIN LATERAL (
      SELECT ${COLUMNS} FROM ${EVENTS_TABLE}
       WHERE position > $1
         AND CASE WHEN $2::text[] IS NULL THEN left(type, 1) <> '$' ELSE type = ANY($2) END
       ORDER BY position
       LIMIT $3
    ) AS page ON true
   ORDER BY page.position`;

/**
 * Rows of $all with each event's log entry assembled from the texts stored,
 * none of them parsed: json columns hand back the text as written, and text
 * columns come from pg without a parser. The envelope's members in RFC 8785
 * order; to_json quotes a string as JCS does (JSON.stringify), for every
 * code point PostgreSQL text can hold. (Ordered by the column e.position: a
 * bare `position` would be the text alias, in string order.)
 */
const READ_STORED_ENTRIES = `
  SELECT e.position::text AS position, e.id::text AS id, e.revision::text AS revision,
         '{"data":' || e.data::text || ',"id":"' || e.id::text || '","metadata":' || e.metadata::text ||
         ',"revision":' || e.revision::text || ',"streamId":' || to_json(e.stream_id)::text || ',"type":' || to_json(e.type)::text || '}' AS entry
    FROM ${EVENTS_TABLE} e
   WHERE e.position > $1
   ORDER BY e.position
   LIMIT $2`;

/**
 * Reads of the log. Plain statements: the append lock makes every snapshot
 * free of gaps. The hot ones are named, so that PostgreSQL parses and plans
 * each once per connection rather than on every call.
 */
export class LogReader {
  constructor(private readonly pool: Pool) {}

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? LAST_BIGINT : 0n);
    const sql = `SELECT ${COLUMNS} FROM ${EVENTS_TABLE}
      WHERE stream_id = $1 AND revision ${backwards ? '<=' : '>='} $2
      ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`;
    return this.select(sql, [streamId, from, limitOf(options.maxCount)], backwards ? 'ledger_read_stream_backwards' : 'ledger_read_stream');
  }

  async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const streams = new Map<string, RecordedEvent[]>(streamIds.map((streamId) => [streamId, []]));
    if (streams.size === 0) return streams;
    const events = await this.select(
      `SELECT ${COLUMNS} FROM ${EVENTS_TABLE} WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, revision`,
      [[...streams.keys()]],
      'ledger_read_streams',
    );
    for (const event of events) streams.get(event.streamId)?.push(event);
    return streams;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    // Positions here are dense, so "after p" is "from p + 1".
    const after = options.afterPosition === undefined ? undefined : options.afterPosition + 1n;
    const from = options.fromPosition ?? after ?? (backwards ? LAST_BIGINT : 0n);
    const sql = `SELECT ${COLUMNS} FROM ${EVENTS_TABLE}
      WHERE position ${backwards ? '<=' : '>='} $1
      ORDER BY position ${backwards ? 'DESC' : 'ASC'} LIMIT $2`;
    return this.select(sql, [from, limitOf(options.maxCount)], backwards ? 'ledger_read_all_backwards' : 'ledger_read_all');
  }

  async headPosition(): Promise<Position> {
    const { rows } = await this.pool.query<{ head: string }>(
      `SELECT coalesce(max(position), -1)::text AS head FROM ${EVENTS_TABLE}`,
    );
    return BigInt(rows[0].head);
  }

  /** Up to `limit` events after `after` (exclusive) of the given types (null: every non-system type). */
  async readPage(after: Position, eventTypes: readonly string[] | null, limit: number): Promise<LogPage> {
    const { rows } = await this.pool.query<EventRecordRow & { head: string }>({ name: 'ledger_read_page', text: READ_PAGE, values: [after, eventTypes, limit] });
    const events = rows.filter((row) => row.position !== null).map(toRecordedEvent);
    return { events, head: BigInt(rows[0].head) };
  }

  /** Up to `maxCount` events after `afterPosition` (exclusive; omitted, from the start), each with the entry its stored texts make, unparsed. */
  async readAllStoredEntries(afterPosition: Position | undefined, maxCount: number): Promise<StoredLogEntry[]> {
    const { rows } = await this.pool.query<StoredLogEntry>(READ_STORED_ENTRIES, [afterPosition ?? -1n, limitOf(maxCount)]);
    return rows;
  }

  /** `name`: the statement is prepared once per connection under it (one name, one text), and only bound and run after that. */
  private async select(sql: string, params: unknown[], name: string): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRecordRow>({ name, text: sql, values: params });
    return rows.map(toRecordedEvent);
  }
}

/** null means no limit to PostgreSQL. */
function limitOf(maxCount: number | undefined): number | null {
  if (maxCount === undefined) return null;
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) throw new RangeError(`maxCount must be a non-negative integer, got ${maxCount}`);
  return maxCount;
}

/**
 * The event readAll gives for a row readAllStoredEntries gave: the same
 * mapping, with data and metadata parsed as pg parses a json column
 * (JSON.parse). Parsing the entry parses, for its data and metadata members,
 * the very characters stored; its type and streamId are strings quoted by
 * to_json, which JSON.parse gives back as they are.
 */
export function recordedEventOfStoredEntry(row: StoredLogEntry): RecordedEvent {
  const entry = JSON.parse(row.entry) as { type: string; streamId: string; data: unknown; metadata: EventMetadata };
  return toRecordedEvent({
    position: row.position,
    id: row.id,
    stream_id: entry.streamId,
    revision: row.revision,
    type: entry.type,
    data: entry.data,
    metadata: entry.metadata,
  });
}

function toRecordedEvent(row: EventRecordRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
  };
}
