/**
 * The event store port. Its semantics follow EventStoreDB so that the
 * PostgreSQL adapter and the EventStoreDB adapter are interchangeable; one
 * contract suite (testing/event-store.contract.ts) holds every adapter to it.
 */

/** Global order in the log ($all). Travels as a decimal string outside the process. */
export type Position = bigint;
/** Per-stream order, from 0. */
export type StreamRevision = bigint;

/**
 * `no_stream`: the stream must not exist yet. `any`: no check.
 * `stream_exists`: the stream must have at least one event.
 * A bigint: the revision of the stream's last event must be exactly this.
 */
export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | StreamRevision;

export type ActorRole = 'authority' | 'certifier' | 'registrar' | 'evaluator' | 'comptroller' | 'privacy' | 'system';

export interface ActorRef {
  /** The token's subject (`sub`). */
  id: string;
  role: ActorRole;
  /** The provider, centre or agency the actor acts for (`org`). */
  organizationId: string;
}

/** Metadata of every stored event; the audit trail is built from it. */
export interface EventMetadata {
  actor: ActorRef;
  commandId: string;
  correlationId: string;
  causationId: string;
  /** Business time, from the command (ISO 8601 UTC). */
  occurredAt: string;
  /** Server clock when the command was handled (ISO 8601 UTC). */
  recordedAt: string;
  schemaVersion: number;
}

export interface NewEvent<TType extends string = string, TData = unknown> {
  /** UUID. Appending an id that is already stored does not store it again. */
  id: string;
  type: TType;
  data: TData;
  metadata: EventMetadata;
}

export interface RecordedEvent<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  data: TData;
  metadata: EventMetadata;
  streamId: string;
  revision: StreamRevision;
  position: Position;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  nextExpectedRevision: StreamRevision;
  /** Global position of the last event appended (or found already stored). */
  position: Position;
}

export interface AppendOptions {
  /** Defaults to `any`. */
  expectedRevision?: ExpectedRevision;
}

export interface ReadStreamOptions {
  /** Inclusive; defaults to 0 (or the end when reading backwards). */
  fromRevision?: StreamRevision;
  maxCount?: number;
  direction?: 'forwards' | 'backwards';
}

export interface ReadAllOptions {
  /** Inclusive: the first event returned has a position >= this. Defaults to the start. */
  fromPosition?: Position;
  /**
   * Exclusive, forwards only, instead of fromPosition: the first event
   * returned has a position > this. How a reader continues after the last
   * event it read, since positions need not be dense (EventStoreDB's are not).
   */
  afterPosition?: Position;
  maxCount?: number;
  direction?: 'forwards' | 'backwards';
}

export interface SubscribeToAllOptions {
  /**
   * Exclusive: deliver events whose position is greater than this (a
   * checkpoint). Omitted: from the start of the log.
   */
  fromPosition?: Position;
  /** Deliver only these event types. Omitted: every non-system event. */
  eventTypes?: readonly string[];
  /**
   * Live, read the log at most once in this many milliseconds: while appends
   * come faster, one read brings everything appended in between, where
   * reading on every append's wake-up would read a few events at a time. A
   * quiet log is still read at once when it grows. For consumers that need no
   * read-your-writes freshness (the verifiable log's builder); stores that
   * push events as they are written ignore it. Omitted: read on every wake-up.
   */
  coalesceMs?: number;
}

/**
 * Catch-up, then live. Delivers every matching event exactly once, in
 * position order, never skipping one that a slower concurrent writer commits
 * later. Iterate it with `for await`; `close()` ends the iteration.
 */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  /** Resolves once the subscription has delivered everything stored when it was called. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

export interface EventStore {
  /** Atomic for one stream. Throws WrongExpectedRevisionError on a revision mismatch. */
  appendToStream(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** A missing stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Several whole streams, each as readStream gives it (forwards, every
   * event), by stream id; a missing stream reads as empty. In one round trip
   * where the store can: a command that decides on four streams reads them
   * together.
   */
  readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Position of the last event in the log, or -1n when it is empty. */
  headPosition(): Promise<Position>;
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual revision, or 'no_stream'. */
    readonly actual: StreamRevision | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An event id already stored, offered again with different content or in another stream. */
export class DuplicateEventIdError extends Error {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(readonly eventId: string, readonly streamId: string) {
    super(`Event ${eventId} is already stored elsewhere than in ${streamId} at this place`);
    this.name = 'DuplicateEventIdError';
  }
}

export const EVENT_STORE = Symbol('EVENT_STORE');
