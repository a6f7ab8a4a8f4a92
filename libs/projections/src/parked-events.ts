import { displayText } from '@ledger/domain';
import type { EventStore, RecordedEvent } from '@ledger/event-store';
import { isTransientStorageFailure } from '@ledger/platform';
import { encodeWrites, foldBatch, queueWrite, type Write } from './batch-writer';
import { advanceCheckpointStatement, CHECKPOINT_CHANNEL, CHECKPOINT_MOVED, PARKED_TABLE, type Generation } from './generations';
import type { Projection } from './projection';
import type { Queryable, QueryQueue } from './query-queue';
import { readableEvents, type PersonalDataOpener } from './readable-event';
import type { Statement } from './sql';

/** Channel an operator's replay request is announced on, so that the feeder need not wait for its idle check. */
export const REPLAY_CHANNEL = 'projection_replays';

/** An event a generation set aside, as `projections parked` lists it. */
export interface ParkedEvent {
  readonly generationId: number;
  readonly projection: string;
  readonly position: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly streamId: string;
  readonly error: string;
  readonly attempts: number;
  readonly firstFailedAt: string;
  readonly lastFailedAt: string;
  readonly replayRequestedAt: string | null;
}

/** Errors are kept for the operator, bounded; they name fields and codes, and are cut short rather than stored whole. */
const MAX_ERROR_LENGTH = 1_000;

export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? `${error.name}${codeOf(error)}: ${error.message}` : String(error);
  return displayText(text).slice(0, MAX_ERROR_LENGTH);
}

function codeOf(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : '';
}

/** What a generation knows of an event it failed on. */
export interface EventFailure {
  readonly error: unknown;
  readonly attempts: number;
  readonly firstFailedAt: Date;
}

/** The row that sets an event aside; written in the transaction that moves the checkpoint past it. */
export function parkStatement(generation: Generation, projection: Projection, event: RecordedEvent, failure: EventFailure): Statement {
  return {
    text: `INSERT INTO ${PARKED_TABLE} (generation_id, projection, position, event_id, event_type, stream_id, error, attempts, first_failed_at, last_failed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
           ON CONFLICT (generation_id, position) DO UPDATE SET error = EXCLUDED.error, attempts = EXCLUDED.attempts, last_failed_at = now()`,
    values: [
      generation.id,
      projection.name,
      event.position.toString(),
      displayText(event.id),
      displayText(event.type),
      displayText(event.streamId),
      describeFailure(failure.error),
      failure.attempts,
      failure.firstFailedAt.toISOString(),
    ],
  };
}

interface ParkedRow {
  generation_id: number;
  projection: string;
  position: string;
  event_id: string;
  event_type: string;
  stream_id: string;
  error: string;
  attempts: number;
  first_failed_at: string;
  last_failed_at: string;
  replay_requested_at: string | null;
}

const PARKED_COLUMNS = `p.generation_id, p.projection, p.position::text AS position, p.event_id, p.event_type, p.stream_id, p.error, p.attempts,
  read_models.iso_instant(p.first_failed_at) AS first_failed_at, read_models.iso_instant(p.last_failed_at) AS last_failed_at,
  read_models.iso_instant(p.replay_requested_at) AS replay_requested_at`;

function parkedOf(row: ParkedRow): ParkedEvent {
  return {
    generationId: row.generation_id,
    projection: row.projection,
    position: row.position,
    eventId: row.event_id,
    eventType: row.event_type,
    streamId: row.stream_id,
    error: row.error,
    attempts: row.attempts,
    firstFailedAt: row.first_failed_at,
    lastFailedAt: row.last_failed_at,
    replayRequestedAt: row.replay_requested_at,
  };
}

/** Events parked by the generations queries read or will read (active and building), optionally of one projection. */
export async function listParkedEvents(db: Queryable, projection?: string): Promise<ParkedEvent[]> {
  const { rows } = await db.query<ParkedRow>(
    `SELECT ${PARKED_COLUMNS} FROM ${PARKED_TABLE} p
       JOIN read_models.projection_generations g ON g.id = p.generation_id AND g.status IN ('active', 'building')
      WHERE ($1::text IS NULL OR p.projection = $1) ORDER BY p.projection, p.generation_id, p.position`,
    [projection ?? null],
  );
  return rows.map(parkedOf);
}

/** Parked events per projection, of active generations only: what readiness reports. */
export async function countParkedEvents(db: Queryable): Promise<Map<string, number>> {
  const { rows } = await db.query<{ projection: string; parked: string }>(
    `SELECT p.projection, count(*)::text AS parked FROM ${PARKED_TABLE} p
       JOIN read_models.projection_generations g ON g.id = p.generation_id AND g.status = 'active'
      GROUP BY p.projection`,
  );
  return new Map(rows.map((row) => [row.projection, Number(row.parked)]));
}

/**
 * Asks the feeders of these events to fold them again; returns the rows
 * marked. `position` narrows it to one event (of every projection that parked it).
 */
export async function requestReplay(db: Queryable, filter: { projection?: string; position?: bigint }): Promise<ParkedEvent[]> {
  const { rows } = await db.query<ParkedRow>(
    `UPDATE ${PARKED_TABLE} p SET replay_requested_at = now()
       FROM read_models.projection_generations g
      WHERE g.id = p.generation_id AND g.status IN ('active', 'building')
        AND ($1::text IS NULL OR p.projection = $1) AND ($2::bigint IS NULL OR p.position = $2::bigint)
      RETURNING ${PARKED_COLUMNS}`,
    [filter.projection ?? null, filter.position?.toString() ?? null],
  );
  await db.query('SELECT pg_notify($1, $2)', [REPLAY_CHANNEL, filter.projection ?? '']);
  return rows.map(parkedOf);
}

/** One generation being fed, as replay needs it: where its checkpoint is, and its connections. */
export interface ReplayTarget {
  readonly projection: Projection;
  readonly generation: Generation;
  /** The committed checkpoint; replay leaves it where it is, and fails if it moved. */
  readonly checkpoint: bigint;
  readonly reader: QueryQueue;
  /** A connection with the generation's staging tables. */
  readonly writer: QueryQueue;
  readonly personalData?: PersonalDataOpener;
}

export interface ReplayOutcome {
  readonly position: string;
  readonly replayed: boolean;
  readonly error?: string;
}

/**
 * Folds again, one at a time and in log order, the parked events of a
 * generation that an operator asked to replay. Each is folded against the
 * rows as they stand now (later events included; a rebuild is the way to
 * fold it in its original order), and its rows are written in the same
 * transaction that deletes its parked row, guarded by the checkpoint like
 * any batch. An event that fails again stays parked, with the new error.
 */
export async function replayRequested(store: EventStore, target: ReplayTarget): Promise<ReplayOutcome[]> {
  const { projection, generation, reader, writer, checkpoint } = target;
  const { rows } = await reader.query<{ position: string }>(
    `SELECT p.position::text AS position FROM ${PARKED_TABLE} p WHERE p.generation_id = $1 AND p.replay_requested_at IS NOT NULL ORDER BY p.position`,
    [generation.id],
  );
  const outcomes: ReplayOutcome[] = [];
  for (const { position } of rows) {
    const [stored] = await store.readAll({ fromPosition: BigInt(position), maxCount: 1 });
    try {
      if (!stored || stored.position !== BigInt(position)) throw new Error(`no event at position ${position} in the log`);
      const batch = await foldBatch(reader, projection, generation.schema, await readableEvents([stored], target.personalData));
      const cleared: Statement = { text: `DELETE FROM ${PARKED_TABLE} WHERE generation_id = $1 AND position = $2`, values: [generation.id, position] };
      await inOneTransaction(writer, [...encodeWrites(generation.schema, batch), cleared, advanceCheckpointStatement(generation, checkpoint, checkpoint)]);
      outcomes.push({ position, replayed: true });
    } catch (error) {
      // The store away, or the generation no longer fed from here: nothing was decided about the event.
      if (isTransientStorageFailure(error) || (error as { code?: unknown }).code === CHECKPOINT_MOVED) throw error;
      await writer.query(
        `UPDATE ${PARKED_TABLE} SET attempts = attempts + 1, last_failed_at = now(), error = $3, replay_requested_at = NULL
          WHERE generation_id = $1 AND position = $2`,
        [generation.id, position, describeFailure(error)],
      );
      outcomes.push({ position, replayed: false, error: describeFailure(error) });
    }
  }
  return outcomes;
}

/** Writes in one transaction, notifying checkpoint watchers on commit; rolls back on the first failure. */
async function inOneTransaction(writer: QueryQueue, writes: readonly Write[]): Promise<void> {
  const steps = [writer.run('BEGIN'), ...writes.map((write) => queueWrite(writer, write))];
  steps.push(writer.query('SELECT pg_notify($1, $2)', [CHECKPOINT_CHANNEL, 'replay']), writer.run('COMMIT'));
  const results = await Promise.allSettled(steps);
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (!failure) return;
  await writer.run('ROLLBACK').catch(() => undefined);
  throw failure.reason;
}
