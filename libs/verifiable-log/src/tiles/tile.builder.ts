import { ensureInput } from '../verifiable-log.error';
import { planRoot } from '../merkle/proof.plans';
import { HASH_SIZE, hashChildren, isHash } from '../merkle/tree.hashing';
import { isTreeSize, popCount } from '../merkle/tree.math';
import { HashTile, hashesAtTileLevel, hashOfTileRun, locateNodeInTiles, TileContents, tileLevelCount, TILE_WIDTH } from './hash-tile';
import { MAX_STORED_TREE_SIZE, storedHashCount } from './stored-hash.index';

/**
 * What a log builder keeps between batches: the tree's right edge, from which
 * the next leaves extend the tree without reading anything else. It is plain
 * data, and all of it can be rebuilt from the partial tiles the builder
 * stores anyway (treeEdgeFromPartialTiles), so a builder killed mid-way
 * resumes from its last committed tiles.
 */
export interface TreeEdge {
  /** Leaves in the tree. */
  readonly size: number;
  /** The hashes of the perfect subtrees the tree splits into, largest (leftmost) first: one per set bit of `size`. */
  readonly subtreeHashes: readonly Buffer[];
  /** For each tile level of the tree (tileLevelCount(size) of them), its partial tile's bytes; empty when the level ends on a full tile. */
  readonly partialTiles: readonly Buffer[];
}

/** What one batch of leaves added: the new edge, the new stored hashes, and every tile that changed. */
export interface AppendedLeaves {
  readonly edge: TreeEdge;
  /** The hashes the batch adds to Go's stored-hash layout, from stored index `firstIndex` on, 32 bytes each, in one buffer. */
  readonly storedHashes: { readonly firstIndex: number; readonly hashes: Buffer };
  /**
   * By level, then index: every tile the batch filled, then each level's
   * partial tile at the new size. Full tiles are final; a partial tile
   * replaces the one of the same level and index from an earlier size.
   */
  readonly tiles: readonly TileContents[];
}

/** A bound on one batch (a million leaves is 64 MB of stored hashes and 32 MB of tiles, built in a few seconds). */
export const MAX_LEAVES_PER_APPEND = 2 ** 20;

export function emptyTreeEdge(): TreeEdge {
  return { size: 0, subtreeHashes: [], partialTiles: [] };
}

function partialWidth(treeSize: number, tileLevel: number): number {
  return hashesAtTileLevel(treeSize, tileLevel) % TILE_WIDTH;
}

/** Whether `partialTiles` are the partial tiles of a tree of `treeSize` leaves, one per tile level, each of its width. */
function arePartialTilesOf(treeSize: number, partialTiles: readonly Uint8Array[]): boolean {
  return (
    Array.isArray(partialTiles) &&
    partialTiles.length === tileLevelCount(treeSize) &&
    partialTiles.every((bytes, level) => bytes instanceof Uint8Array && bytes.length === partialWidth(treeSize, level) * HASH_SIZE)
  );
}

function checkTreeEdge(edge: TreeEdge): void {
  ensureInput(
    typeof edge === 'object' && edge !== null && isTreeSize(edge.size) && edge.size <= MAX_STORED_TREE_SIZE,
    'INVALID_TREE_EDGE',
    'a tree edge needs a size from 0 to 2^52',
  );
  ensureInput(
    Array.isArray(edge.subtreeHashes) && edge.subtreeHashes.length === popCount(edge.size) && edge.subtreeHashes.every(isHash),
    'INVALID_TREE_EDGE',
    `a tree of ${edge.size} leaves has ${popCount(edge.size)} right-edge subtree hashes of 32 bytes`,
  );
  ensureInput(arePartialTilesOf(edge.size, edge.partialTiles), 'INVALID_TREE_EDGE', `the partial tiles do not match a tree of ${edge.size} leaves`);
}

/**
 * The edge of a tree of `treeSize` leaves from its partial tiles, as stored
 * (index = tile level, see partialTilesOfTree; an empty array where a level
 * has none). Each right-edge subtree lies in its level's partial tile, so
 * this costs at most 255 node hashes per level, once, at start-up.
 */
export function treeEdgeFromPartialTiles(treeSize: number, partialTiles: readonly Uint8Array[]): TreeEdge {
  ensureInput(isTreeSize(treeSize) && treeSize <= MAX_STORED_TREE_SIZE, 'INVALID_TREE_SIZE', `a tree edge needs a size from 0 to 2^52, got ${String(treeSize)}`);
  ensureInput(
    arePartialTilesOf(treeSize, partialTiles),
    'TILE_DATA_MISMATCH',
    `a tree of ${treeSize} leaves has ${tileLevelCount(treeSize)} tile levels, each partial tile ${HASH_SIZE} bytes a hash`,
  );
  const subtreeHashes: Buffer[] = [];
  for (let level = 52; level >= 0; level -= 1) {
    const nodesAtLevel = Math.floor(treeSize / 2 ** level);
    if (nodesAtLevel % 2 === 0) continue;
    const located = locateNodeInTiles(treeSize, { level, index: nodesAtLevel - 1 });
    subtreeHashes.push(hashOfTileRun(partialTiles[located.tile.level], located.offset, located.count));
  }
  return { size: treeSize, subtreeHashes, partialTiles: partialTiles.map((bytes) => Buffer.from(bytes)) };
}

/** The root of the tree the edge ends: its subtree hashes are exactly the nodes planRoot reads (at most 52 node hashes to fold). */
export function rootOfTreeEdge(edge: TreeEdge): Buffer {
  checkTreeEdge(edge);
  return planRoot(edge.size).complete(edge.subtreeHashes);
}

/** One tile level's changed hashes: from the start of its first changed tile to the new end. */
interface TileLevelWrite {
  readonly firstTile: number;
  readonly bytes: Buffer;
  cursor: number;
}

function openTileLevels(edge: TreeEdge, newSize: number): (TileLevelWrite | undefined)[] {
  return Array.from({ length: tileLevelCount(newSize) }, (_, level) => {
    const oldCount = hashesAtTileLevel(edge.size, level);
    const newCount = hashesAtTileLevel(newSize, level);
    if (oldCount === newCount) return undefined;
    const firstTile = Math.floor(oldCount / TILE_WIDTH);
    const bytes = Buffer.allocUnsafe((newCount - firstTile * TILE_WIDTH) * HASH_SIZE);
    const carried = edge.partialTiles[level] ?? Buffer.alloc(0);
    bytes.set(carried, 0);
    return { firstTile, bytes, cursor: carried.length };
  });
}

function closeTileLevels(edge: TreeEdge, levels: readonly (TileLevelWrite | undefined)[], newSize: number): { tiles: TileContents[]; partialTiles: Buffer[] } {
  const tiles: TileContents[] = [];
  const partialTiles = levels.map((write, level) => {
    if (write === undefined) return edge.partialTiles[level];
    if (write.cursor !== write.bytes.length) throw new Error(`tile level ${level} was left with a gap`);
    const newCount = hashesAtTileLevel(newSize, level);
    for (let index = write.firstTile; index * TILE_WIDTH < newCount; index += 1) {
      const tile: HashTile = { level, index, width: Math.min(TILE_WIDTH, newCount - index * TILE_WIDTH) };
      const start = (index - write.firstTile) * TILE_WIDTH * HASH_SIZE;
      tiles.push({ tile, bytes: write.bytes.subarray(start, start + tile.width * HASH_SIZE) });
    }
    const width = newCount % TILE_WIDTH;
    return Buffer.from(write.bytes.subarray(write.bytes.length - width * HASH_SIZE));
  });
  return { tiles, partialTiles };
}

/**
 * Extends the tree by a batch of leaf hashes, with one node hash per leaf on
 * average and nothing recomputed: each leaf is hashed into the right edge as
 * in a binary counter (leaf n completes one subtree per trailing 1 bit of n),
 * and every hash that lands on a tree level multiple of 8 is also a tile
 * hash. Splitting the leaves into batches any way gives the same tiles and
 * stored hashes. Pure: `edge` is left as it was.
 */
export function appendLeaves(edge: TreeEdge, leafHashes: readonly Uint8Array[]): AppendedLeaves {
  checkTreeEdge(edge);
  ensureInput(Array.isArray(leafHashes), 'INVALID_HASH', 'leafHashes must be an array of 32-byte hashes');
  ensureInput(leafHashes.length <= MAX_LEAVES_PER_APPEND, 'BATCH_TOO_LARGE', `at most ${MAX_LEAVES_PER_APPEND} leaves a batch, got ${leafHashes.length}`);
  const newSize = edge.size + leafHashes.length;
  ensureInput(newSize <= MAX_STORED_TREE_SIZE, 'INVALID_TREE_SIZE', 'the tree would pass 2^52 leaves');
  leafHashes.forEach((leafHash, position) => ensureInput(isHash(leafHash), 'INVALID_HASH', `leaf hash ${position} of the batch is not 32 bytes`));

  const firstStored = storedHashCount(edge.size);
  const stored = Buffer.allocUnsafe((storedHashCount(newSize) - firstStored) * HASH_SIZE);
  let storedCursor = 0;
  const levels = openTileLevels(edge, newSize);
  const stack: Uint8Array[] = [...edge.subtreeHashes];
  for (let position = 0; position < leafHashes.length; position += 1) {
    let nodeHash = leafHashes[position];
    stored.set(nodeHash, storedCursor);
    storedCursor += HASH_SIZE;
    const leafLevel = levels[0] as TileLevelWrite;
    leafLevel.bytes.set(nodeHash, leafLevel.cursor);
    leafLevel.cursor += HASH_SIZE;
    let treeLevel = 0;
    for (let completed = edge.size + position; completed % 2 === 1; completed = (completed - 1) / 2) {
      nodeHash = hashChildren(stack.pop() as Uint8Array, nodeHash);
      treeLevel += 1;
      stored.set(nodeHash, storedCursor);
      storedCursor += HASH_SIZE;
      if (treeLevel % 8 === 0) {
        const tileLevel = levels[treeLevel / 8] as TileLevelWrite;
        tileLevel.bytes.set(nodeHash, tileLevel.cursor);
        tileLevel.cursor += HASH_SIZE;
      }
    }
    stack.push(nodeHash);
  }
  if (storedCursor !== stored.length) throw new Error('stored-hash count and appended hashes disagree');
  const { tiles, partialTiles } = closeTileLevels(edge, levels, newSize);
  return {
    edge: { size: newSize, subtreeHashes: stack.map((subtreeHash) => Buffer.from(subtreeHash)), partialTiles },
    storedHashes: { firstIndex: firstStored, hashes: stored },
    tiles,
  };
}
