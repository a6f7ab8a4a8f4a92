/**
 * Translations between the port's types and @eventstore/db-client's.
 *
 * Positions: the port keeps one bigint, EventStoreDB a (commit, prepare)
 * pair. Every event written through gRPC is self-committed, so its commit and
 * prepare positions are equal and the commit position alone identifies it;
 * the pair is rebuilt as (p, p). Events written by the legacy TCP API inside
 * explicit multi-event transactions would break that rule; the ledger never
 * writes such events.
 */
import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  jsonEvent,
  type AppendExpectedRevision,
  type EventData,
  type JSONType,
  type Position as ClientPosition,
  type ResolvedEvent,
  type AllStreamResolvedEvent,
} from '@eventstore/db-client';
import {
  DuplicateEventIdError,
  type EventMetadata,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type RecordedEvent,
} from '../event-store.port';
import { assertExpectedRevision, normaliseEventId } from '../append-checks';

export function toClientPosition(position: Position): ClientPosition {
  return { commit: position, prepare: position };
}

/** EventStoreDB's own events ($metadata, $statsCollected, links `$>` …) are not the ledger's. */
export function isSystemEventType(type: string): boolean {
  return type.startsWith('$');
}

export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'any':
      return ANY;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

/**
 * Checks an append before it goes out, with the same rules as the PostgreSQL
 * adapter, so both reject the same malformed input the same way. Ids are sent
 * in lower case, the form EventStoreDB returns them in.
 */
export function toEventData(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): EventData[] {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('streamId must be a non-empty string');
  assertExpectedRevision(expected);
  if (events.length === 0) throw new RangeError(`Append to ${streamId} has no events`);
  const ids = new Set<string>();
  return events.map((event) => {
    const id = normaliseEventId(event.id);
    // EventStoreDB would store both; within one append the adapter can tell.
    if (ids.has(id)) throw new DuplicateEventIdError(event.id, streamId);
    ids.add(id);
    if (typeof event.type !== 'string' || event.type.length === 0) throw new TypeError(`Event ${id} has no type`);
    return jsonEvent({ id, type: event.type, data: asJson(event.data, id), metadata: asJson(event.metadata, id) });
  });
}

export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (!event) throw new Error('EventStoreDB returned a link whose event is gone; links are never read by this adapter');
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata as unknown as EventMetadata,
    streamId: event.streamId,
    revision: event.revision,
    position: positionOf(resolved),
  };
}

/** Stream reads carry the event's position only from EventStoreDB 22.6 on; the adapter needs it. */
export function positionOf(resolved: ResolvedEvent | AllStreamResolvedEvent): Position {
  const position = resolved.event?.position?.commit ?? resolved.commitPosition;
  if (position === undefined) {
    throw new Error(`EventStoreDB returned event ${resolved.event?.id} without its position (server older than 22.6?)`);
  }
  return position;
}

/** The client would JSON.stringify anyway; failing here names the event instead of crashing in the client. */
function asJson(value: unknown, eventId: string): JSONType {
  if (JSON.stringify(value) === undefined) throw new TypeError(`Event ${eventId} has data or metadata that is not JSON`);
  return value as JSONType;
}

export function assertMaxCount(maxCount: number | undefined): number {
  if (maxCount === undefined) return Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) throw new RangeError(`maxCount must be a non-negative integer, got ${maxCount}`);
  return maxCount;
}
