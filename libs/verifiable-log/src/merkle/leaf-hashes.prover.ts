import { ensureInput } from '../verifiable-log.error';
import { MerkleNode, nodeEnd } from './merkle-node';
import { planConsistencyProof, planInclusionProof, planRoot } from './proof.plans';
import { hashPerfectRun, isHash } from './tree.hashing';

/**
 * Roots and proofs from leaf hashes held in memory: what `verify` and tests
 * use, and what an auditor that downloaded every entry can recompute. Each
 * call hashes the subtrees it needs from scratch (a root costs size - 1 node
 * hashes); a builder keeps tiles or stored hashes instead (see tiles/).
 */

function ensureLeafHashes(leafHashes: readonly Uint8Array[], treeSize: number): void {
  ensureInput(Array.isArray(leafHashes), 'INVALID_HASH', 'leafHashes must be an array of 32-byte hashes');
  ensureInput(
    treeSize <= leafHashes.length,
    'INDEX_OUT_OF_RANGE',
    `a tree of ${treeSize} leaves needs that many leaf hashes, got ${leafHashes.length}`,
  );
}

/** The hash of a perfect subtree from its 2^level leaves (2^level − 1 node hashes). */
export function nodeHashOfLeafHashes(leafHashes: readonly Uint8Array[], node: MerkleNode): Buffer {
  ensureInput(nodeEnd(node) <= leafHashes.length, 'INDEX_OUT_OF_RANGE', `node ${node.level}/${node.index} is past the last leaf`);
  const first = node.index * 2 ** node.level;
  return hashPerfectRun(2 ** node.level, (offset) => {
    const leafHash = leafHashes[first + offset];
    ensureInput(isHash(leafHash), 'INVALID_HASH', `leaf hash ${first + offset} is not 32 bytes`);
    return leafHash;
  });
}

function readNodes(leafHashes: readonly Uint8Array[], nodes: readonly MerkleNode[]): Buffer[] {
  return nodes.map((node) => nodeHashOfLeafHashes(leafHashes, node));
}

/** MTH(D[0:treeSize]) of the first `treeSize` leaf hashes (all of them by default). */
export function rootOfLeafHashes(leafHashes: readonly Uint8Array[], treeSize = leafHashes.length): Buffer {
  const plan = planRoot(treeSize);
  ensureLeafHashes(leafHashes, treeSize);
  return plan.complete(readNodes(leafHashes, plan.nodes));
}

/** PATH(leafIndex, D[0:treeSize]) over the first `treeSize` leaf hashes. */
export function inclusionProofOfLeafHashes(
  leafHashes: readonly Uint8Array[],
  leafIndex: number,
  treeSize = leafHashes.length,
): Buffer[] {
  const plan = planInclusionProof(leafIndex, treeSize);
  ensureLeafHashes(leafHashes, treeSize);
  return plan.complete(readNodes(leafHashes, plan.nodes));
}

/** PROOF(oldSize, D[0:newSize]) over the first `newSize` leaf hashes. */
export function consistencyProofOfLeafHashes(
  leafHashes: readonly Uint8Array[],
  oldSize: number,
  newSize = leafHashes.length,
): Buffer[] {
  const plan = planConsistencyProof(oldSize, newSize);
  ensureLeafHashes(leafHashes, newSize);
  return plan.complete(readNodes(leafHashes, plan.nodes));
}
