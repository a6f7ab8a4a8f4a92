import { DuplicateEventIdError, ExpectedRevision, NewEvent } from '../event-store.port';
import { assertExpectedRevision, normaliseEventId } from '../append-checks';
import { storedJsonOf } from '../log-entry';
import { PendingAppend, SerializedEvent } from './append-decision';

/**
 * Checks and serialises an append before it joins the group-commit queue, so
 * that a malformed append fails alone, at once, and never a shared transaction.
 */
export function prepareAppend(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): PendingAppend {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('streamId must be a non-empty string');
  assertExpectedRevision(expectedRevision);
  if (events.length === 0) throw new RangeError(`Append to ${streamId} has no events`);
  const ids = new Set<string>();
  const serialized = events.map((event): SerializedEvent => {
    const id = normaliseEventId(event.id);
    if (ids.has(id)) throw new DuplicateEventIdError(event.id, streamId);
    ids.add(id);
    if (typeof event.type !== 'string' || event.type.length === 0) throw new TypeError(`Event ${id} has no type`);
    return { id, type: event.type, data: toJson(event.data, id), metadata: toJson(event.metadata, id) };
  });
  return { streamId, events: serialized, expectedRevision };
}

/**
 * RFC 8785 text, the bytes the verifiable log's entry holds for it: `verify`
 * then takes each entry from the stored texts without parsing them (see
 * PostgresEventStore.readAllStoredEntries). The json columns keep the text
 * as written.
 */
function toJson(value: unknown, eventId: string): string {
  const json = storedJsonOf(value);
  if (json === undefined) throw new TypeError(`Event ${eventId} has data or metadata that is not JSON`);
  return json;
}
