import { ensureInput } from '../verifiable-log.error';
import { MerkleNode, isMerkleNode } from '../merkle/merkle-node';
import { popCount, trailingOnes } from '../merkle/tree.math';

/**
 * The stored-hash layout of Go's golang.org/x/mod/sumdb/tlog (after Crosby
 * and Wallach, "Efficient Data Structures for Tamper-Evident Logging", §3.3):
 * every perfect subtree's hash in one dense sequence, in the order a log
 * completes them. Appending leaf n stores its leaf hash, then the hash of
 * every subtree it completes (one per trailing 1 bit of n). A server that
 * keeps this sequence answers any proof by reading O(log n) hashes by index,
 * with no hashing at all.
 *
 * Indices reach about twice the tree size, so the layout is for trees of at
 * most 2^52 leaves (every index then stays a safe integer).
 */
export const MAX_STORED_TREE_SIZE = 2 ** 52;

/** Where node (level, index) is stored: right after the hash of its subtree's last leaf and the lower subtrees that leaf completes. */
export function storedHashIndex(node: MerkleNode): number {
  ensureInput(isMerkleNode(node) && (node.index + 1) * 2 ** node.level <= MAX_STORED_TREE_SIZE, 'INDEX_OUT_OF_RANGE', 'the stored-hash layout covers nodes of the first 2^52 leaves');
  const lastLeaf = (node.index + 1) * 2 ** node.level - 1;
  return storedHashCount(lastLeaf) + node.level;
}

/**
 * How many hashes a tree of `treeSize` leaves stores, which is also where
 * leaf `treeSize`'s hash goes: each leaf n adds 1 + trailingOnes(n), which
 * sums to 2·size − popcount(size).
 */
export function storedHashCount(treeSize: number): number {
  ensureInput(Number.isSafeInteger(treeSize) && treeSize >= 0 && treeSize <= MAX_STORED_TREE_SIZE, 'INVALID_TREE_SIZE', `the stored-hash layout covers trees of 0 to 2^52 leaves, got ${String(treeSize)}`);
  return 2 * treeSize - popCount(treeSize);
}

/** The node stored at `storedIndex` (the inverse of storedHashIndex). */
export function nodeAtStoredHashIndex(storedIndex: number): MerkleNode {
  ensureInput(Number.isSafeInteger(storedIndex) && storedIndex >= 0 && storedIndex < storedHashCount(MAX_STORED_TREE_SIZE), 'INDEX_OUT_OF_RANGE', `no stored hash ${String(storedIndex)} in the layout`);
  // storedHashCount(n) ≤ 2n, so the leaf whose hashes hold storedIndex is at least half of it, and at most 53 further.
  let leaf = Math.floor(storedIndex / 2);
  while (storedHashCount(leaf + 1) <= storedIndex) leaf += 1;
  const level = storedIndex - storedHashCount(leaf);
  // Leaf `leaf` completes exactly trailingOnes(leaf) subtrees above itself.
  if (level > trailingOnes(leaf)) throw new Error(`stored-hash arithmetic broke at ${storedIndex}`);
  return { level, index: Math.floor(leaf / 2 ** level) };
}

/** The stored indices of a plan's nodes, for one `WHERE stored_index = ANY($1)` read. */
export function storedHashIndexesOf(nodes: readonly MerkleNode[]): number[] {
  return nodes.map(storedHashIndex);
}
