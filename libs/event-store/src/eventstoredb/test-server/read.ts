/**
 * Streams.Read: one RPC for four things, told apart by ReadReq.Options —
 * a stream read, a $all read (forwards or backwards, each with a count), and
 * a catch-up subscription to a stream or to $all (`subscription` instead of
 * `count`).
 */
import { randomUUID } from 'node:crypto';
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { InMemoryLog, StoredRecord } from './in-memory-log';
import { eventFilterOf, type EventFilter } from './event-filter';
import { ResponseWriter } from './response-writer';
import {
  caughtUpMessage,
  checkpointMessage,
  confirmationMessage,
  eventMessage,
  streamNameOf,
  streamNotFoundMessage,
  uuidFormatOf,
  type UuidFormat,
} from './wire';

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

/** Counts what tests want to know happened on the wire. */
export interface ReadMetrics {
  subscriptionsStarted: number;
}

export function readHandler(log: InMemoryLog, metrics: ReadMetrics): (call: ReadCall) => void {
  return (call) => {
    if (call.request.getOptions()?.hasSubscription()) metrics.subscriptionsStarted++;
    serveRead(log, call).catch((error: unknown) => {
      call.emit('error', { code: status.INTERNAL, details: `test server: ${String(error)}` });
    });
  };
}

async function serveRead(log: InMemoryLog, call: ReadCall): Promise<void> {
  const options = call.request.getOptions();
  if (!options || (!options.hasStream() && !options.hasAll())) {
    call.emit('error', { code: status.INVALID_ARGUMENT, details: 'ReadReq without stream options' });
    return;
  }
  const from = options.getAll()?.getPosition();
  if (from && !log.isReadablePosition(BigInt(from.getCommitPosition()))) {
    // EventStoreDB's answer, for reads and subscriptions alike (no confirmation first).
    call.emit('error', { code: status.INVALID_ARGUMENT, details: 'Trying to read from an invalid position.' });
    return;
  }
  const writer = new ResponseWriter(call);
  if (options.hasSubscription()) {
    await subscribe(log, options, writer);
  } else {
    await readOnce(log, options, writer);
    writer.end();
  }
}

// ---------------------------------------------------------------- reads

async function readOnce(log: InMemoryLog, options: ReadReq.Options, writer: ResponseWriter): Promise<void> {
  const format = uuidFormatOf(options);
  const records = options.hasStream() ? readStream(log, options) : readAll(log, options);
  if (records === 'stream_not_found') {
    await writer.write(streamNotFoundMessage(streamNameOf(options.getStream()!.getStreamIdentifier())));
    return;
  }
  let remaining = BigInt(options.getCount());
  for (const record of records) {
    if (remaining <= 0n || !writer.isOpen) return;
    remaining--;
    await writer.write(eventMessage(record, format));
  }
}

const FORWARDS = ReadReq.Options.ReadDirection.FORWARDS;

/** A stream without events is answered with a `stream_not_found` message, not with an error status. */
function readStream(log: InMemoryLog, options: ReadReq.Options): Iterable<StoredRecord> | 'stream_not_found' {
  const stream = options.getStream()!;
  const records = log.streamRecords(streamNameOf(stream.getStreamIdentifier()));
  if (!records || records.length === 0) return 'stream_not_found';
  const last = records.length - 1;
  if (options.getReadDirection() === FORWARDS) {
    const from = stream.hasEnd() ? records.length : stream.hasRevision() ? Number(stream.getRevision()) : 0;
    return walk(records, from, +1);
  }
  // Backwards from a revision past the end starts at the last event.
  const from = stream.hasRevision() ? Math.min(Number(stream.getRevision()), last) : stream.hasStart() ? 0 : last;
  return walk(records, from, -1);
}

/**
 * $all forwards from a position includes the event at that position;
 * backwards from a position returns the events that end at or before it, so
 * the event at that position is not included (EventStoreDB's post-position
 * rule for backward reads).
 */
function readAll(log: InMemoryLog, options: ReadReq.Options): Iterable<StoredRecord> {
  const all = options.getAll()!;
  const records = log.records;
  const at = all.hasPosition() ? BigInt(all.getPosition()!.getCommitPosition()) : undefined;
  let selected: Iterable<StoredRecord>;
  if (options.getReadDirection() === FORWARDS) {
    const from = all.hasEnd() ? records.length : at === undefined ? 0 : firstIndex(records, (record) => record.position >= at);
    selected = walk(records, from, +1);
  } else {
    const to = all.hasStart() ? 0 : at === undefined ? records.length : firstIndex(records, (record) => record.endPosition > at);
    selected = walk(records, to - 1, -1);
  }
  const filter = eventFilterOf(options);
  return filter ? only(selected, filter.matches) : selected;
}

function* walk(records: readonly StoredRecord[], from: number, step: 1 | -1): Iterable<StoredRecord> {
  for (let index = from; index >= 0 && index < records.length; index += step) yield records[index];
}

function* only(records: Iterable<StoredRecord>, matches: (record: StoredRecord) => boolean): Iterable<StoredRecord> {
  for (const record of records) if (matches(record)) yield record;
}

/** Binary search: the first index where `isPast` holds, given it holds for every later index too. */
function firstIndex(records: readonly StoredRecord[], isPast: (record: StoredRecord) => boolean): number {
  let low = 0;
  let high = records.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (isPast(records[middle])) high = middle;
    else low = middle + 1;
  }
  return low;
}

// -------------------------------------------------------- subscriptions

interface SubscriptionSource {
  /** Re-read on every step: a stream that does not exist yet appears later. */
  records(): readonly StoredRecord[];
  /** Index of the first record to consider. */
  start: number;
  filter?: EventFilter;
}

/**
 * Confirmation first, then catch-up from the start point, then `caught_up`,
 * then live events as they are written. One cursor over an append-only array
 * carries the subscription from history into live, so it can neither skip nor
 * repeat an event at the hand-over.
 */
async function subscribe(log: InMemoryLog, options: ReadReq.Options, writer: ResponseWriter): Promise<void> {
  const source = options.hasStream() ? streamSource(log, options) : allSource(log, options);
  const format = uuidFormatOf(options);
  await writer.write(confirmationMessage(randomUUID()));
  await pump(log, source, format, writer);
}

async function pump(log: InMemoryLog, source: SubscriptionSource, format: UuidFormat, writer: ResponseWriter): Promise<void> {
  let cursor = source.start;
  let considered = 0;
  let caughtUp = false;
  while (writer.isOpen) {
    const records = source.records();
    if (cursor < records.length) {
      const record = records[cursor++];
      if (!source.filter || source.filter.matches(record)) await writer.write(eventMessage(record, format));
      if (source.filter && ++considered >= source.filter.checkpointInterval) {
        considered = 0;
        await writer.write(checkpointMessage(record.position));
      }
    } else if (!caughtUp) {
      caughtUp = true;
      await writer.write(caughtUpMessage());
    } else {
      // Nothing can be appended between the length check above and this call: both are synchronous.
      await Promise.race([log.nextAppend(), writer.closed]);
    }
  }
}

/**
 * From a revision: the events after it (subscriptions are exclusive of their
 * start point). A stream that does not exist yet gets `caught_up` too, as from
 * EventStoreDB 24.2 (23.10 sent none in that case).
 */
function streamSource(log: InMemoryLog, options: ReadReq.Options): SubscriptionSource {
  const stream = options.getStream()!;
  const name = streamNameOf(stream.getStreamIdentifier());
  const records = (): readonly StoredRecord[] => log.streamRecords(name) ?? [];
  const start = stream.hasEnd() ? records().length : stream.hasRevision() ? Number(stream.getRevision()) + 1 : 0;
  return { records, start };
}

/** From a position: the events after the one at that position. */
function allSource(log: InMemoryLog, options: ReadReq.Options): SubscriptionSource {
  const all = options.getAll()!;
  const records = (): readonly StoredRecord[] => log.records;
  let start = 0;
  if (all.hasEnd()) start = log.records.length;
  if (all.hasPosition()) {
    const after = BigInt(all.getPosition()!.getCommitPosition());
    start = firstIndex(log.records, (record) => record.position > after);
  }
  return { records, start, filter: eventFilterOf(options) };
}
