import { isTreeSize, largestPowerOfTwoAtMost } from './tree.math';

/**
 * A node of the tree whose subtree is perfect: the root of the 2^level leaves
 * [index·2^level, (index+1)·2^level). Level 0 nodes are the leaf hashes. Every
 * root and every proof of an RFC 9162 tree is made of such nodes, combined,
 * which is what lets one plan run on any storage that keeps them: leaf hashes
 * in memory, Go's stored-hash layout, or C2SP hash tiles.
 */
export interface MerkleNode {
  readonly level: number;
  readonly index: number;
}

/** The first leaf after the node's subtree, i.e. (index + 1)·2^level. */
export function nodeEnd(node: MerkleNode): number {
  return (node.index + 1) * 2 ** node.level;
}

export function isMerkleNode(value: unknown): value is MerkleNode {
  if (typeof value !== 'object' || value === null) return false;
  const { level, index } = value as { level?: unknown; index?: unknown };
  return (
    typeof level === 'number' &&
    Number.isInteger(level) &&
    level >= 0 &&
    level <= 52 &&
    isTreeSize(index) &&
    isTreeSize(((index as number) + 1) * 2 ** level)
  );
}

/**
 * The perfect subtrees that make up MTH(D[start:end]), largest (leftmost)
 * first, appended to `nodes`. RFC 9162 splits a range at the largest power of
 * two below its size; unrolled, that is one perfect subtree per set bit of the
 * size, and `start` is always a multiple of the first one's size for the
 * ranges proofs and roots ask for.
 */
export function pushRangeNodes(start: number, end: number, nodes: MerkleNode[]): void {
  let cursor = start;
  while (cursor < end) {
    const { power, exponent } = largestPowerOfTwoAtMost(end - cursor);
    if (cursor % power !== 0) throw new Error(`range [${start}, ${end}) is not one the tree hashes: ${cursor} is not aligned to ${power}`);
    nodes.push({ level: exponent, index: cursor / power });
    cursor += power;
  }
}

/** How many nodes pushRangeNodes yields for a range of this size: one per set bit. */
export function rangeNodeCount(size: number): number {
  let count = 0;
  let rest = size;
  while (rest > 0) {
    if (rest % 2 === 1) count += 1;
    rest = Math.floor(rest / 2);
  }
  return count;
}
