import {
  emptyTreeRoot,
  isFullTile,
  planConsistencyProof,
  planInclusionProof,
  planRoot,
  storedHashIndex,
  storedHashIndexesOf,
  TILE_HEIGHT,
  TILE_WIDTH,
  tileInTree,
  type HashTile,
  type NodeHashPlan,
} from '@ledger/verifiable-log';
import type { Queryable } from '../query-queue';
import { hashAt, leafAtPosition, leavesBetween } from './log-runs';

/** The tree as the log builder has it now (the active generation). */
export interface TreeHead {
  readonly treeSize: number;
  readonly rootHash: Buffer;
  /** The log position of the tree's last leaf; -1 for the empty tree. */
  readonly position: bigint;
}

/** A leaf of the tree: which event it is. */
export interface LogLeaf {
  readonly leafIndex: number;
  readonly position: bigint;
  readonly eventId: string;
}

/** The largest number of stored hashes one read asks for (a full tile is 256). */
const MAX_HASHES_PER_READ = 1024;

/**
 * Reads the verifiable log's tree from the read models (the views of the
 * active `log` generation): its head, the leaf of a position, and any root,
 * proof or tile, each from one read of the stored hashes it needs (Go's
 * stored-hash layout: no hashing beyond what the plan completes). For the
 * checkpoint signer, the log routes and `verify` alike.
 */
export class LogTree {
  constructor(private readonly db: Queryable) {}

  async head(): Promise<TreeHead> {
    const { rows } = await this.db.query<{ tree_size: string; root_hash: Buffer; position: string }>(
      'SELECT tree_size::text, root_hash, position::text FROM read_models.log_edge WHERE id = 1',
    );
    if (rows.length === 0) return { treeSize: 0, rootHash: emptyTreeRoot(), position: -1n };
    return { treeSize: Number(rows[0].tree_size), rootHash: rows[0].root_hash, position: BigInt(rows[0].position) };
  }

  /** The leaf that is the event at this log position; undefined when no event of the tree is there. */
  async leafAt(position: bigint): Promise<LogLeaf | undefined> {
    const leaf = await leafAtPosition(this.db, position);
    return leaf && { leafIndex: leaf.leafIndex, position, eventId: leaf.eventId };
  }

  async leafOfIndex(leafIndex: number): Promise<LogLeaf | undefined> {
    const [leaf] = await leavesBetween(this.db, leafIndex, leafIndex + 1);
    return leaf;
  }

  async leafHash(leafIndex: number): Promise<Buffer> {
    const [hash] = await this.hashes([storedHashIndex({ level: 0, index: leafIndex })]);
    return hash;
  }

  async root(treeSize: number): Promise<Buffer> {
    return treeSize === 0 ? emptyTreeRoot() : this.complete(planRoot(treeSize));
  }

  async inclusionProof(leafIndex: number, treeSize: number): Promise<Buffer[]> {
    return this.complete(planInclusionProof(leafIndex, treeSize));
  }

  async consistencyProof(oldSize: number, newSize: number): Promise<Buffer[]> {
    return this.complete(planConsistencyProof(oldSize, newSize));
  }

  /**
   * A C2SP hash tile's bytes, when the tree (of `treeSize` leaves) holds it:
   * a full tile as stored, a partial one of exactly its width from the stored
   * hashes of its level (a partial tile of a given width never changes either).
   */
  async tile(tile: HashTile, treeSize: number): Promise<Buffer | undefined> {
    const inTree = tileInTree(treeSize, tile.level, tile.index);
    // Any width up to the tree's is a tile the log served at an earlier size, and stays valid.
    if (!inTree || tile.width > inTree.width) return undefined;
    if (isFullTile(tile)) {
      const { rows } = await this.db.query<{ hashes: Buffer }>('SELECT hashes FROM read_models.log_tiles WHERE level = $1 AND tile_index = $2::bigint', [
        tile.level,
        String(tile.index),
      ]);
      if (rows[0]) return rows[0].hashes;
    }
    const level = tile.level * TILE_HEIGHT;
    const nodes = Array.from({ length: tile.width }, (_, offset) => ({ level, index: tile.index * TILE_WIDTH + offset }));
    return Buffer.concat(await this.hashes(storedHashIndexesOf(nodes)));
  }

  private async complete<T>(plan: NodeHashPlan<T>): Promise<T> {
    return plan.complete(await this.hashes(storedHashIndexesOf(plan.nodes)));
  }

  /** Stored hashes by index, in the order asked; every one must be there (the tree holds them all). */
  async hashes(indexes: readonly number[]): Promise<Buffer[]> {
    const found = new Map<string, Buffer>();
    for (let start = 0; start < indexes.length; start += MAX_HASHES_PER_READ) {
      const chunk = indexes.slice(start, start + MAX_HASHES_PER_READ).map(String);
      const { rows } = await this.db.query<{ hash_index: string; hash: Buffer | null }>(
        `SELECT w.i::text AS hash_index, ${hashAt('w.i')} AS hash FROM unnest($1::bigint[]) AS w(i)`,
        [chunk],
      );
      for (const row of rows) if (row.hash) found.set(row.hash_index, row.hash);
    }
    return indexes.map((index) => {
      const hash = found.get(String(index));
      if (!hash) throw new Error(`the log's stored hash ${index} is missing`);
      return hash;
    });
  }
}
