import { Client } from 'pg';
import {
  emptyTreeRoot,
  equalHashes,
  hashChildren,
  HASH_SIZE as HASH_BYTES,
  planInclusionProof,
  planRoot,
  pushRangeNodes,
  storedHashCount,
  storedHashIndex,
  storedHashIndexesOf,
  TILE_HEIGHT as HEIGHT,
  TILE_WIDTH as WIDTH,
  type MerkleNode,
} from '@ledger/verifiable-log';
import { CHECKPOINT_CHANNEL, CONTROL_TABLE } from '../generations';
import type { Queryable } from '../query-queue';
import { hashAt, hashesBetween, positionBytesAt, positionBytesBetween } from './log-runs';

/** The default bound of a LogProofCache: a tree of 1,000,000 leaves (2M stored hashes) fits whole. */
export const DEFAULT_PROOF_CACHE_BYTES = 64 * 1024 * 1024;
/** How often the cache re-reads the tree's head and the latest checkpoint, notifications or not. */
export const DEFAULT_PROOF_CACHE_REFRESH_MS = 250;
/**
 * Past this without a successful refresh (the database unreachable, say) the
 * cache answers nothing and every proof is read from the database again: it
 * never serves a tree it has not seen lately.
 */
export const DEFAULT_PROOF_CACHE_MAX_STALE_MS = 2_000;
/**
 * The channel the checkpoint signer notifies, in the transaction that records
 * a checkpoint (CheckpointSigner's record()), so that the cache's latest
 * checkpoint follows within a round trip instead of a refresh interval.
 */
export const LOG_CHECKPOINT_CHANNEL = 'log_checkpoints';

/** A signed checkpoint as log_checkpoints keeps it. */
export interface CachedCheckpoint {
  readonly treeSize: number;
  readonly rootHash: Buffer;
  readonly note: string;
}

/** An inclusion proof from the cache: what LogTree gives for the same leaf and tree size. */
export interface CachedInclusionProof {
  readonly position: bigint;
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: Buffer;
  readonly hashes: Buffer[];
}

export interface LogProofCacheOptions {
  /** Where tiles, the head and checkpoints are read (the views of the active `log` generation); a pool. */
  readonly db: Queryable;
  /**
   * Load the tree's tiles ahead of requests once it is known (at start, and
   * after the tree under the cache changed), up to the bound: higher tiles,
   * then level-0 tiles from the newest leaves back. Default on.
   */
  readonly warm?: boolean;
  /** For LISTEN: without it the cache only polls. */
  readonly connectionString?: string;
  /** Bound of what the cache keeps (tiles' hashes and positions, the tile directory); default 64 MiB. */
  readonly maxBytes?: number;
  readonly refreshMs?: number;
  readonly maxStaleMs?: number;
  readonly log?: (message: string) => void;
}

/** What the cache holds right now, for tests and metrics. */
export interface LogProofCacheStats {
  readonly generation: number | undefined;
  readonly treeSize: number;
  readonly tiles: number;
  readonly bytes: number;
  readonly maxBytes: number;
  /** Proofs answered from the cache (some after loading tiles). */
  readonly answered: number;
  /** Proofs left to LogTree. */
  readonly declined: number;
  /** Tile loads: one query each. */
  readonly loads: number;
  readonly epochs: number;
}

// Module constants, not the re-exported bindings: every hit reads them.
const HASH_SIZE: number = HASH_BYTES;
const TILE_HEIGHT: number = HEIGHT;
const TILE_WIDTH: number = WIDTH;

/*
 * A tile of the cache is a C2SP tile (level L, number N: tree level 8·L, 256
 * hashes) together with the seven tree levels above it inside the tile
 * (128, 64, … 2 hashes), 510 stored hashes in all: every node a proof needs
 * from a subtree of height 8 is then read, never hashed. Sublevel r
 * (tree level 8·L + r) starts at slot 512 − 2^(9−r).
 */
const TILE_SLOTS = 2 * TILE_WIDTH - 2;
const TILE_HASH_BYTES = TILE_SLOTS * HASH_SIZE;
/** What a tile costs beyond its buffers (objects, the LRU's map entry), counted against the bound. */
const TILE_OVERHEAD_BYTES = 160;
/** Positions a level-0 tile keeps: none when they are consecutive (PostgreSQL), 8 bytes each when sparse (EventStoreDB). */
const POSITION_BYTES = 8;
/** First positions of level-0 tiles fetched per query when the directory grows. */
const DIRECTORY_CHUNK = 16_384;
/** Tiles per query when warming: 16 level-0 tiles are 8K stored hashes (256 KB), a few milliseconds of the event loop. */
const WARM_BATCH = 16;
/** Tree sizes whose right-edge folds an epoch keeps (proofs mostly ask the latest checkpoint's). */
const FOLDED_SIZES = 8;
/** Notifications come with every batch of every projection: a refresh at most this often for them. */
const NOTIFIED_REFRESH_SPACING_MS = 20;

function slotOf(sublevel: number, offset: number): number {
  return 2 * TILE_WIDTH - 2 ** (TILE_HEIGHT + 1 - sublevel) + offset;
}

/** RFC 9162's k for a range of `value` ≥ 2 leaves: the largest power of two below it (as the library's proof plans split). */
function largestPowerOfTwoBelow(value: number): number {
  let power = 2 ** Math.floor(Math.log2(value - 1));
  while (power >= value) power /= 2;
  while (power * 2 < value) power *= 2;
  return power;
}

/** How many leaves a tile of this level spans: 256^(L+1). */
function tileSpan(level: number): number {
  return 2 ** (TILE_HEIGHT * (level + 1));
}

function tileKey(level: number, index: number): number {
  return index * 64 + level;
}

interface Tile {
  readonly level: number;
  readonly index: number;
  /** The first leaf after those whose complete nodes the tile holds (loaded at a tree of that many leaves, or the tile's end). */
  readonly end: number;
  readonly hashes: Buffer;
  /** Level 0: the position of its first leaf. */
  readonly firstPosition: bigint;
  /** Level 0, positions not consecutive: every leaf's position, in order. */
  readonly positions?: BigInt64Array;
  readonly bytes: number;
  /** The LRU list, most recently used first (links, not map re-insertions: a hit moves two pointers). */
  held: boolean;
  newer?: Tile;
  older?: Tile;
}

/** Where a node is in the tiles. */
interface NodeSlot {
  readonly key: number;
  readonly level: number;
  readonly index: number;
  readonly slot: number;
  /** The node's end (first leaf after its subtree): the tile must hold leaves up to it. */
  readonly end: number;
}

/** The whole of level-0 tile `index` up to leaf `end`, as a slot to ask tilesFor for. */
function leafTileSlot(index: number, end: number): NodeSlot {
  return { key: tileKey(0, index), level: 0, index, slot: 0, end };
}

function locate(node: MerkleNode): NodeSlot {
  const level = Math.floor(node.level / TILE_HEIGHT);
  const sublevel = node.level - level * TILE_HEIGHT;
  const perTile = 2 ** (TILE_HEIGHT - sublevel);
  const index = Math.floor(node.index / perTile);
  return { key: tileKey(level, index), level, index, slot: slotOf(sublevel, node.index - index * perTile), end: (node.index + 1) * 2 ** node.level };
}

/** The nodes a tile holds in a tree of `treeSize` leaves, with their slots, sublevel by sublevel. */
function nodesOfTile(level: number, index: number, treeSize: number): { node: MerkleNode; slot: number }[] {
  const nodes: { node: MerkleNode; slot: number }[] = [];
  for (let sublevel = 0; sublevel < TILE_HEIGHT; sublevel += 1) {
    const treeLevel = level * TILE_HEIGHT + sublevel;
    const perTile = 2 ** (TILE_HEIGHT - sublevel);
    for (let offset = 0; offset < perTile; offset += 1) {
      const nodeIndex = index * perTile + offset;
      if ((nodeIndex + 1) * 2 ** treeLevel > treeSize) break;
      nodes.push({ node: { level: treeLevel, index: nodeIndex }, slot: slotOf(sublevel, offset) });
    }
  }
  return nodes;
}

/**
 * What the cache knows of one tree: the active `log` generation it was read
 * from and the head it last verified. Tiles and the directory belong to it;
 * a new generation, or a tree whose prefix no longer gives the root this one
 * saw, starts a new epoch with nothing in it.
 */
interface Epoch {
  readonly generation: number;
  readonly serial: number;
  /** The tree size last verified; every tile is cut at the size current when it was loaded, so never holds more. */
  treeSize: number;
  rootHash: Buffer;
  readonly tiles: Map<number, Tile>;
  newest?: Tile;
  oldest?: Tile;
  bytes: number;
  /** The position of each level-0 tile's first leaf, for tiles 0 … directoryCount − 1 (increasing, as positions are). */
  directory: BigInt64Array;
  directoryCount: number;
  readonly loading: Map<number, Promise<Tile | undefined>>;
  /**
   * Siblings on the tree's right edge that are not one node but a fold of
   * several (MTH of [start, treeSize)), by tree size then start: the same for
   * every proof in a tree of that size, so hashed once.
   */
  readonly folds: Map<number, Map<number, Buffer>>;
  /** The warm-up of this epoch, once started. */
  warming?: Promise<void>;
}

const GENERATION_SQL = `(SELECT max(id) FROM ${CONTROL_TABLE} WHERE projection = 'log' AND status = 'active')`;

const REFRESH_SQL = `
  SELECT ${GENERATION_SQL} AS generation,
         e.tree_size::text AS tree_size, e.root_hash,
         c.tree_size::text AS checkpoint_size, c.root_hash AS checkpoint_root, c.note,
         (SELECT string_agg(${hashAt('w.hash_index')}, ''::bytea ORDER BY w.ord)
            FROM unnest($1::bigint[]) WITH ORDINALITY AS w(hash_index, ord)) AS prefix
    FROM (SELECT 1) AS one
    LEFT JOIN read_models.log_edge e ON e.id = 1
    LEFT JOIN LATERAL (SELECT tree_size, root_hash, note FROM read_models.log_checkpoints ORDER BY tree_size DESC LIMIT 1) c ON true`;

const DIRECTORY_SQL = `
  SELECT ${GENERATION_SQL} AS generation,
         (SELECT string_agg(${positionBytesAt('w.leaf')}, ''::bytea ORDER BY w.ord)
            FROM unnest($1::bigint[]) WITH ORDINALITY AS w(leaf, ord)) AS positions`;

/**
 * Tiles in one statement (so one snapshot, with the generation they are
 * from): the stored hashes of level-0 tiles as ranges of the stored-hash
 * sequence, those of higher tiles by index, and the positions of level-0
 * tiles' leaves as ranges of leaf indexes.
 */
const TILES_SQL = `
  SELECT ${GENERATION_SQL} AS generation,
         (SELECT string_agg(${hashesBetween('w.low', 'w.high')}, ''::bytea ORDER BY w.ord)
            FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS w(low, high, ord)) AS ranged,
         (SELECT string_agg(${hashAt('w.hash_index')}, ''::bytea ORDER BY w.ord)
            FROM unnest($3::bigint[]) WITH ORDINALITY AS w(hash_index, ord)) AS indexed,
         (SELECT string_agg(${positionBytesBetween('w.low', 'w.high')}, ''::bytea ORDER BY w.ord)
            FROM unnest($4::bigint[], $5::bigint[]) WITH ORDINALITY AS w(low, high, ord)) AS positions`;

interface TileRequest {
  readonly level: number;
  readonly index: number;
}

/**
 * An in-memory, bounded cache of the verifiable log's tree for proofs, in
 * front of LogTree: the latest signed checkpoint, the tree's head, and C2SP
 * tiles (each with the seven levels above its own, and for level 0 the
 * positions of its leaves) in an LRU bounded by bytes.
 *
 * It is always correct or silent: it answers a proof only when every hash is
 * one it read from the tree it has verified within the last refresh
 * interval; anything else (a leaf past its head, a tree size above it, a
 * leaf it does not find, a refresh that failed for too long) is left to
 * LogTree, which reads the database and answers as it always did, errors
 * included.
 *
 * Stored hashes never change once written: the tree only grows. A rebuilt
 * generation may hold another tree, and a database restored from a backup
 * may have grown another way, so every refresh checks, in one statement,
 * that the active generation is the one the cache read and that the stored
 * hashes of the tree it last saw still give that tree's root; otherwise it
 * starts over, empty. Tiles are cut at the size the cache last verified, so
 * a tile never holds a hash that check has not covered, and a load that
 * raced a new epoch is dropped.
 *
 * Positions increase with leaf index (sparse on EventStoreDB), so a
 * position's leaf is a binary search over the first positions of the level-0
 * tiles (the directory, 8 bytes per 256 leaves), then within its tile.
 */
export class LogProofCache {
  private readonly db: Queryable;
  private readonly maxBytes: number;
  private readonly refreshMs: number;
  private readonly maxStaleMs: number;
  private epoch?: Epoch;
  private epochSerial = 0;
  private checkpoint?: CachedCheckpoint;
  /** performance.now() of the last checkpoint offered that the cache took. */
  private offeredAt = -Infinity;
  /** performance.now() of the last refresh that succeeded. */
  private refreshedAt = -Infinity;
  private refreshing?: Promise<void>;
  private refreshAgain = false;
  private lastRefreshStart = -Infinity;
  private notifiedTimer?: NodeJS.Timeout;
  private poller?: NodeJS.Timeout;
  private listener?: Client;
  private stopped = false;
  private reported?: string;
  private counts = { answered: 0, declined: 0, loads: 0 };

  constructor(private readonly options: LogProofCacheOptions) {
    this.db = options.db;
    this.maxBytes = options.maxBytes ?? DEFAULT_PROOF_CACHE_BYTES;
    this.refreshMs = options.refreshMs ?? DEFAULT_PROOF_CACHE_REFRESH_MS;
    this.maxStaleMs = options.maxStaleMs ?? DEFAULT_PROOF_CACHE_MAX_STALE_MS;
  }

  /** Reads the head and the latest checkpoint, listens (when it can) and polls; a failure here only leaves the cache empty. */
  async start(): Promise<void> {
    this.stopped = false;
    this.poller = setInterval(() => void this.refresh().catch(() => undefined), this.refreshMs);
    this.poller.unref();
    if (this.options.connectionString) {
      await this.listen().catch((error: Error) => {
        this.report(`proof cache: cannot listen: ${error.message}`);
        this.reconnectLater();
      });
    }
    await this.refresh().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poller);
    clearTimeout(this.notifiedTimer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.refreshing?.catch(() => undefined);
  }

  /** Resolves once the current tree's warm-up is done (at once when there is none), or after `timeoutMs` whatever it has got to. */
  async warmed(timeoutMs = 60_000): Promise<void> {
    const warming = this.epoch?.warming;
    if (!warming) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([warming, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  stats(): LogProofCacheStats {
    const epoch = this.epoch;
    return {
      generation: epoch?.generation,
      treeSize: epoch?.treeSize ?? 0,
      tiles: epoch?.tiles.size ?? 0,
      bytes: epoch?.bytes ?? 0,
      maxBytes: this.maxBytes,
      ...this.counts,
      epochs: this.epochSerial,
    };
  }

  /** The latest signed checkpoint the cache knows, while it is fresh. */
  latestCheckpoint(): CachedCheckpoint | undefined {
    return this.isFresh() ? this.checkpoint : undefined;
  }

  /**
   * A checkpoint just read from the database (the checkpoint route): taken
   * when newer than the cache's, so that a client who saw it gets proofs in
   * its tree (or a later one) by default, without waiting for a refresh.
   */
  offerCheckpoint(checkpoint: CachedCheckpoint): void {
    if (this.checkpoint && checkpoint.treeSize <= this.checkpoint.treeSize) return;
    this.checkpoint = checkpoint;
    this.offeredAt = performance.now();
    // A tree past the one verified: look now rather than at the next poll.
    if (checkpoint.treeSize > (this.epoch?.treeSize ?? 0)) this.notified();
  }

  /**
   * The inclusion proof LogTree would give for this leaf in the tree of
   * `treeSize` leaves (default: the latest checkpoint's), when the cache can
   * answer it from the tree it verified; undefined otherwise (then ask
   * LogTree: it answers, or says why not).
   */
  async inclusionProof(of: { position: bigint } | { leafIndex: number }, treeSize?: number): Promise<CachedInclusionProof | undefined> {
    const epoch = this.usableEpoch();
    if (!epoch) return undefined;
    try {
      const size = treeSize ?? this.checkpoint?.treeSize;
      if (size === undefined || size === 0 || size > epoch.treeSize) return this.miss();
      const tileIndex = 'position' in of ? this.tileOfPosition(epoch, of.position) : of.leafIndex < size ? Math.floor(of.leafIndex / TILE_WIDTH) : undefined;
      const first = tileIndex === undefined ? size : tileIndex * TILE_WIDTH;
      if (tileIndex === undefined || first >= size) return this.miss();
      const leafTile = leafTileSlot(tileIndex, Math.min(first + TILE_WIDTH, size));
      let levelZero = epoch.tiles.get(leafTile.key);
      let loaded: ReadonlyMap<number, Tile> | undefined;
      if (!levelZero || levelZero.end < leafTile.end) {
        // Every leaf of a level-0 tile has its proof in that tile and in the tiles of its first leaf's proof: one load for all.
        loaded = await this.tilesFor(epoch, [leafTile, ...planInclusionProof(first, size).nodes.map(locate)]);
        levelZero = loaded?.get(leafTile.key);
        if (!levelZero) return this.miss();
      }
      const offset = 'position' in of ? findPosition(levelZero, of.position) : of.leafIndex - first;
      if (offset === undefined || first + offset >= size) return this.miss();
      const leafIndex = first + offset;
      let proof = this.proofFrom(epoch, leafIndex, size, loaded);
      if (!proof) {
        loaded = await this.tilesFor(epoch, [leafTile, ...planInclusionProof(first, size).nodes.map(locate)]);
        proof = loaded && this.proofFrom(epoch, leafIndex, size, loaded);
      }
      if (!proof || this.epoch !== epoch) return this.miss();
      this.counts.answered += 1;
      const position = 'position' in of ? of.position : positionIn(levelZero, offset);
      return { position, leafIndex, treeSize: size, leafHash: proof.leafHash, hashes: proof.hashes };
    } catch (error) {
      this.report(`proof cache: ${(error as Error).message}`);
      return this.miss();
    }
  }

  /** Re-reads the generation, the head (checking the tree it last saw is still a prefix of it) and the latest checkpoint. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.refreshAgain = false;
          this.lastRefreshStart = performance.now();
          await this.refreshOnce();
        } while (this.refreshAgain && !this.stopped);
        this.reported = undefined;
      } catch (error) {
        this.report(`proof cache: refresh failed: ${(error as Error).message}`);
        throw error;
      }
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private miss(): undefined {
    this.counts.declined += 1;
    return undefined;
  }

  private isFresh(): boolean {
    return !this.stopped && performance.now() - this.refreshedAt <= this.maxStaleMs;
  }

  private usableEpoch(): Epoch | undefined {
    return this.isFresh() ? this.epoch : undefined;
  }

  private async refreshOnce(): Promise<void> {
    const started = performance.now();
    const known = this.epoch;
    const prefixIndexes = known && known.treeSize > 0 ? storedHashIndexesOf(planRoot(known.treeSize).nodes) : [];
    const { rows } = await this.db.query<{
      generation: number | null;
      tree_size: string | null;
      root_hash: Buffer | null;
      checkpoint_size: string | null;
      checkpoint_root: Buffer | null;
      note: string | null;
      prefix: Buffer | null;
    }>(REFRESH_SQL, [prefixIndexes.map(String)]);
    const row = rows[0];
    const checkpoint =
      row.checkpoint_size === null ? undefined : { treeSize: Number(row.checkpoint_size), rootHash: row.checkpoint_root as Buffer, note: row.note as string };
    if (row.generation === null) {
      // No log generation (yet): nothing to serve.
      this.epoch = undefined;
      this.takeCheckpoint(checkpoint, started);
      this.refreshedAt = started;
      return;
    }
    const treeSize = row.tree_size === null ? 0 : Number(row.tree_size);
    const rootHash = row.root_hash ?? emptyTreeRoot();
    let epoch = known;
    if (!epoch || !this.extends(epoch, row.generation, treeSize, prefixIndexes.length, row.prefix)) {
      epoch = this.newEpoch(row.generation);
    }
    if (treeSize > epoch.treeSize) {
      // The directory first, so that every leaf below the published size can be found by position.
      if (!(await this.growDirectory(epoch, treeSize))) return;
      if (this.epoch !== epoch) return;
      epoch.treeSize = treeSize;
      epoch.rootHash = rootHash;
    } else if (treeSize === epoch.treeSize) {
      epoch.rootHash = rootHash;
    }
    // Last, so that a proof defaulting to this checkpoint finds the tree it covers already verified.
    this.takeCheckpoint(checkpoint, started);
    this.refreshedAt = started;
    if (this.options.warm !== false && !epoch.warming && epoch.treeSize > 0) {
      epoch.warming = this.warm(epoch).catch((error: Error) => this.report(`proof cache: warming failed: ${error.message}`));
    }
  }

  /**
   * Loads the epoch's tiles ahead of requests, a batch per query, while it is
   * the epoch and the bound has room: every higher tile first (all proofs
   * go through them), then level-0 tiles from the newest leaves back (the
   * ones most asked about). Requests go on meanwhile; they load what they
   * need themselves, and the warming skips what is already held.
   */
  private async warm(epoch: Epoch): Promise<void> {
    const treeSize = epoch.treeSize;
    const pending: TileRequest[] = [];
    for (let level = 1; tileSpan(level - 1) < treeSize; level += 1) {
      for (let index = 0; index * tileSpan(level) < treeSize; index += 1) pending.push({ level, index });
    }
    for (let index = Math.ceil(treeSize / TILE_WIDTH) - 1; index >= 0; index -= 1) pending.push({ level: 0, index });
    let next = 0;
    while (next < pending.length && !this.stopped && this.epoch === epoch) {
      // Never past the bound: a warming that evicted would only churn.
      const room = Math.floor((this.maxBytes - epoch.bytes) / (TILE_HASH_BYTES + TILE_OVERHEAD_BYTES));
      if (room < 1) break;
      const batch: TileRequest[] = [];
      while (batch.length < Math.min(WARM_BATCH, room) && next < pending.length) {
        const request = pending[next];
        next += 1;
        if (!epoch.tiles.has(tileKey(request.level, request.index))) batch.push(request);
      }
      if (batch.length === 0) continue;
      await this.load(epoch, batch);
    }
  }

  /** The table's latest (it may even go down: an operator deleted some), unless a newer one was offered after this read began. */
  private takeCheckpoint(checkpoint: CachedCheckpoint | undefined, readAt: number): void {
    const offeredSince = this.offeredAt >= readAt && this.checkpoint && (!checkpoint || this.checkpoint.treeSize > checkpoint.treeSize);
    if (!offeredSince) this.checkpoint = checkpoint;
  }

  /** Whether the database's tree is the epoch's grown: the same generation, and its stored hashes give the root the epoch saw at its size. */
  private extends(epoch: Epoch, generation: number, treeSize: number, prefixNodes: number, prefix: Buffer | null): boolean {
    if (generation !== epoch.generation || treeSize < epoch.treeSize) return false;
    if (epoch.treeSize === 0) return true;
    if (!prefix || prefix.length !== prefixNodes * HASH_SIZE) return false;
    const hashes = Array.from({ length: prefixNodes }, (_, n) => prefix.subarray(n * HASH_SIZE, (n + 1) * HASH_SIZE));
    return equalHashes(planRoot(epoch.treeSize).complete(hashes), epoch.rootHash);
  }

  private newEpoch(generation: number): Epoch {
    this.epochSerial += 1;
    const epoch: Epoch = {
      generation,
      serial: this.epochSerial,
      treeSize: 0,
      rootHash: emptyTreeRoot(),
      tiles: new Map(),
      bytes: 0,
      directory: new BigInt64Array(0),
      directoryCount: 0,
      loading: new Map(),
      folds: new Map(),
    };
    this.epoch = epoch;
    return epoch;
  }

  /** Reads the first position of every level-0 tile up to the tree of `treeSize` leaves; false if the generation changed meanwhile. */
  private async growDirectory(epoch: Epoch, treeSize: number): Promise<boolean> {
    const wanted = Math.ceil(treeSize / TILE_WIDTH);
    while (epoch.directoryCount < wanted) {
      const from = epoch.directoryCount;
      const to = Math.min(wanted, from + DIRECTORY_CHUNK);
      const leaves = Array.from({ length: to - from }, (_, n) => String((from + n) * TILE_WIDTH));
      const { rows } = await this.db.query<{ generation: number | null; positions: Buffer | null }>(DIRECTORY_SQL, [leaves]);
      const { generation, positions } = rows[0];
      if (generation !== epoch.generation || this.epoch !== epoch) return false;
      if (!positions || positions.length !== (to - from) * POSITION_BYTES) throw new Error(`the log's leaves ${from * TILE_WIDTH}… are missing`);
      if (epoch.directory.length < to) {
        const grown = new BigInt64Array(Math.max(to, 2 * epoch.directory.length, 1024));
        grown.set(epoch.directory.subarray(0, epoch.directoryCount));
        epoch.bytes += (grown.length - epoch.directory.length) * POSITION_BYTES;
        epoch.directory = grown;
      }
      for (let n = 0; n < to - from; n += 1) {
        const position = positions.readBigInt64BE(n * POSITION_BYTES);
        const index = from + n;
        // Binary search needs increasing positions; the log guarantees it, the cache checks it.
        if (index > 0 && position <= epoch.directory[index - 1]) throw new Error(`the log's positions do not increase at leaf ${index * TILE_WIDTH}`);
        epoch.directory[index] = position;
      }
      epoch.directoryCount = to;
      this.evict(epoch);
    }
    return true;
  }

  /**
   * RFC 9162 PATH(leafIndex, D[size]) from the tiles, walked as
   * planInclusionProof walks it (top-down, siblings leaf first) and each
   * sibling completed as its plan completes it (the range's nodes folded
   * right to left), without planning: this is every hit. Undefined if a
   * node is not in the tiles at hand.
   */
  private proofFrom(epoch: Epoch, leafIndex: number, size: number, loaded?: ReadonlyMap<number, Tile>): { leafHash: Buffer; hashes: Buffer[] } | undefined {
    const leafHash = this.nodeHash(epoch, 0, leafIndex, loaded);
    if (!leafHash) return undefined;
    const starts: number[] = [];
    const ends: number[] = [];
    let start = 0;
    let end = size;
    while (end - start > 1) {
      const split = start + largestPowerOfTwoBelow(end - start);
      if (leafIndex < split) {
        starts.push(split);
        ends.push(end);
        end = split;
      } else {
        starts.push(start);
        ends.push(split);
        start = split;
      }
    }
    const hashes = new Array<Buffer>(starts.length);
    for (let step = starts.length - 1, n = 0; step >= 0; step -= 1, n += 1) {
      const hash = this.rangeHash(epoch, starts[step], ends[step], size, loaded);
      if (!hash) return undefined;
      hashes[n] = hash;
    }
    return { leafHash, hashes };
  }

  /** MTH(D[start:end]): one node when the range is a perfect subtree, else (only ever up to the tree's size) a fold, kept. */
  private rangeHash(epoch: Epoch, start: number, end: number, size: number, loaded?: ReadonlyMap<number, Tile>): Buffer | undefined {
    const width = end - start;
    const level = Math.round(Math.log2(width));
    if (2 ** level === width && start % width === 0) return this.nodeHash(epoch, level, start / width, loaded);
    let folds = epoch.folds.get(size);
    const kept = folds?.get(start);
    if (kept) return kept;
    const nodes: MerkleNode[] = [];
    pushRangeNodes(start, end, nodes);
    let folded = this.nodeHash(epoch, nodes[nodes.length - 1].level, nodes[nodes.length - 1].index, loaded);
    for (let n = nodes.length - 2; n >= 0 && folded; n -= 1) {
      const left = this.nodeHash(epoch, nodes[n].level, nodes[n].index, loaded);
      folded = left && hashChildren(left, folded);
    }
    if (!folded) return undefined;
    if (end === size) {
      if (!folds) {
        if (epoch.folds.size >= FOLDED_SIZES) epoch.folds.delete(epoch.folds.keys().next().value as number);
        folds = new Map();
        epoch.folds.set(size, folds);
      }
      folds.set(start, folded);
    }
    return folded;
  }

  /** A node's hash from tiles just loaded or the LRU (touching it there); undefined when not held. locate(), without allocating. */
  private nodeHash(epoch: Epoch, treeLevel: number, nodeIndex: number, loaded?: ReadonlyMap<number, Tile>): Buffer | undefined {
    const level = Math.floor(treeLevel / TILE_HEIGHT);
    const sublevel = treeLevel - level * TILE_HEIGHT;
    const perTile = 2 ** (TILE_HEIGHT - sublevel);
    const index = Math.floor(nodeIndex / perTile);
    const key = tileKey(level, index);
    const tile = loaded?.get(key) ?? epoch.tiles.get(key);
    if (!tile || tile.end < (nodeIndex + 1) * 2 ** treeLevel) return undefined;
    this.touch(epoch, tile);
    const at = slotOf(sublevel, nodeIndex - index * perTile) * HASH_SIZE;
    return tile.hashes.subarray(at, at + HASH_SIZE);
  }

  /** The level-0 tile that holds the leaf at `position` if any leaf of the tree is there: the last whose first position is at most it. */
  private tileOfPosition(epoch: Epoch, position: bigint): number | undefined {
    const directory = epoch.directory;
    const count = epoch.directoryCount;
    if (count === 0 || position < directory[0]) return undefined;
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (directory[middle] <= position) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /**
   * The tiles holding these nodes, each up to the node's end: from the LRU,
   * and the missing ones (or ones cut too short) loaded in one query.
   * Undefined when a load could not give them.
   */
  private async tilesFor(epoch: Epoch, slots: readonly NodeSlot[]): Promise<Map<number, Tile> | undefined> {
    const tiles = new Map<number, Tile>();
    let missing: Map<number, TileRequest> | undefined;
    for (const slot of slots) {
      const held = tiles.get(slot.key);
      if (held && held.end >= slot.end) continue;
      const tile = epoch.tiles.get(slot.key);
      if (tile && tile.end >= slot.end) {
        tiles.set(slot.key, tile);
        this.touch(epoch, tile);
      } else {
        tiles.delete(slot.key);
        (missing ??= new Map()).set(slot.key, { level: slot.level, index: slot.index });
      }
    }
    if (!missing) return tiles;
    const loaded = await this.load(epoch, [...missing.values()]);
    for (const [key, tile] of loaded) tiles.set(key, tile);
    return slots.every((slot) => (tiles.get(slot.key)?.end ?? -1) >= slot.end) ? tiles : undefined;
  }

  /**
   * Loads tiles, cut at the epoch's verified size, in one statement; a tile
   * another request is already loading is waited for instead. The result
   * holds what was loaded, even past the bound (the caller needs it now).
   */
  private async load(epoch: Epoch, requests: readonly TileRequest[]): Promise<Map<number, Tile>> {
    const result = new Map<number, Tile>();
    const waits: Promise<void>[] = [];
    const mine: TileRequest[] = [];
    for (const request of requests) {
      const key = tileKey(request.level, request.index);
      const pending = epoch.loading.get(key);
      if (pending) {
        waits.push(
          pending.then((tile) => {
            if (tile) result.set(key, tile);
          }),
        );
      } else {
        mine.push(request);
      }
    }
    if (mine.length > 0) {
      const loading = this.loadTiles(epoch, mine);
      for (const request of mine) {
        const key = tileKey(request.level, request.index);
        const one = loading.then(
          (tiles) => tiles.get(key),
          () => undefined,
        );
        epoch.loading.set(key, one);
        waits.push(
          one.then((tile) => {
            if (epoch.loading.get(key) === one) epoch.loading.delete(key);
            if (tile) result.set(key, tile);
          }),
        );
      }
    }
    await Promise.all(waits);
    return result;
  }

  private async loadTiles(epoch: Epoch, requests: readonly TileRequest[]): Promise<Map<number, Tile>> {
    this.counts.loads += 1;
    const treeSize = epoch.treeSize;
    const ranges: { low: string[]; high: string[] } = { low: [], high: [] };
    const indexed: string[] = [];
    const leafRanges: { low: string[]; high: string[] } = { low: [], high: [] };
    const plans = requests.flatMap((request) => {
      const first = request.index * tileSpan(request.level);
      const end = Math.min(first + tileSpan(request.level), treeSize);
      // A tile past the verified tree is not loaded (the caller then finds it missing).
      if (end <= first) return [];
      const nodes = request.level === 0 ? [] : nodesOfTile(request.level, request.index, end);
      if (request.level === 0) {
        // Every stored hash the tile's leaves add, in order: its nodes, and any higher ones its last leaves complete.
        ranges.low.push(String(storedHashCount(first)));
        ranges.high.push(String(storedHashCount(end)));
        leafRanges.low.push(String(first));
        leafRanges.high.push(String(end));
      } else {
        for (const { node } of nodes) indexed.push(String(storedHashIndex(node)));
      }
      return [{ request, first, end, nodes }];
    });
    if (plans.length === 0) return new Map();
    const { rows } = await this.db.query<{ generation: number | null; ranged: Buffer | null; indexed: Buffer | null; positions: Buffer | null }>(TILES_SQL, [
      ranges.low,
      ranges.high,
      indexed,
      leafRanges.low,
      leafRanges.high,
    ]);
    const row = rows[0];
    const tiles = new Map<number, Tile>();
    if (row.generation !== epoch.generation || this.epoch !== epoch) return tiles;
    let rangedAt = 0;
    let indexedAt = 0;
    let positionsAt = 0;
    for (const { request, first, end, nodes } of plans) {
      const hashes = Buffer.alloc(TILE_HASH_BYTES);
      let firstPosition = -1n;
      let positions: BigInt64Array | undefined;
      if (request.level === 0) {
        const base = storedHashCount(first);
        const count = storedHashCount(end) - base;
        const bytes = sliceOf(row.ranged, rangedAt, count * HASH_SIZE, `the log's stored hashes ${base}…${base + count - 1} are missing`);
        rangedAt += count * HASH_SIZE;
        placeLeafRun(bytes, first, end, hashes);
        const leafCount = end - first;
        const leafBytes = sliceOf(row.positions, positionsAt, leafCount * POSITION_BYTES, `the log's leaves ${first}…${end - 1} are missing`);
        positionsAt += leafCount * POSITION_BYTES;
        ({ firstPosition, positions } = positionsOf(leafBytes, leafCount, first));
      } else {
        const bytes = sliceOf(row.indexed, indexedAt, nodes.length * HASH_SIZE, `the log's stored hashes of tile ${request.level}/${request.index} are missing`);
        indexedAt += nodes.length * HASH_SIZE;
        nodes.forEach(({ slot }, n) => bytes.copy(hashes, slot * HASH_SIZE, n * HASH_SIZE, (n + 1) * HASH_SIZE));
      }
      const tile: Tile = {
        level: request.level,
        index: request.index,
        end,
        hashes,
        firstPosition,
        positions,
        bytes: TILE_HASH_BYTES + (positions?.byteLength ?? 0) + TILE_OVERHEAD_BYTES,
        held: false,
      };
      tiles.set(tileKey(tile.level, tile.index), tile);
      this.keep(epoch, tile);
    }
    return tiles;
  }

  /** Puts a tile in the LRU (replacing a narrower copy of it), then evicts the least recently used past the bound. */
  private keep(epoch: Epoch, tile: Tile): void {
    const key = tileKey(tile.level, tile.index);
    const old = epoch.tiles.get(key);
    if (old && old.end >= tile.end) return;
    if (old) this.drop(epoch, key, old);
    epoch.tiles.set(key, tile);
    epoch.bytes += tile.bytes;
    tile.held = true;
    this.link(epoch, tile);
    this.evict(epoch);
  }

  private evict(epoch: Epoch): void {
    while (epoch.bytes > this.maxBytes && epoch.oldest) this.drop(epoch, tileKey(epoch.oldest.level, epoch.oldest.index), epoch.oldest);
  }

  private drop(epoch: Epoch, key: number, tile: Tile): void {
    epoch.tiles.delete(key);
    epoch.bytes -= tile.bytes;
    tile.held = false;
    this.unlink(epoch, tile);
  }

  /** Most recently used now; a tile already evicted (held by a request in flight) stays out. */
  private touch(epoch: Epoch, tile: Tile): void {
    if (!tile.held || epoch.newest === tile) return;
    this.unlink(epoch, tile);
    this.link(epoch, tile);
  }

  private link(epoch: Epoch, tile: Tile): void {
    tile.older = epoch.newest;
    tile.newer = undefined;
    if (epoch.newest) epoch.newest.newer = tile;
    epoch.newest = tile;
    epoch.oldest ??= tile;
  }

  private unlink(epoch: Epoch, tile: Tile): void {
    if (tile.newer) tile.newer.older = tile.older;
    else if (epoch.newest === tile) epoch.newest = tile.older;
    if (tile.older) tile.older.newer = tile.newer;
    else if (epoch.oldest === tile) epoch.oldest = tile.newer;
    tile.newer = undefined;
    tile.older = undefined;
  }

  private async listen(): Promise<void> {
    const listener = new Client({ connectionString: this.options.connectionString, application_name: 'ledger-proof-cache' });
    listener.on('notification', () => this.notified());
    listener.on('error', (error) => {
      this.report(`proof cache: listener lost: ${error.message}`);
      if (this.listener === listener) this.listener = undefined;
      this.reconnectLater();
    });
    await listener.connect();
    // Checkpoints signed, and every batch of the projections (the log's among them) and generation switch.
    await listener.query(`LISTEN ${LOG_CHECKPOINT_CHANNEL}; LISTEN ${CHECKPOINT_CHANNEL}`);
    if (this.stopped) {
      await listener.end().catch(() => undefined);
      return;
    }
    this.listener = listener;
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    setTimeout(() => {
      if (!this.stopped) this.listen().catch(() => this.reconnectLater());
    }, 1_000).unref();
  }

  /** A refresh soon: at once unless one started within the spacing, then at its end. */
  private notified(): void {
    if (this.stopped || this.notifiedTimer) return;
    const wait = Math.max(0, this.lastRefreshStart + NOTIFIED_REFRESH_SPACING_MS - performance.now());
    this.notifiedTimer = setTimeout(() => {
      this.notifiedTimer = undefined;
      void this.refresh().catch(() => undefined);
    }, wait);
    this.notifiedTimer.unref();
  }

  private report(message: string): void {
    if (this.reported === message) return;
    this.reported = message;
    this.options.log?.(message);
  }
}

/**
 * The stored hashes leaves [first, end) add (first a tile's first leaf), in
 * their slots: each leaf's hash, then the hash of every subtree it
 * completes (one per trailing 1 bit of its index), those above the tile's
 * seven levels skipped.
 */
function placeLeafRun(stored: Buffer, first: number, end: number, hashes: Buffer): void {
  let from = 0;
  for (let leaf = first; leaf < end; leaf += 1) {
    copyHash(stored, from, hashes, slotOf(0, leaf - first) * HASH_SIZE);
    from += HASH_SIZE;
    let completed = leaf;
    for (let level = 1; completed % 2 === 1; level += 1) {
      completed = (completed - 1) / 2;
      if (level < TILE_HEIGHT) copyHash(stored, from, hashes, slotOf(level, completed - first / 2 ** level) * HASH_SIZE);
      from += HASH_SIZE;
    }
  }
  if (from !== stored.length) throw new Error(`stored-hash arithmetic broke for leaves ${first}…${end - 1}`);
}

/** 32 bytes, without Buffer.copy's per-call checks: a warm-up copies half a million of them. */
function copyHash(from: Buffer, at: number, to: Buffer, into: number): void {
  for (let byte = 0; byte < HASH_SIZE; byte += 1) to[into + byte] = from[at + byte];
}

function sliceOf(bytes: Buffer | null, at: number, length: number, missing: string): Buffer {
  if (!bytes || bytes.length < at + length) throw new Error(missing);
  return bytes.subarray(at, at + length);
}

/** A level-0 tile's positions: its first, and all of them unless they are consecutive. They must increase. */
function positionsOf(bytes: Buffer, count: number, firstLeaf: number): { firstPosition: bigint; positions?: BigInt64Array } {
  const positions = new BigInt64Array(count);
  for (let n = 0; n < count; n += 1) {
    positions[n] = bytes.readBigInt64BE(n * POSITION_BYTES);
    if (n > 0 && positions[n] <= positions[n - 1]) throw new Error(`the log's positions do not increase at leaf ${firstLeaf + n}`);
  }
  const firstPosition = positions[0];
  const consecutive = positions[count - 1] - firstPosition === BigInt(count - 1);
  return consecutive ? { firstPosition } : { firstPosition, positions };
}

function positionIn(tile: Tile, offset: number): bigint {
  return tile.positions ? tile.positions[offset] : tile.firstPosition + BigInt(offset);
}

/** The offset of the leaf at `position` in a level-0 tile, undefined when none of its leaves is there. */
function findPosition(tile: Tile, position: bigint): number | undefined {
  const count = tile.end - tile.index * TILE_WIDTH;
  if (!tile.positions) {
    const offset = position - tile.firstPosition;
    return offset >= 0n && offset < BigInt(count) ? Number(offset) : undefined;
  }
  let low = 0;
  let high = count - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = tile.positions[middle];
    if (at === position) return middle;
    if (at < position) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}
