import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { RecordedEvent } from './event-store.port';

/**
 * An event as the verifiable log holds it: the RFC 8785 (JCS) canonical JSON
 * of `{id, type, streamId, revision, data, metadata}` exactly as stored, so
 * that the same event gives the same bytes whichever store holds it and
 * however that store lays out its JSON (key order, spaces, escapes). The
 * position is left out: it is the store's, not the event's (EventStoreDB's
 * positions are byte offsets), and the leaf's index in the tree says where
 * the event stands.
 */
export function logEntryOf(event: RecordedEvent): Buffer {
  if (event.revision > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`revision ${event.revision} of ${event.streamId} is past 2^53`);
  const envelope = { id: event.id, type: event.type, streamId: event.streamId, revision: Number(event.revision), data: event.data, metadata: event.metadata };
  return Buffer.from(canonicalize(envelope), 'utf8');
}

/** RFC 9162 leaf hash of an entry: SHA-256(0x00 ‖ entry). */
export function logLeafHashOf(event: RecordedEvent): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(logEntryOf(event)).digest();
}

const LEAF_PREFIX = Buffer.from([0]);
