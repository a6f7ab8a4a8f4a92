/**
 * Conversions between the test server's records and the protobuf messages of
 * EventStoreDB's gRPC API, using the message classes generated into
 * @eventstore/db-client (no .proto files ship with the package).
 */
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import type { StoredRecord } from './in-memory-log';

export type UuidFormat = 'string' | 'structured';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Stream names travel as bytes; EventStoreDB treats them as UTF-8. */
export function streamNameOf(identifier: StreamIdentifier | undefined): string {
  return identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';
}

export function streamIdentifier(streamName: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(streamName, 'utf8'));
}

/**
 * A proposed event id, in either wire format, as a canonical lower-case UUID;
 * undefined when it is not a UUID (EventStoreDB rejects such a write). The
 * server would also take .NET's other Guid spellings ({…}, no hyphens); the
 * client always sends the hyphenated one, so only that is accepted here.
 */
export function parseUuid(uuid: UUID | undefined): string | undefined {
  if (!uuid) return undefined;
  const text = uuid.hasStructured() ? structuredToString(uuid.getStructured()!) : uuid.getString().toLowerCase();
  return UUID_PATTERN.test(text) ? text : undefined;
}

/** The id of a recorded event in the format the reader asked for (ReadReq.Options.uuid_option). */
export function formatUuid(id: string, format: UuidFormat): UUID {
  const uuid = new UUID();
  if (format === 'string') return uuid.setString(id);
  // Structured: the 16 bytes in RFC 4122 order as two signed 64-bit halves, as Java's UUID holds them.
  const bytes = Buffer.from(id.replace(/-/g, ''), 'hex');
  const structured = new UUID.Structured()
    .setMostSignificantBits(bytes.readBigInt64BE(0).toString(10))
    .setLeastSignificantBits(bytes.readBigInt64BE(8).toString(10));
  return uuid.setStructured(structured);
}

function structuredToString(structured: UUID.Structured): string {
  const bytes = Buffer.alloc(16);
  bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getMostSignificantBits())), 0);
  bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits())), 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidFormatOf(options: ReadReq.Options): UuidFormat {
  return options.getUuidOption()?.hasString() ? 'string' : 'structured';
}

/**
 * One event of a read or a subscription. Since EventStoreDB 22.6 events read
 * from a stream carry their log position too, so every event here has one.
 */
export function eventMessage(record: StoredRecord, format: UuidFormat): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(formatUuid(record.eventId, format))
    .setStreamIdentifier(streamIdentifier(record.streamId))
    .setStreamRevision(record.revision.toString(10))
    .setCommitPosition(record.position.toString(10))
    .setPreparePosition(record.position.toString(10))
    .setData(record.data)
    .setCustomMetadata(record.metadata);
  recorded.getMetadataMap()
    .set('type', record.type)
    .set('content-type', record.contentType)
    .set('created', record.created.toString(10));
  const event = new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(record.position.toString(10));
  return new ReadResp().setEvent(event);
}

export function confirmationMessage(subscriptionId: string): ReadResp {
  return new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(subscriptionId));
}

export function caughtUpMessage(): ReadResp {
  return new ReadResp().setCaughtUp(new ReadResp.CaughtUp());
}

export function checkpointMessage(position: bigint): ReadResp {
  const checkpoint = new ReadResp.Checkpoint()
    .setCommitPosition(position.toString(10))
    .setPreparePosition(position.toString(10));
  return new ReadResp().setCheckpoint(checkpoint);
}

export function streamNotFoundMessage(streamName: string): ReadResp {
  return new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(streamName)));
}

export function empty(): Empty {
  return new Empty();
}
