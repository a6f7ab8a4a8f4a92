import { ClientBase } from 'pg';
import { AppendOutcome, decideAppends, EventPlace, EventRow, LogState, PendingAppend } from './append-decision';
import { APPEND_LOCK, APPENDED_CHANNEL, EVENTS_TABLE, LOCK_CLASS } from './schema';

/**
 * Takes the append lock for the rest of the transaction. Every append, in
 * every process, takes it first, so appends commit one transaction after the
 * other and positions become visible in order: a reader that sees position p
 * sees every position below it, and no subscriber can pass a gap that a slower
 * writer fills later. Group commit (many appends per transaction) pays for the
 * serialisation.
 *
 * A writer that stalls mid-transaction would hold up every other writer, so
 * PostgreSQL is told to end its session after a bounded idle time.
 */
const LOCK_APPENDS = `
  SET LOCAL idle_in_transaction_session_timeout = '10s';
  SELECT pg_advisory_xact_lock(${LOCK_CLASS}, ${APPEND_LOCK});`;

/**
 * The log state a batch is decided against, in one statement so one snapshot.
 * The last revision of each stream comes from a backward index scan, which
 * costs the same for a stream of one event as for one of a million.
 */
const READ_LOG_STATE = `
  SELECT
    (SELECT coalesce(max(position), -1) FROM ${EVENTS_TABLE})::text AS head,
    (SELECT coalesce(json_agg(json_build_array(s.stream_id, last.revision::text)), '[]')
       FROM unnest($1::text[]) AS s(stream_id)
       CROSS JOIN LATERAL (
         SELECT revision FROM ${EVENTS_TABLE} e
          WHERE e.stream_id = s.stream_id ORDER BY revision DESC LIMIT 1
       ) AS last) AS streams,
    (SELECT coalesce(json_agg(json_build_array(id, stream_id, revision::text, position::text)), '[]')
       FROM ${EVENTS_TABLE} WHERE id = ANY($2::uuid[])) AS stored`;

/** One statement whatever the batch size; the NOTIFY is delivered only if the transaction commits. */
const INSERT_EVENTS = `
  WITH inserted AS (
    INSERT INTO ${EVENTS_TABLE} (position, id, stream_id, revision, type, data, metadata)
    SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::jsonb[], $7::jsonb[])
    RETURNING position
  )
  SELECT pg_notify('${APPENDED_CHANNEL}', max(position)::text) FROM inserted`;

/**
 * Writes a batch of appends inside the caller's open READ COMMITTED
 * transaction and returns each append's outcome; nothing is visible until the
 * caller commits. Exported for tests that hold such a transaction open.
 */
export async function writeAppends(client: ClientBase, appends: readonly PendingAppend[]): Promise<AppendOutcome[]> {
  await client.query(LOCK_APPENDS);
  // A statement after the lock, so a snapshot taken after the previous holder committed.
  const state = await readLogState(client, appends);
  const { outcomes, rows } = decideAppends(appends, state);
  if (rows.length > 0) await insertEvents(client, rows);
  return outcomes;
}

async function readLogState(client: ClientBase, appends: readonly PendingAppend[]): Promise<LogState> {
  const streamIds = [...new Set(appends.map((append) => append.streamId))];
  const eventIds = appends.flatMap((append) => append.events.map((event) => event.id));
  const { rows } = await client.query<{ head: string; streams: [string, string][]; stored: [string, string, string, string][] }>(
    READ_LOG_STATE,
    [streamIds, eventIds],
  );
  const { head, streams, stored } = rows[0];
  return {
    head: BigInt(head),
    streamRevisions: new Map(streams.map(([streamId, revision]) => [streamId, BigInt(revision)])),
    storedIds: new Map(
      stored.map(([id, streamId, revision, position]): [string, EventPlace] => [
        id,
        { streamId, revision: BigInt(revision), position: BigInt(position) },
      ]),
    ),
  };
}

async function insertEvents(client: ClientBase, rows: readonly EventRow[]): Promise<void> {
  await client.query(INSERT_EVENTS, [
    rows.map((row) => row.position),
    rows.map((row) => row.id),
    rows.map((row) => row.streamId),
    rows.map((row) => row.revision),
    rows.map((row) => row.type),
    rows.map((row) => row.data),
    rows.map((row) => row.metadata),
  ]);
}
