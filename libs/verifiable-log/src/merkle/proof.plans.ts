import { ensureInput, VerifiableLogError } from '../verifiable-log.error';
import { MerkleNode, pushRangeNodes, rangeNodeCount } from './merkle-node';
import { emptyTreeRoot, hashChildren, isHash } from './tree.hashing';
import { isTreeSize, largestPowerOfTwoBelow } from './tree.math';

/**
 * What a root or a proof needs from storage, and how to finish it once those
 * hashes are read. Planning is pure arithmetic (no hashing, no I/O), so the
 * same plan serves a builder holding leaf hashes in memory, a server reading
 * Go-style stored hashes from PostgreSQL in one query, and a client fetching
 * C2SP tiles over HTTP: each reads `nodes` its own way, in one batch, then
 * calls `complete`.
 */
export interface NodeHashPlan<Result> {
  /** The node hashes to read, in this order. Each is complete in the plan's tree. */
  readonly nodes: readonly MerkleNode[];
  /** Finishes from the hashes of `nodes`, same order; throws NODE_HASH_COUNT or INVALID_HASH on anything else. */
  readonly complete: (nodeHashes: readonly Uint8Array[]) => Result;
}

/** A sibling in a proof: MTH(D[start:end]), read as `nodeCount` consecutive plan nodes. */
interface ProofStep {
  readonly start: number;
  readonly end: number;
}

function ensureTreeSize(value: number, name: string): void {
  ensureInput(isTreeSize(value), 'INVALID_TREE_SIZE', `${name} must be an integer from 0 to 2^53 - 1, got ${String(value)}`);
}

function checkNodeHashes(nodeHashes: readonly Uint8Array[], expected: number): void {
  ensureInput(
    Array.isArray(nodeHashes) && nodeHashes.length === expected,
    'NODE_HASH_COUNT',
    `the plan reads ${expected} node hashes, got ${Array.isArray(nodeHashes) ? nodeHashes.length : 'no array'}`,
  );
  nodeHashes.forEach((nodeHash, position) => {
    ensureInput(isHash(nodeHash), 'INVALID_HASH', `node hash ${position} is not 32 bytes`);
  });
}

/** Combines the perfect subtrees of one range, right to left, as MTH's recursion does. */
function foldRange(nodeHashes: readonly Uint8Array[], first: number, count: number): Buffer {
  let folded: Buffer = Buffer.from(nodeHashes[first + count - 1]);
  for (let position = first + count - 2; position >= first; position -= 1) {
    folded = hashChildren(nodeHashes[position], folded);
  }
  return folded;
}

function planFromSteps(steps: readonly ProofStep[]): NodeHashPlan<Buffer[]> {
  const nodes: MerkleNode[] = [];
  const counts: number[] = [];
  for (const step of steps) {
    counts.push(rangeNodeCount(step.end - step.start));
    pushRangeNodes(step.start, step.end, nodes);
  }
  return {
    nodes,
    complete: (nodeHashes) => {
      checkNodeHashes(nodeHashes, nodes.length);
      const proof: Buffer[] = [];
      let first = 0;
      for (const count of counts) {
        proof.push(foldRange(nodeHashes, first, count));
        first += count;
      }
      return proof;
    },
  };
}

/** The root of the tree of `treeSize` leaves (RFC 9162 §2.1.1 MTH); the empty tree needs no node. */
export function planRoot(treeSize: number): NodeHashPlan<Buffer> {
  ensureTreeSize(treeSize, 'treeSize');
  const nodes: MerkleNode[] = [];
  pushRangeNodes(0, treeSize, nodes);
  return {
    nodes,
    complete: (nodeHashes) => {
      checkNodeHashes(nodeHashes, nodes.length);
      return nodes.length === 0 ? emptyTreeRoot() : foldRange(nodeHashes, 0, nodes.length);
    },
  };
}

/**
 * The inclusion proof of leaf `leafIndex` in the tree of `treeSize` leaves,
 * RFC 9162 §2.1.3.1 PATH(m, D[n]), from the leaf's sibling up to the root's
 * child. Walked top-down: at each split the proof takes the side the leaf is
 * not on, then the walk descends into the other.
 */
export function planInclusionProof(leafIndex: number, treeSize: number): NodeHashPlan<Buffer[]> {
  ensureTreeSize(treeSize, 'treeSize');
  ensureTreeSize(leafIndex, 'leafIndex');
  ensureInput(leafIndex < treeSize, 'INDEX_OUT_OF_RANGE', `leaf ${leafIndex} is not in a tree of ${treeSize} leaves`);
  const topDown: ProofStep[] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const split = start + largestPowerOfTwoBelow(end - start);
    if (leafIndex < split) {
      topDown.push({ start: split, end });
      end = split;
    } else {
      topDown.push({ start, end: split });
      start = split;
    }
  }
  return planFromSteps(topDown.reverse());
}

/**
 * The consistency proof from the tree of `oldSize` leaves to the tree of
 * `newSize` leaves, RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true).
 * Equal sizes prove with no hash. A proof from the empty tree is refused
 * (INVALID_TREE_SIZE): RFC 9162 defines none, and verifiers reject one.
 */
export function planConsistencyProof(oldSize: number, newSize: number): NodeHashPlan<Buffer[]> {
  ensureTreeSize(oldSize, 'oldSize');
  ensureTreeSize(newSize, 'newSize');
  ensureInput(oldSize > 0, 'INVALID_TREE_SIZE', 'a consistency proof starts from a tree of at least one leaf');
  ensureInput(oldSize <= newSize, 'INDEX_OUT_OF_RANGE', `the old tree (${oldSize}) is larger than the new one (${newSize})`);
  const topDown: ProofStep[] = [];
  let start = 0;
  let end = newSize;
  // Whether the subtree being walked is still the old tree's own root (SUBPROOF's b).
  let oldTreeIsWhole = true;
  while (oldSize < end) {
    const split = start + largestPowerOfTwoBelow(end - start);
    if (oldSize <= split) {
      topDown.push({ start: split, end });
      end = split;
    } else {
      topDown.push({ start, end: split });
      start = split;
      oldTreeIsWhole = false;
    }
  }
  // Here oldSize === end: the walk reached a subtree wholly inside the old tree.
  if (!oldTreeIsWhole) topDown.push({ start, end });
  return planFromSteps(topDown.reverse());
}

/** The number of hashes in PATH(leafIndex, D[treeSize]), without planning it. */
export function inclusionProofLength(leafIndex: number, treeSize: number): number {
  if (!isTreeSize(leafIndex) || !isTreeSize(treeSize) || leafIndex >= treeSize) {
    throw new VerifiableLogError('INDEX_OUT_OF_RANGE', `leaf ${String(leafIndex)} is not in a tree of ${String(treeSize)} leaves`);
  }
  let length = 0;
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const split = start + largestPowerOfTwoBelow(end - start);
    if (leafIndex < split) end = split;
    else start = split;
    length += 1;
  }
  return length;
}
