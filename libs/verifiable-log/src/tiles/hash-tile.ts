import { ensureInput, VerifiableLogError } from '../verifiable-log.error';
import { MerkleNode, nodeEnd } from '../merkle/merkle-node';
import { isTreeSize } from '../merkle/tree.math';
import { HASH_SIZE, hashPerfectRun } from '../merkle/tree.hashing';

/**
 * C2SP tlog-tiles hash tiles (https://c2sp.org/tlog-tiles): the tree cut into
 * subtrees of height 8. Tile `index` at tile level `level` holds, left to
 * right, `width` consecutive hashes of tree level 8·level: hash i is
 * MTH(D[(index·256 + i)·256^level : (index·256 + i + 1)·256^level]). A full
 * tile holds 256 hashes (8,192 bytes); the rightmost tile of a level may be
 * partial (1 to 255 hashes) and is never hashed into the level above.
 */
export interface HashTile {
  /** The tile level L, 0 to 63 (tree level 8·L). */
  readonly level: number;
  /** The tile's number N within its level. */
  readonly index: number;
  /** How many hashes it holds, W: 256 for a full tile, 1 to 255 for a partial one. */
  readonly width: number;
}

/** A tile with its bytes: `width` × 32 bytes, the hashes one after the other. */
export interface TileContents {
  readonly tile: HashTile;
  readonly bytes: Buffer;
}

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 2 ** TILE_HEIGHT;
export const MAX_TILE_LEVEL = 63;
/** Longer than any tile path of a tree below 2^53 ("tile/63/x…/x…/x…/x…/123.p/255"). */
const MAX_TILE_PATH_LENGTH = 64;

export function isFullTile(tile: HashTile): boolean {
  return tile.width === TILE_WIDTH;
}

/** How many hashes tree level 8·tileLevel has in a tree of `treeSize` leaves: floor(treeSize / 256^tileLevel). */
export function hashesAtTileLevel(treeSize: number, tileLevel: number): number {
  return Math.floor(treeSize / TILE_WIDTH ** tileLevel);
}

/** The tile levels a tree of `treeSize` leaves has tiles at: 0 up to the last with at least one hash. */
export function tileLevelCount(treeSize: number): number {
  let levels = 0;
  while (hashesAtTileLevel(treeSize, levels) > 0) levels += 1;
  return levels;
}

/** Tile `index` at `level` as it stands in a tree of `treeSize` leaves: full, partial, or absent (undefined). */
export function tileInTree(treeSize: number, level: number, index: number): HashTile | undefined {
  const width = Math.min(TILE_WIDTH, hashesAtTileLevel(treeSize, level) - index * TILE_WIDTH);
  return width > 0 ? { level, index, width } : undefined;
}

/**
 * The tiles to publish when the tree grows from `oldSize` to `newSize`
 * leaves: at each level, every tile that became full, then the partial tile of
 * the new size if there is one. Go's tlog.NewTiles; from size 0, every tile.
 */
export function newTiles(oldSize: number, newSize: number): HashTile[] {
  ensureInput(isTreeSize(oldSize) && isTreeSize(newSize) && oldSize <= newSize, 'INVALID_TREE_SIZE', `cannot grow a tree from ${oldSize} to ${newSize} leaves`);
  const tiles: HashTile[] = [];
  for (let level = 0; level < tileLevelCount(newSize); level += 1) {
    const oldCount = hashesAtTileLevel(oldSize, level);
    const newCount = hashesAtTileLevel(newSize, level);
    if (oldCount === newCount) continue;
    const lastFull = Math.floor(newCount / TILE_WIDTH);
    for (let index = Math.floor(oldCount / TILE_WIDTH); index < lastFull; index += 1) tiles.push({ level, index, width: TILE_WIDTH });
    if (newCount % TILE_WIDTH > 0) tiles.push({ level, index: lastFull, width: newCount % TILE_WIDTH });
  }
  return tiles;
}

/** The partial tile of each level of a tree (undefined where the level has only full tiles): the tree's right edge. */
export function partialTilesOfTree(treeSize: number): (HashTile | undefined)[] {
  ensureInput(isTreeSize(treeSize), 'INVALID_TREE_SIZE', `a tree size must be an integer from 0 to 2^53 - 1, got ${String(treeSize)}`);
  return Array.from({ length: tileLevelCount(treeSize) }, (_, level) => {
    const count = hashesAtTileLevel(treeSize, level);
    return count % TILE_WIDTH > 0 ? { level, index: Math.floor(count / TILE_WIDTH), width: count % TILE_WIDTH } : undefined;
  });
}

/**
 * Where a node's hash is found in the tiles of a tree of `treeSize` leaves:
 * the tile of level floor(node.level / 8), and the run of `count` = 2^(node.level mod 8)
 * tile hashes starting at `offset` whose subtree it is (count 1: the hash itself).
 */
export interface NodeInTile {
  readonly tile: HashTile;
  readonly offset: number;
  readonly count: number;
}

export function locateNodeInTiles(treeSize: number, node: MerkleNode): NodeInTile {
  ensureInput(nodeEnd(node) <= treeSize, 'INDEX_OUT_OF_RANGE', `node ${node.level}/${node.index} is not complete in a tree of ${treeSize} leaves`);
  const level = Math.floor(node.level / TILE_HEIGHT);
  const count = 2 ** (node.level - level * TILE_HEIGHT);
  const firstHash = node.index * count;
  const index = Math.floor(firstHash / TILE_WIDTH);
  const tile = tileInTree(treeSize, level, index) as HashTile;
  return { tile, offset: firstHash - index * TILE_WIDTH, count };
}

/** Tile numbers as path elements of three digits, all but the last prefixed by x: 1234067 → x001/x234/067. */
function formatTileIndex(index: number): string {
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((group, position) => (position < groups.length - 1 ? `x${group}` : group)).join('/');
}

export function isHashTile(tile: unknown): tile is HashTile {
  if (typeof tile !== 'object' || tile === null) return false;
  const { level, index, width } = tile as Partial<HashTile>;
  return (
    Number.isInteger(level) && (level as number) >= 0 && (level as number) <= MAX_TILE_LEVEL &&
    isTreeSize(index) &&
    Number.isInteger(width) && (width as number) >= 1 && (width as number) <= TILE_WIDTH
  );
}

/** The tile's path under the log's prefix: `tile/<L>/<N>` or, partial, `tile/<L>/<N>.p/<W>`. */
export function tilePath(tile: HashTile): string {
  ensureInput(isHashTile(tile), 'INVALID_TILE', 'a tile needs a level from 0 to 63, an index and a width from 1 to 256');
  const partial = tile.width < TILE_WIDTH ? `.p/${tile.width}` : '';
  return `tile/${tile.level}/${formatTileIndex(tile.index)}${partial}`;
}

const TILE_PATH = /^tile\/(0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/**
 * Reads a tile path exactly as tilePath writes it, and nothing else: no
 * leading zeros in L or W, no x000 group in front, no `.p/256`, no entry
 * bundles (`tile/entries/…`, which this log does not serve).
 */
export function parseTilePath(path: string): HashTile {
  const match = typeof path === 'string' && path.length <= MAX_TILE_PATH_LENGTH ? TILE_PATH.exec(path) : null;
  if (match === null) throw new VerifiableLogError('MALFORMED_TILE_PATH', 'not a hash tile path (tile/<L>/<N>[.p/<W>])');
  const level = Number(match[1]);
  const index = match[2].split('/').reduce((value, group) => value * 1000 + Number(group.replace('x', '')), 0);
  const width = match[3] === undefined ? TILE_WIDTH : Number(match[3]);
  const tile = { level, index, width };
  if (!isHashTile(tile) || tilePath(tile) !== path) throw new VerifiableLogError('MALFORMED_TILE_PATH', 'not a hash tile path in its one canonical spelling');
  return tile;
}

/**
 * The hash of the subtree over `count` (a power of two) consecutive hashes of
 * a tile starting at `offset`: how a node between tile levels is rebuilt, at
 * the cost of count − 1 node hashes.
 */
export function hashOfTileRun(bytes: Uint8Array, offset: number, count: number): Buffer {
  return hashPerfectRun(count, (position) => bytes.subarray((offset + position) * HASH_SIZE, (offset + position + 1) * HASH_SIZE));
}
