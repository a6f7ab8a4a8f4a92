import {
  logLeafHashOf,
  PostgresEventStore,
  writeStoredLeafHash,
  type EventStore,
  type Position,
  type RecordedEvent,
  type StoredLogEntry,
} from '@ledger/event-store';
import {
  appendLeaves,
  emptyTreeEdge,
  equalHashes,
  HASH_SIZE,
  openCheckpoint,
  rootOfTreeEdge,
  storedHashCount,
  storedHashIndex,
  type NoteVerifierKey,
  type TreeEdge,
} from '@ledger/verifiable-log';
import type { Queryable } from '../query-queue';
import { hashesBetween, hashesBetweenByIndex, leafOfEventId, leafRunsBetween, leavesBetween } from './log-runs';

/** How the log and the tree disagree at the first place they do. */
export type Discrepancy =
  /** The event is the one the tree holds there, but its bytes are not the ones the tree hashed. */
  | 'changed'
  /** The tree holds an event the log no longer has there. */
  | 'missing'
  /** The log holds an event the tree does not have there. */
  | 'extra'
  /** The log holds, here, an event the tree has elsewhere. */
  | 'reordered'
  /** The stored tree (its hashes or its root) or a signed checkpoint does not match the leaves. */
  | 'tree'
  | 'checkpoint';

export interface VerificationFinding {
  readonly kind: Discrepancy;
  /** The log position where it shows (the tree's leaf index when the log has nothing there). */
  readonly position: string;
  readonly leafIndex: number;
  readonly detail: string;
}

/** How `ledger verify` names the first difference it found. */
export function describeFinding({ kind, position, leafIndex, detail }: VerificationFinding): string {
  return `the log does not match at position ${position} (leaf ${leafIndex}): ${kind}: ${detail}`;
}

export interface VerificationResult {
  /** Leaves compared. */
  readonly leaves: number;
  /** Signed checkpoints whose signature and root were checked. */
  readonly checkpoints: number;
  readonly finding?: VerificationFinding;
}

export interface LogVerificationOptions {
  readonly store: EventStore;
  /** The read models' database: the tree (views of the active `log` generation) and the signed checkpoints. */
  readonly db: Queryable;
  readonly origin: string;
  readonly verifiers: readonly NoteVerifierKey[];
  readonly batchSize?: number;
  readonly onProgress?: (leaves: number, total: number) => void;
  /**
   * The log's entries as the store assembles them from the texts it keeps,
   * none parsed (PostgresEventStore's readAllStoredEntries). By default the
   * store itself when it is a PostgresEventStore; `false` reads every event
   * through the port. The findings are the same either way (see
   * storedEntrySource).
   */
  readonly storedEntries?: StoredEntryLog | false;
}

/** What verify needs of a store that can hand out its events' entries as stored (PostgresEventStore). */
export interface StoredEntryLog {
  /** Up to `maxCount` events of $all after `afterPosition` (exclusive; omitted, from the start), with their stored entries. */
  readAllStoredEntries(afterPosition: Position | undefined, maxCount: number): Promise<StoredLogEntry[]>;
  /** The event readAll gives for such a row. */
  storedEntryToRecordedEvent(row: StoredLogEntry): RecordedEvent;
}

/** What the findings need of an event: where it stands and which it is. */
interface LoggedEvent {
  readonly id: string;
  readonly position: bigint;
}

/**
 * Where verify reads the log's events from, and how it hashes them. Every
 * leaf hash a source gives is logLeafHashOf of the event as readAll gives it.
 */
interface EventSource<E> {
  /** Up to `maxCount` events of $all after `last` (omitted: from the start). */
  read(last: E | undefined, maxCount: number): Promise<E[]>;
  id(event: E): string;
  position(event: E): bigint;
  /** position(event) in decimal, as the leaf runs give it. */
  positionText(event: E): string;
  /**
   * The leaf hashes of a batch. `storedLeafIs(offset, bytes, at)` says
   * whether the stored tree holds the 32 bytes at `at` in `bytes` as the leaf
   * of the batch's event at `offset`.
   */
  leafHashes(events: readonly E[], storedLeafIs: (offset: number, bytes: Buffer, at: number) => boolean): Buffer[];
}

/** Every event through the port, parsed, and hashed from its objects. */
function portSource(store: EventStore): EventSource<RecordedEvent> {
  return {
    read: (last, maxCount) => store.readAll(last === undefined ? { maxCount } : { afterPosition: last.position, maxCount }),
    id: (event) => event.id,
    position: (event) => event.position,
    positionText: (event) => event.position.toString(),
    leafHashes: (events) => events.map(logLeafHashOf),
  };
}

/**
 * Every event's entry as the store assembles it from the texts it keeps,
 * unparsed, hashed as it is: the PostgreSQL store writes data and metadata
 * as RFC 8785 text, so for the events it wrote that entry is the one
 * logLeafHashOf hashes. Whether an event is one of them needs no parse
 * either: when the stored tree holds that hash for its leaf, the entry is
 * the bytes the log builder hashed (barring a SHA-256 collision), and so the
 * RFC 8785 entry of the event as read through the port. Any other event
 * (stored before the store wrote RFC 8785 text, by hand, changed since it
 * was logged, or past the stored tree) is parsed and hashed as the port
 * gives it, before anything is concluded: every hash, and so every finding,
 * is the one the port gives.
 */
function storedEntrySource(log: StoredEntryLog): EventSource<StoredLogEntry> {
  // Rows stored before the store wrote RFC 8785 text come in a run (from the log's start to the upgrade): while the
  // entries of a batch mostly are not the leaves, the next one tries only its first rows, to see when that changes.
  // Not trying is always sound: it only sends the row to the port's hash.
  let entriesPay = true;
  return {
    read: (last, maxCount) => log.readAllStoredEntries(last === undefined ? undefined : BigInt(last.position), maxCount),
    id: (event) => event.id,
    position: (event) => BigInt(event.position),
    positionText: (event) => event.position,
    leafHashes: (events, storedLeafIs) => {
      // One buffer for the batch's hashes, never reused: the tree's edge may keep one of them.
      const bytes = Buffer.allocUnsafe(events.length * HASH);
      const hashes = new Array<Buffer>(events.length);
      const tried = entriesPay ? events.length : Math.min(events.length, ENTRY_PROBES);
      let leaves = 0;
      for (let offset = 0, at = 0; offset < events.length; offset += 1, at += HASH) {
        if (offset < tried) writeLeafHash(events[offset].entry, bytes, at);
        if (offset < tried && storedLeafIs(offset, bytes, at)) leaves += 1;
        else logLeafHashOf(log.storedEntryToRecordedEvent(events[offset])).copy(bytes, at);
        hashes[offset] = bytes.subarray(at, at + HASH);
      }
      if (tried > 0) entriesPay = leaves * 2 >= tried;
      return hashes;
    },
  };
}

/** Rows of a batch whose stored entries are tried while the entries of the batch before mostly were not the leaves. */
const ENTRY_PROBES = 32;

/** Read once: a re-exported binding is a getter at every use. */
const writeLeafHash = writeStoredLeafHash;
const HASH = HASH_SIZE;
const hashCountOf = storedHashCount;

function storedEntryLogOf(options: LogVerificationOptions): StoredEntryLog | undefined {
  if (options.storedEntries === false) return undefined;
  if (options.storedEntries) return options.storedEntries;
  return options.store instanceof PostgresEventStore ? options.store : undefined;
}

interface StoredLeaf {
  readonly leafIndex: number;
  readonly position: bigint;
  readonly eventId: string;
}

interface SignedCheckpointRow {
  readonly treeSize: number;
  readonly note: string;
}

/**
 * Recomputes every leaf of the verifiable log from the event store and holds
 * it against the stored tree and every signed checkpoint: the same events in
 * the same order, the same bytes (the leaf hashes), the same stored hashes,
 * the same root, and for every checkpoint a valid signature over the root of
 * the leaves up to its size. Stops at the first difference and says where
 * and how; a forger with the database alone cannot hide an edit, a deletion
 * or a swap of events from it, since signed checkpoints pin the history.
 */
export async function verifyLog(options: LogVerificationOptions): Promise<VerificationResult> {
  const storedEntries = storedEntryLogOf(options);
  return storedEntries ? verifyFrom(storedEntrySource(storedEntries), options) : verifyFrom(portSource(options.store), options);
}

async function verifyFrom<E>(source: EventSource<E>, options: LogVerificationOptions): Promise<VerificationResult> {
  const { db } = options;
  const logged = (events: readonly E[]): LoggedEvent[] => events.map((event) => ({ id: source.id(event), position: source.position(event) }));
  const batchSize = options.batchSize ?? 5_000;
  const checkpoints = await signedCheckpoints(db);
  const treeSize = await storedTreeSize(db);
  const total = Math.max(treeSize, checkpoints.at(-1)?.treeSize ?? 0);
  let edge: TreeEdge = emptyTreeEdge();
  let checked = 0;
  let nextCheckpoint = 0;
  let after: bigint | undefined;
  // The next batch of events and of the tree's rows are read while this one is hashed.
  let pendingRead = settled(source.read(undefined, batchSize));
  let pendingStored = settled(storedBatch(db, 0, Math.min(batchSize, total), treeSize));
  // The checkpoint of the empty tree, signed when the log was new.
  while (checkpoints[nextCheckpoint]?.treeSize === 0) {
    const finding = checkpointFinding(checkpoints[nextCheckpoint], edge, options);
    if (finding) return { leaves: 0, checkpoints: checked, finding };
    checked += 1;
    nextCheckpoint += 1;
  }
  while (edge.size < total) {
    const events = await pendingRead;
    if (events.length > 0) pendingRead = settled(source.read(events[events.length - 1], batchSize));
    const wanted = events.length > total - edge.size ? events.slice(0, total - edge.size) : events;
    const stored = await pendingStored;
    const next = edge.size + wanted.length;
    if (wanted.length > 0 && next < total) pendingStored = settled(storedBatch(db, next, Math.min(batchSize, total - next), treeSize));
    // The rows read in bulk settle the common case, every leaf the same event; any difference is looked at leaf by leaf.
    if (!sameLeaves(source, stored, edge.size, wanted)) {
      const leaves = await storedLeaves(db, edge.size, Math.min(batchSize, total - edge.size));
      const mismatch = await firstMismatch(db, logged(wanted), leaves, edge.size, treeSize);
      if (mismatch) return { leaves: edge.size + mismatch.offset, checkpoints: checked, finding: mismatch.finding };
    }
    // Leaves between checkpoints are appended in runs, so every checkpoint size is a tree size to check.
    let offset = 0;
    const firstLeaf = edge.size;
    const hashes = source.leafHashes(wanted, (offset, bytes, at) => storedLeafIs(stored, firstLeaf + offset, treeSize, bytes, at));
    while (offset < hashes.length) {
      const boundary = checkpoints[nextCheckpoint]?.treeSize;
      const runEnd = boundary !== undefined && boundary > edge.size && boundary - edge.size <= hashes.length - offset ? offset + (boundary - edge.size) : hashes.length;
      const before = edge.size;
      const appended = appendLeaves(edge, offset === 0 && runEnd === hashes.length ? hashes : hashes.slice(offset, runEnd));
      edge = appended.edge;
      if (before < treeSize && !sameStoredHashes(stored, appended.storedHashes)) {
        const finding = await storedHashesFinding(db, appended.storedHashes, logged(wanted.slice(offset, Math.min(runEnd, offset + treeSize - before))), before);
        if (finding) return { leaves: before, checkpoints: checked, finding };
      }
      while (checkpoints[nextCheckpoint]?.treeSize === edge.size) {
        const finding = checkpointFinding(checkpoints[nextCheckpoint], edge, options);
        if (finding) return { leaves: edge.size, checkpoints: checked, finding };
        checked += 1;
        nextCheckpoint += 1;
      }
      offset = runEnd;
    }
    after = wanted.length > 0 ? source.position(wanted[wanted.length - 1]) : after;
    options.onProgress?.(edge.size, total);
    if (events.length < batchSize && edge.size < total) {
      return {
        leaves: edge.size,
        checkpoints: checked,
        finding: { kind: 'missing', position: (after ?? -1n).toString(), leafIndex: edge.size, detail: `the log ends after ${edge.size} events, the tree and its checkpoints hold ${total}` },
      };
    }
  }
  // Reads started ahead of a batch that did not come finish before the caller may close the store.
  await Promise.all([pendingRead.catch(() => undefined), pendingStored.catch(() => undefined)]);
  // The empty tree's checkpoint, and any at the size reached, once every leaf is in.
  while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint].treeSize === edge.size) {
    const finding = checkpointFinding(checkpoints[nextCheckpoint], edge, options);
    if (finding) return { leaves: edge.size, checkpoints: checked, finding };
    checked += 1;
    nextCheckpoint += 1;
  }
  const rootFinding = await storedRootFinding(db, edge, treeSize);
  return { leaves: edge.size, checkpoints: checked, ...(rootFinding ? { finding: rootFinding } : {}) };
}

/** A read started ahead may be left unawaited when a finding ends the walk: its failure must not go unhandled. */
function settled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * A batch of the stored tree in two reads of its runs: which event each leaf
 * of the batch is, and the stored hashes those leaves added, both only when
 * the rows are whole (every leaf and every hash of the range there once,
 * each hash 32 bytes, no event id that would split in two).
 */
interface StoredBatch {
  readonly firstLeaf: number;
  /** The batch's leaves that are in the stored tree (those past its size are left to the checkpoints). */
  readonly leafCount: number;
  readonly eventIds?: readonly string[];
  readonly positions?: readonly string[];
  /** The stored index of the batch's first hash. */
  readonly firstHash: number;
  /** The batch's stored hashes, 32 bytes each, from firstHash on. */
  readonly hashes?: Buffer;
}

async function storedBatch(db: Queryable, firstLeaf: number, count: number, treeSize: number): Promise<StoredBatch> {
  const leafCount = Math.max(0, Math.min(count, treeSize - firstLeaf));
  const firstHash = storedHashCount(firstLeaf);
  if (leafCount === 0) return { firstLeaf, leafCount, eventIds: [], positions: [], firstHash, hashes: Buffer.alloc(0) };
  const endHash = storedHashCount(firstLeaf + leafCount);
  const [runs, hashes] = await Promise.all([
    leafRunsBetween(db, firstLeaf, firstLeaf + leafCount),
    db.query<{ bytes: Buffer | null }>(`SELECT ${hashesBetween('$1::bigint', '$2::bigint')} AS bytes`, [String(firstHash), String(endHash)]),
  ]);
  const batch: { eventIds?: string[]; positions?: string[]; hashes?: Buffer } = {};
  const eventIds: string[] = [];
  const positions: string[] = [];
  let whole = true;
  for (const run of runs) {
    for (let offset = 0; offset < run.positions.length && whole; offset += 1) {
      const leafIndex = run.firstLeaf + offset;
      if (leafIndex < firstLeaf || leafIndex >= firstLeaf + leafCount) continue;
      // Runs that do not follow each other leaf by leaf: the leaves are compared one by one.
      if (leafIndex !== firstLeaf + eventIds.length) whole = false;
      eventIds.push(run.eventIds[offset]);
      positions.push(run.positions[offset].toString());
    }
  }
  if (whole && eventIds.length === leafCount) Object.assign(batch, { eventIds, positions });
  const bytes = hashes.rows[0]?.bytes;
  if (bytes && bytes.length === (endHash - firstHash) * HASH_SIZE) batch.hashes = bytes;
  return { firstLeaf, leafCount, firstHash, ...batch };
}

/**
 * Whether the leaf-by-leaf comparison (firstMismatch) would find nothing:
 * every leaf of the batch in the stored tree is there, and is the event the
 * log has at that place, by id and position.
 */
function sameLeaves<E>(source: EventSource<E>, stored: StoredBatch, firstLeaf: number, events: readonly E[]): boolean {
  const { eventIds, positions, leafCount } = stored;
  if (stored.firstLeaf !== firstLeaf || !eventIds || !positions || events.length < leafCount) return false;
  for (let offset = 0; offset < leafCount; offset += 1) {
    const event = events[offset];
    if (source.id(event) !== eventIds[offset] || source.positionText(event) !== positions[offset]) return false;
  }
  return true;
}

/**
 * Whether the stored batch holds the 32 bytes at `at` in `bytes` as the hash
 * of leaf `leafIndex` (false when it cannot tell: the leaf past the stored
 * tree, or the batch's hashes not whole).
 */
function storedLeafIs(stored: StoredBatch, leafIndex: number, treeSize: number, bytes: Buffer, at: number): boolean {
  if (!stored.hashes || leafIndex >= treeSize || leafIndex < stored.firstLeaf || leafIndex >= stored.firstLeaf + stored.leafCount) return false;
  const start = (hashCountOf(leafIndex) - stored.firstHash) * HASH;
  return start >= 0 && start + HASH <= stored.hashes.length && bytes.compare(stored.hashes, start, start + HASH, at, at + HASH) === 0;
}

/** Whether every stored hash of a run of leaves is the one recomputed (storedHashesFinding would find nothing). */
function sameStoredHashes(stored: StoredBatch, recomputed: { readonly firstIndex: number; readonly hashes: Buffer }): boolean {
  if (!stored.hashes) return false;
  const start = (recomputed.firstIndex - stored.firstHash) * HASH_SIZE;
  const end = start + recomputed.hashes.length;
  if (start < 0 || end > stored.hashes.length) return false;
  return stored.hashes.subarray(start, end).equals(recomputed.hashes);
}

async function signedCheckpoints(db: Queryable): Promise<SignedCheckpointRow[]> {
  const { rows } = await db.query<{ tree_size: string; note: string }>('SELECT tree_size::text, note FROM read_models.log_checkpoints c ORDER BY c.tree_size');
  return rows.map((row) => ({ treeSize: Number(row.tree_size), note: row.note }));
}

async function storedTreeSize(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ tree_size: string }>('SELECT tree_size::text FROM read_models.log_edge WHERE id = 1');
  return rows[0] ? Number(rows[0].tree_size) : 0;
}

async function storedLeaves(db: Queryable, from: number, count: number): Promise<StoredLeaf[]> {
  return leavesBetween(db, from, from + count);
}

/** The first leaf where the log's events and the tree's leaves are not the same events, and how. */
async function firstMismatch(
  db: Queryable,
  events: readonly LoggedEvent[],
  leaves: readonly StoredLeaf[],
  firstIndex: number,
  treeSize: number,
): Promise<{ offset: number; finding: VerificationFinding } | undefined> {
  for (let offset = 0; offset < Math.max(events.length, leaves.length); offset += 1) {
    const leafIndex = firstIndex + offset;
    if (leafIndex >= treeSize) return undefined; // past the stored tree: only checkpoints (checked by hash) remain
    const event = events[offset];
    const leaf = leaves[offset];
    if (!leaf) return undefined; // the builder has not got this far; hashes and checkpoints still hold it to account
    if (!event) {
      return { offset, finding: { kind: 'missing', position: leaf.position.toString(), leafIndex, detail: `the log holds no event where the tree has event ${leaf.eventId}` } };
    }
    if (event.id === leaf.eventId && event.position === leaf.position) continue;
    return { offset, finding: await classify(db, event, leaf, leafIndex) };
  }
  return undefined;
}

async function classify(db: Queryable, event: LoggedEvent, leaf: StoredLeaf, leafIndex: number): Promise<VerificationFinding> {
  const position = event.position.toString();
  if (event.id === leaf.eventId) {
    return { kind: 'reordered', position, leafIndex, detail: `event ${event.id} is at position ${position}; the tree has it at ${leaf.position}` };
  }
  const found = await leafOfEventId(db, event.id);
  if (found && found.position === event.position) {
    // The log's event is where the tree has it: what the tree holds before it is gone.
    return { kind: 'missing', position: leaf.position.toString(), leafIndex, detail: `event ${leaf.eventId} at position ${leaf.position} is gone from the log` };
  }
  if (found) {
    return {
      kind: 'reordered',
      position,
      leafIndex,
      detail: `event ${event.id} stands at position ${position} in the log; the tree has it at position ${found.position} (leaf ${found.leafIndex})`,
    };
  }
  if (event.position > leaf.position) {
    return { kind: 'missing', position: leaf.position.toString(), leafIndex, detail: `event ${leaf.eventId} at position ${leaf.position} is gone from the log` };
  }
  return { kind: 'extra', position, leafIndex, detail: `event ${event.id} at position ${position} is not in the tree` };
}

/**
 * The stored hashes of a run of leaves against the ones recomputed. A leaf
 * hash that differs is an event changed after it was logged, named by its
 * position; an interior hash that differs while every leaf agrees is the
 * stored tree itself edited.
 */
async function storedHashesFinding(
  db: Queryable,
  recomputed: { readonly firstIndex: number; readonly hashes: Buffer },
  events: readonly LoggedEvent[],
  firstLeaf: number,
): Promise<VerificationFinding | undefined> {
  const count = recomputed.hashes.length / HASH_SIZE;
  const stored = await hashesBetweenByIndex(db, recomputed.firstIndex, recomputed.firstIndex + count);
  const differs = (index: number) => {
    const hash = stored.get(index);
    const k = index - recomputed.firstIndex;
    return !hash || !equalHashes(hash, recomputed.hashes.subarray(k * HASH_SIZE, (k + 1) * HASH_SIZE));
  };
  for (let offset = 0; offset < events.length; offset += 1) {
    const leafIndex = firstLeaf + offset;
    if (!differs(storedHashIndex({ level: 0, index: leafIndex }))) continue;
    const position = events[offset].position.toString();
    return {
      kind: 'changed',
      position,
      leafIndex,
      detail: `event ${events[offset].id} at position ${position} is not the event the tree hashed there: its bytes were changed after it was logged`,
    };
  }
  for (let index = recomputed.firstIndex; index < recomputed.firstIndex + count; index += 1) {
    if (!differs(index)) continue;
    return { kind: 'tree', position: String(firstLeaf), leafIndex: firstLeaf, detail: `stored hash ${index} of the tree is not the hash of its leaves: the stored tree was edited` };
  }
  return undefined;
}

function checkpointFinding(checkpoint: SignedCheckpointRow, edge: TreeEdge, options: LogVerificationOptions): VerificationFinding | undefined {
  const at = { position: String(edge.size), leafIndex: edge.size };
  let opened;
  try {
    opened = openCheckpoint(checkpoint.note, { origin: options.origin, verifiers: options.verifiers });
  } catch (error) {
    return { kind: 'checkpoint', ...at, detail: `the checkpoint of tree size ${checkpoint.treeSize} is not signed by the log key: ${(error as Error).message}` };
  }
  if (opened.checkpoint.treeSize !== checkpoint.treeSize) return { kind: 'checkpoint', ...at, detail: `the checkpoint kept for size ${checkpoint.treeSize} is of size ${opened.checkpoint.treeSize}` };
  if (!equalHashes(opened.checkpoint.rootHash, rootOfTreeEdge(edge))) {
    return { kind: 'checkpoint', ...at, detail: `the events of the log do not give the root signed at tree size ${checkpoint.treeSize}: the history before it was changed` };
  }
  return undefined;
}

async function storedRootFinding(db: Queryable, edge: TreeEdge, treeSize: number): Promise<VerificationFinding | undefined> {
  if (edge.size !== treeSize) return undefined;
  const { rows } = await db.query<{ root_hash: Buffer }>('SELECT root_hash FROM read_models.log_edge WHERE id = 1');
  if (!rows[0] || equalHashes(rows[0].root_hash, rootOfTreeEdge(edge))) return undefined;
  return { kind: 'tree', position: String(treeSize), leafIndex: treeSize, detail: "the stored tree's root is not the root of its leaves" };
}
