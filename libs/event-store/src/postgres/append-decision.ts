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

/** What the log holds for the streams and event ids of one batch of appends. */
export interface LogState {
  /** Last revision of each stream the batch touches; a missing stream has no entry. */
  streamRevisions: ReadonlyMap<string, StreamRevision>;
  /** The batch's event ids that are already stored, and where. */
  storedIds: ReadonlyMap<string, EventPlace>;
}

/** A row to insert. Its position is not decided here: the database gives it under the append lock. */
export type NewEventRow = SerializedEvent & { streamId: string; revision: StreamRevision };

export type AppendOutcome =
  /** Rows to insert; `lastRow` indexes the append's last one in the batch's rows. */
  | { kind: 'written'; nextExpectedRevision: StreamRevision; lastRow: number }
  /** Already stored by an earlier append: the retry's answer is that append's result. */
  | { kind: 'found'; result: AppendResult }
  | { kind: 'failed'; error: Error };

export interface BatchDecision {
  /** One outcome per append, in the order given. */
  outcomes: AppendOutcome[];
  /** The rows to insert, in the order their positions must follow. */
  rows: NewEventRow[];
}

/**
 * Decides a batch of appends against the log, one after the other, as if each
 * were its own transaction: an append sees the rows of the accepted appends
 * before it, and one that fails its revision check fails alone. Pure, so the
 * group-commit rules are testable without a database.
 */
export function decideAppends(appends: readonly PendingAppend[], initial: LogState): BatchDecision {
  const state: MutableLogState = {
    streamRevisions: new Map(initial.streamRevisions),
    places: new Map<string, Place>(initial.storedIds),
  };
  const rows: NewEventRow[] = [];
  const outcomes = appends.map((append) => decideAppend(append, state, rows));
  return { outcomes, rows };
}

/**
 * The state a batch believes in when every append names its expected
 * revision: each stream where its first append expects it, and none of the
 * ids stored (a retry is the exception). Deciding on it needs no read; the
 * database checks the belief under the append lock, in the statement that
 * inserts. Null when an append leaves the revision open (any, stream_exists).
 * The first append of each stream always matches its own belief, so a batch
 * decided on it always has rows, and so always gets checked.
 */
export function expectedState(appends: readonly PendingAppend[]): LogState | null {
  const streamRevisions = new Map<string, StreamRevision>();
  const believed = new Set<string>();
  for (const { streamId, expectedRevision } of appends) {
    if (expectedRevision === 'any' || expectedRevision === 'stream_exists') return null;
    if (believed.has(streamId)) continue;
    believed.add(streamId);
    if (expectedRevision !== 'no_stream') streamRevisions.set(streamId, expectedRevision);
  }
  return { streamRevisions, storedIds: new Map() };
}

/** The caller's answer to a successful append, once the database has placed the batch's rows after position `head`. */
export function appendResult(outcome: Exclude<AppendOutcome, { kind: 'failed' }>, head: Position): AppendResult {
  return outcome.kind === 'found'
    ? outcome.result
    : { nextExpectedRevision: outcome.nextExpectedRevision, position: head + 1n + BigInt(outcome.lastRow) };
}

/** Where an event id already sits: stored in the log, or among this batch's rows. */
type Place = EventPlace | { streamId: string; revision: StreamRevision; row: number };

interface MutableLogState {
  streamRevisions: Map<string, StreamRevision>;
  places: Map<string, Place>;
}

function decideAppend(append: PendingAppend, state: MutableLogState, rows: NewEventRow[]): AppendOutcome {
  const { streamId, events, expectedRevision } = append;
  if (events.some((event) => state.places.has(event.id))) return decideRepeatedIds(append, state);

  const current = state.streamRevisions.get(streamId);
  if (!revisionMatches(expectedRevision, current)) {
    return { kind: 'failed', error: new WrongExpectedRevisionError(streamId, expectedRevision, current ?? 'no_stream') };
  }
  const firstRevision = current === undefined ? 0n : current + 1n;
  events.forEach((event, index) => {
    const revision = firstRevision + BigInt(index);
    state.places.set(event.id, { streamId, revision, row: rows.length });
    rows.push({ ...event, streamId, revision });
  });
  const nextExpectedRevision = firstRevision + BigInt(events.length - 1);
  state.streamRevisions.set(streamId, nextExpectedRevision);
  return { kind: 'written', nextExpectedRevision, lastRow: rows.length - 1 };
}

/**
 * Ids already stored (or written earlier in this batch), in this stream, in
 * this order, at consecutive revisions: the retry of an append that succeeded
 * or is succeeding, say after a lost acknowledgement or a client timeout.
 * Like EventStoreDB, answer with the original result whatever revision the
 * retry now expects. Any other reuse of a stored id is an error.
 */
function decideRepeatedIds(append: PendingAppend, state: MutableLogState): AppendOutcome {
  const places = append.events.map((event) => state.places.get(event.id));
  const first = places[0];
  const isRetry =
    first !== undefined &&
    places.every((place, index) => place?.streamId === append.streamId && place.revision === first.revision + BigInt(index));
  if (!isRetry) {
    const clash = append.events[places.findIndex((place) => place !== undefined)];
    return { kind: 'failed', error: new DuplicateEventIdError(clash.id, append.streamId) };
  }
  const last = places[places.length - 1]!;
  return 'row' in last
    ? { kind: 'written', nextExpectedRevision: last.revision, lastRow: last.row }
    : { kind: 'found', result: { nextExpectedRevision: last.revision, position: last.position } };
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
