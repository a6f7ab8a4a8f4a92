import {
  AppendResult,
  DuplicateEventIdError,
  ExpectedRevision,
  Position,
  StreamRevision,
  WrongExpectedRevisionError,
} from '../event-store.port';

/** An event ready for the database: id normalised, data and metadata already JSON text. */
export interface SerializedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

/** One appendToStream call waiting to be written. */
export interface PendingAppend {
  streamId: string;
  events: readonly SerializedEvent[];
  expectedRevision: ExpectedRevision;
}

/** Where a stored event sits. */
export interface EventPlace {
  streamId: string;
  revision: StreamRevision;
  position: Position;
}

/** What the log holds for one batch of appends, read while holding the append lock. */
export interface LogState {
  /** Position of the last event, -1n when the log is empty. */
  head: Position;
  /** Last revision of each stream the batch touches; a missing stream has no entry. */
  streamRevisions: ReadonlyMap<string, StreamRevision>;
  /** The batch's event ids that are already stored, and where. */
  storedIds: ReadonlyMap<string, EventPlace>;
}

export type EventRow = SerializedEvent & EventPlace;

export type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: Error };

export interface BatchDecision {
  /** One outcome per append, in the order given. */
  outcomes: AppendOutcome[];
  /** The rows to insert, in position order. */
  rows: EventRow[];
}

/**
 * Decides a batch of appends against the log, one after the other, as if each
 * were its own transaction: an append sees the rows of the accepted appends
 * before it, and one that fails its revision check fails alone. Pure, so the
 * group-commit rules are testable without a database.
 *
 * Positions continue the log without gaps; that is sound only because the
 * caller holds the append lock, so no other writer can take them.
 */
export function decideAppends(appends: readonly PendingAppend[], initial: LogState): BatchDecision {
  const state = {
    head: initial.head,
    streamRevisions: new Map(initial.streamRevisions),
    storedIds: new Map(initial.storedIds),
  };
  const rows: EventRow[] = [];
  const outcomes = appends.map((append) => decideAppend(append, state, rows));
  return { outcomes, rows };
}

interface MutableLogState {
  head: Position;
  streamRevisions: Map<string, StreamRevision>;
  storedIds: Map<string, EventPlace>;
}

function decideAppend(append: PendingAppend, state: MutableLogState, rows: EventRow[]): AppendOutcome {
  const { streamId, events, expectedRevision } = append;
  const stored = events.map((event) => state.storedIds.get(event.id));
  if (stored.some((place) => place !== undefined)) return decideRepeatedIds(append, stored);

  const current = state.streamRevisions.get(streamId);
  if (!revisionMatches(expectedRevision, current)) {
    return { ok: false, error: new WrongExpectedRevisionError(streamId, expectedRevision, current ?? 'no_stream') };
  }
  const firstRevision = current === undefined ? 0n : current + 1n;
  events.forEach((event, index) => {
    const row = { ...event, streamId, revision: firstRevision + BigInt(index), position: state.head + 1n + BigInt(index) };
    rows.push(row);
    state.storedIds.set(event.id, row);
  });
  const last = rows[rows.length - 1];
  state.head = last.position;
  state.streamRevisions.set(streamId, last.revision);
  return { ok: true, result: { nextExpectedRevision: last.revision, position: last.position } };
}

/**
 * Ids already stored, in this stream, in this order, at consecutive revisions:
 * the retry of an append that succeeded (maybe its acknowledgement was lost).
 * Like EventStoreDB, answer with the original result whatever revision the
 * retry now expects. Any other reuse of a stored id is an error.
 */
function decideRepeatedIds(append: PendingAppend, stored: ReadonlyArray<EventPlace | undefined>): AppendOutcome {
  const first = stored[0];
  const isRetry =
    first !== undefined &&
    stored.every((place, index) => place?.streamId === append.streamId && place.revision === first.revision + BigInt(index));
  if (isRetry) {
    const last = stored[stored.length - 1]!;
    return { ok: true, result: { nextExpectedRevision: last.revision, position: last.position } };
  }
  const clash = append.events[stored.findIndex((place) => place !== undefined)];
  return { ok: false, error: new DuplicateEventIdError(clash.id, append.streamId) };
}

function revisionMatches(expected: ExpectedRevision, current: StreamRevision | undefined): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === undefined;
    case 'stream_exists':
      return current !== undefined;
    default:
      return current === expected;
  }
}
