/**
 * The event store on EventStoreDB, through @eventstore/db-client (gRPC).
 *
 * What differs from the PostgreSQL adapter, because EventStoreDB differs:
 * - $all holds the server's own events ($metadata, $statsCollected, …). They
 *   are not the ledger's: readAll, headPosition and subscriptions leave every
 *   event whose type starts with `$` out.
 * - Positions are byte offsets in the transaction file: increasing, not dense,
 *   and $all can only be read from where a record starts. Readers continue
 *   after an event with `afterPosition`. For callers that still add 1 to a
 *   position, an event's position + 1 is served from the event's own
 *   position, leaving it out; any other in-between position is refused with
 *   a RangeError.
 * - DuplicateEventIdError: EventStoreDB has no index by event id. Its
 *   idempotency works on the stream being appended to: the same ids offered
 *   again to the same stream at the same place (same expected revision, or
 *   `any`) succeed without writing, answering the original revision and
 *   position, even if the data differs; ids overlapping only partly fail with
 *   a wrong expected version. An id already stored in *another* stream is
 *   written again, so the log then holds two events with that id. Only
 *   duplicates within one append are caught here, before sending.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type Position as ClientPosition,
  type ReadRevision,
} from '@eventstore/db-client';
import {
  WrongExpectedRevisionError,
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../event-store.port';
import { EventStoreDbAllSubscription, type ReconnectPolicy } from './eventstoredb-all-subscription';
import { isInvalidPosition, unreadablePosition } from './client-errors';
import {
  assertMaxCount,
  isSystemEventType,
  positionOf,
  toClientExpectedRevision,
  toClientPosition,
  toEventData,
  toRecordedEvent,
} from './event-mapping';

/** Attempts of one call while the connection is being re-established. */
const CALL_ATTEMPTS = 4;

export interface EventStoreDbEventStoreOptions {
  /** Resubscription after a dropped connection. Default: 100 ms, doubling up to 5 s. */
  reconnect?: Partial<ReconnectPolicy>;
  /** Events per $all read while skipping system events. Default 500. */
  readPageSize?: number;
}

export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly reconnect: ReconnectPolicy;
  private readonly pageSize: number;
  private readonly subscriptions = new Set<EventStoreDbAllSubscription>();
  private closed = false;

  /** `esdb://host:2113?tls=false`, or a client built elsewhere (then close() still disposes it). */
  constructor(connection: string | EventStoreDBClient, options: EventStoreDbEventStoreOptions = {}) {
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
    this.reconnect = { initialDelayMs: 100, maxDelayMs: 5000, ...options.reconnect };
    this.pageSize = options.readPageSize ?? 500;
  }

  static fromConnectionString(connectionString: string, options?: EventStoreDbEventStoreOptions): EventStoreDbEventStore {
    return new EventStoreDbEventStore(connectionString, options);
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    const expected = options.expectedRevision ?? 'any';
    const data = toEventData(streamId, events, expected);
    try {
      // A retry is safe: the same ids at the same place are an idempotent write (see above).
      const result = await this.retryingUnavailable(() =>
        this.client.appendToStream(streamId, data, { expectedRevision: toClientExpectedRevision(expected) }));
      if (!result.position) throw new Error(`EventStoreDB did not return the position of the append to ${streamId}`);
      return { nextExpectedRevision: result.nextExpectedRevision, position: result.position.commit };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(streamId, expected, error.actualVersion);
      }
      throw error;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = assertMaxCount(options.maxCount);
    if (maxCount === 0) return [];
    const backwards = options.direction === 'backwards';
    const fromRevision: ReadRevision = options.fromRevision ?? (backwards ? END : START);
    try {
      const read = () => this.client.readStream(streamId, { fromRevision, maxCount, direction: backwards ? BACKWARDS : FORWARDS });
      return (await this.retryingUnavailable(() => collect(read()))).map(toRecordedEvent);
    } catch (error) {
      // EventStoreDB answers a read of a stream without events with "not found"; the port reads it as empty.
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  /** EventStoreDB reads one stream a call: the reads go out together. */
  async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const ids = [...new Set(streamIds)];
    const streams = await Promise.all(ids.map((streamId) => this.readStream(streamId)));
    return new Map(ids.map((streamId, index) => [streamId, streams[index]]));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = assertMaxCount(options.maxCount);
    if (maxCount === 0) return [];
    if (options.direction === 'backwards') return this.readAllBackwards(options.fromPosition, maxCount);
    if (options.afterPosition !== undefined && options.afterPosition >= 0n) {
      // EventStoreDB reads $all forwards from an event's position inclusive: start there and leave it out.
      return this.readAllForwardsFrom(toClientPosition(options.afterPosition), options.afterPosition, maxCount);
    }
    return this.readAllForwards(options.fromPosition, maxCount);
  }

  /** The last event that is not a system event: the one a subscription would deliver last. */
  async headPosition(): Promise<Position> {
    const [last] = await this.readAllBackwards(undefined, 1);
    return last ? last.position : -1n;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    const subscription = new EventStoreDbAllSubscription(this.client, options, this.reconnect, (closed) =>
      this.subscriptions.delete(closed));
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  private async readAllForwards(fromPosition: Position | undefined, maxCount: number): Promise<RecordedEvent[]> {
    if (fromPosition === undefined || fromPosition <= 0n) return this.readAllForwardsFrom(START, undefined, maxCount);
    return this.atReadablePosition(fromPosition, (at) =>
      this.readAllForwardsFrom(toClientPosition(at), at === fromPosition ? undefined : at, maxCount));
  }

  /**
   * Forwards from a position, inclusive: EventStoreDB's forward reads of $all
   * include the event at the position. Events at or before `skipUpTo` are left
   * out (the event a page starts with when it was taken already).
   */
  private async readAllForwardsFrom(
    start: ClientPosition | typeof START,
    skipUpTo: Position | undefined,
    maxCount: number,
  ): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let from = start;
    for (let first = true; ; first = false) {
      // One more than needed when the page starts with an event to skip.
      const wanted = pageWanted(first, maxCount - events.length, this.pageSize) + (skipUpTo === undefined ? 0 : 1);
      const page = await this.readAllPage(from, FORWARDS, wanted);
      for (const resolved of page) {
        if (skipUpTo !== undefined && positionOf(resolved) <= skipUpTo) continue;
        if (!isSystemEventType(resolved.event?.type ?? '$>')) events.push(toRecordedEvent(resolved));
        if (events.length === maxCount) return events;
      }
      const last = page[page.length - 1];
      if (!last || page.length < wanted) return events;
      skipUpTo = positionOf(last);
      from = toClientPosition(skipUpTo);
    }
  }

  private async readAllBackwards(fromPosition: Position | undefined, maxCount: number): Promise<RecordedEvent[]> {
    if (fromPosition === undefined) return this.readAllBackwardsFrom(END, [], maxCount);
    if (fromPosition < 0n) return [];
    return this.atReadablePosition(fromPosition, async (at) => {
      // EventStoreDB's backward reads of $all exclude the event at the given
      // position (they return the events that end before it); the port
      // includes it, so that one is fetched on its own first.
      const [atPosition] = await this.readAllPage(toClientPosition(at), FORWARDS, 1);
      const included = atPosition && positionOf(atPosition) === at && !isSystemEventType(atPosition.event?.type ?? '$>');
      return this.readAllBackwardsFrom(toClientPosition(at), included ? [toRecordedEvent(atPosition)] : [], maxCount);
    });
  }

  private async readAllBackwardsFrom(
    start: ClientPosition | typeof END,
    events: RecordedEvent[],
    maxCount: number,
  ): Promise<RecordedEvent[]> {
    let from = start;
    for (let first = true; events.length < maxCount; first = false) {
      const wanted = pageWanted(first, maxCount - events.length, this.pageSize);
      const page = await this.readAllPage(from, BACKWARDS, wanted);
      for (const resolved of page) {
        if (!isSystemEventType(resolved.event?.type ?? '$>')) events.push(toRecordedEvent(resolved));
        if (events.length === maxCount) return events;
      }
      if (page.length < wanted) return events;
      from = toClientPosition(positionOf(page[page.length - 1]));
    }
    return events;
  }

  /** Reads at `position`, or, if EventStoreDB cannot read from there, at one lower (see unreadablePosition). */
  private async atReadablePosition<T>(position: Position, read: (at: Position) => Promise<T>): Promise<T> {
    try {
      return await read(position);
    } catch (error) {
      if (!isInvalidPosition(error)) throw error;
    }
    try {
      return await read(position - 1n);
    } catch (error) {
      throw isInvalidPosition(error) ? unreadablePosition(position) : error;
    }
  }

  private async readAllPage(
    fromPosition: ClientPosition | typeof START | typeof END,
    direction: typeof FORWARDS | typeof BACKWARDS,
    maxCount: number,
  ): Promise<AllStreamResolvedEvent[]> {
    return this.retryingUnavailable(() => collect(this.client.readAll({ fromPosition, direction, maxCount })));
  }

  /**
   * When the connection drops, the client closes its channel and the calls
   * caught on it fail with UnavailableError; the next call opens a new channel.
   * So a call that fails that way is tried again, a few times, with the
   * reconnect backoff, before the error reaches the caller.
   */
  private async retryingUnavailable<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof UnavailableError) || attempt + 1 >= CALL_ATTEMPTS) throw error;
        await delay(Math.min(this.reconnect.maxDelayMs, this.reconnect.initialDelayMs * 2 ** attempt));
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }
}

async function collect<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * How many events to ask for in a page of $all: what is still wanted on the
 * first page, whole pages after it. System events ($statsCollected, every
 * 30 s on a real node) pile up in a quiet log; asking for one event per
 * round trip made finding the head of the log (or the next ledger event
 * after a checkpoint) cost a round trip per system event in between.
 */
function pageWanted(first: boolean, stillWanted: number, pageSize: number): number {
  return first ? Math.min(stillWanted, pageSize) : pageSize;
}
