/**
 * Every append, in every process, goes through event_store.append_decided,
 * which takes one advisory lock before it picks positions: appends commit one
 * after the other, a reader that sees position p sees every position below
 * it, and no subscriber can pass a gap that a slower writer fills later.
 * Group commit (many appends per call) pays for the serialisation.
 */

import { ClientBase, Pool } from 'pg';
import { Position } from '../event-store.port';
import { AppendOutcome, decideAppends, EventPlace, expectedState, LogState, NewEventRow, PendingAppend } from './append-decision';
import { APPEND_LOCK, EVENTS_TABLE, LOCK_CLASS } from './schema';

type Queryable = Pool | ClientBase;

/** A batch's outcomes, and the position its new rows follow (-1n when it wrote none). */
export interface WrittenBatch {
  outcomes: AppendOutcome[];
  head: Position;
}

/**
 * The common path: decide on the state the appends expect, or else on one
 * read without the lock, then insert in a statement of its own, which holds
 * the lock only while the server works. Null when the state was not what the
 * appends expected, or another writer changed it since it was read.
 */
export async function appendOptimistically(pool: Pool, appends: readonly PendingAppend[]): Promise<WrittenBatch | null> {
  const state = expectedState(appends) ?? (await readLogState(pool, appends));
  const { outcomes, rows } = decideAppends(appends, state);
  if (rows.length === 0) return { outcomes, head: -1n };
  const head = await insertDecided(pool, appends, state, rows);
  return head === null ? null : { outcomes, head };
}

/**
 * The path that cannot meet a changed state: the lock is taken first and held
 * until the caller's open READ COMMITTED transaction ends, so nothing is
 * visible before the caller commits. Tests use it to hold a writer mid-append.
 * A writer that stalls here holds up every other writer, so PostgreSQL is told
 * to end its session after a bounded idle time.
 */
export async function writeAppends(client: ClientBase, appends: readonly PendingAppend[]): Promise<WrittenBatch> {
  await client.query(`
    SET LOCAL idle_in_transaction_session_timeout = '10s';
    SELECT pg_advisory_xact_lock(${LOCK_CLASS}, ${APPEND_LOCK});`);
  // A statement after the lock, so a snapshot taken after the previous holder committed.
  const state = await readLogState(client, appends);
  const { outcomes, rows } = decideAppends(appends, state);
  if (rows.length === 0) return { outcomes, head: -1n };
  const head = await insertDecided(client, appends, state, rows);
  if (head === null) throw new Error('The log changed while this transaction held the append lock');
  return { outcomes, head };
}

/**
 * The last revision of each stream of the batch, and its event ids already
 * stored, in one statement. The last revision comes from a backward index
 * scan, which costs the same for a stream of one event as for one of a million.
 */
const READ_LOG_STATE = `
  SELECT
    (SELECT coalesce(json_agg(json_build_array(s.stream_id, last.revision::text)), '[]')
       FROM unnest($1::text[]) AS s(stream_id)
       CROSS JOIN LATERAL (
         SELECT revision FROM ${EVENTS_TABLE} e
          WHERE e.stream_id = s.stream_id ORDER BY revision DESC LIMIT 1
       ) AS last) AS streams,
    (SELECT coalesce(json_agg(json_build_array(id, stream_id, revision::text, position::text)), '[]')
       FROM ${EVENTS_TABLE} WHERE id = ANY($2::uuid[])) AS stored`;

async function readLogState(db: Queryable, appends: readonly PendingAppend[]): Promise<LogState> {
  const { rows } = await db.query<{ streams: [string, string][]; stored: [string, string, string, string][] }>({
    name: 'ledger_read_log_state',
    text: READ_LOG_STATE,
    values: [streamIdsOf(appends), appends.flatMap((append) => append.events.map((event) => event.id))],
  });
  const { streams, stored } = rows[0];
  return {
    streamRevisions: new Map(streams.map(([streamId, revision]) => [streamId, BigInt(revision)])),
    storedIds: new Map(
      stored.map(([id, streamId, revision, position]): [string, EventPlace] => [
        id,
        { streamId, revision: BigInt(revision), position: BigInt(position) },
      ]),
    ),
  };
}

/** Returns the head the rows were placed after, or null if the state they were decided on has changed. */
async function insertDecided(
  db: Queryable,
  appends: readonly PendingAppend[],
  state: LogState,
  rows: readonly NewEventRow[],
): Promise<Position | null> {
  const checkedStreams = streamIdsOf(appends);
  const { rows: result } = await db.query<{ head: string | null }>({
    name: 'ledger_append_decided',
    text: 'SELECT event_store.append_decided($1, $2, $3, $4, $5, $6, $7, $8)::text AS head',
    values: [
      checkedStreams,
      checkedStreams.map((streamId) => state.streamRevisions.get(streamId) ?? -1n),
      rows.map((row) => row.id),
      rows.map((row) => row.streamId),
      rows.map((row) => row.revision),
      rows.map((row) => row.type),
      rows.map((row) => row.data),
      rows.map((row) => row.metadata),
    ],
  });
  const head = result[0].head;
  return head === null ? null : BigInt(head);
}

function streamIdsOf(appends: readonly PendingAppend[]): string[] {
  return [...new Set(appends.map((append) => append.streamId))];
}
