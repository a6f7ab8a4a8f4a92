import { ensureInput } from '../verifiable-log.error';
import { MerkleNode } from '../merkle/merkle-node';
import { NodeHashPlan, planConsistencyProof, planInclusionProof, planRoot } from '../merkle/proof.plans';
import { HASH_SIZE } from '../merkle/tree.hashing';
import { HashTile, hashOfTileRun, locateNodeInTiles, tilePath } from './hash-tile';

/**
 * Roots and proofs from hash tiles alone, the way a client of the static API
 * (or a server that keeps only tiles) computes them. Hashes read from tiles
 * are only as good as the tiles: a client checks the root it gets against a
 * signed checkpoint, or verifies the proof it computed against one.
 */

/** Returns a tile's bytes (width × 32): from PostgreSQL, a cache, or GET <prefix>/<tilePath(tile)>. */
export type ReadTile = (tile: HashTile) => Promise<Uint8Array>;

/** The tiles that hold `nodes` in the tiles of a tree of `tileTreeSize` leaves, each once. */
export function tilesForNodes(tileTreeSize: number, nodes: readonly MerkleNode[]): HashTile[] {
  const tiles = new Map<string, HashTile>();
  for (const node of nodes) {
    const { tile } = locateNodeInTiles(tileTreeSize, node);
    tiles.set(tilePath(tile), tile);
  }
  return [...tiles.values()];
}

/**
 * The hashes of `nodes` from tile bytes already at hand (`tileBytes` keyed by
 * tilePath). Pure: a server holding tiles in memory calls this directly.
 * `tileTreeSize` is the tree whose tiles are read; to read an older tree's
 * nodes from a newer tree's tiles, pass the newer size.
 */
export function nodeHashesFromTiles(tileTreeSize: number, nodes: readonly MerkleNode[], tileBytes: ReadonlyMap<string, Uint8Array>): Buffer[] {
  return nodes.map((node) => {
    const { tile, offset, count } = locateNodeInTiles(tileTreeSize, node);
    const bytes = tileBytes.get(tilePath(tile));
    ensureInput(bytes !== undefined, 'TILE_DATA_MISMATCH', `tile ${tilePath(tile)} was not read`);
    ensureInput(
      bytes instanceof Uint8Array && bytes.length === tile.width * HASH_SIZE,
      'TILE_DATA_MISMATCH',
      `tile ${tilePath(tile)} must be ${tile.width * HASH_SIZE} bytes, got ${bytes.length}`,
    );
    return hashOfTileRun(bytes, offset, count);
  });
}

/** Reads the tiles that hold `nodes` (all at once, in parallel) and returns the nodes' hashes. */
export async function readNodeHashesFromTiles(tileTreeSize: number, nodes: readonly MerkleNode[], readTile: ReadTile): Promise<Buffer[]> {
  const tiles = tilesForNodes(tileTreeSize, nodes);
  const contents = await Promise.all(tiles.map(readTile));
  const tileBytes = new Map(tiles.map((tile, position) => [tilePath(tile), contents[position]] as const));
  return nodeHashesFromTiles(tileTreeSize, nodes, tileBytes);
}

async function runPlanOnTiles<Result>(tileTreeSize: number, plan: NodeHashPlan<Result>, readTile: ReadTile): Promise<Result> {
  return plan.complete(await readNodeHashesFromTiles(tileTreeSize, plan.nodes, readTile));
}

/** The root of the tree of `treeSize` leaves, from its tiles (or those of a larger tree: `tileTreeSize`). */
export function rootFromTiles(treeSize: number, readTile: ReadTile, tileTreeSize = treeSize): Promise<Buffer> {
  return runPlanOnTiles(tileTreeSize, planRoot(treeSize), readTile);
}

/** The inclusion proof of leaf `leafIndex` in the tree of `treeSize` leaves, from that tree's tiles. */
export function inclusionProofFromTiles(leafIndex: number, treeSize: number, readTile: ReadTile): Promise<Buffer[]> {
  return runPlanOnTiles(treeSize, planInclusionProof(leafIndex, treeSize), readTile);
}

/** The consistency proof from `oldSize` to `newSize` leaves, from the tiles of the tree of `newSize` leaves. */
export function consistencyProofFromTiles(oldSize: number, newSize: number, readTile: ReadTile): Promise<Buffer[]> {
  return runPlanOnTiles(newSize, planConsistencyProof(oldSize, newSize), readTile);
}
