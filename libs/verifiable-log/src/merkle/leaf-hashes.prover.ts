import { ensureInput } from '../verifiable-log.error';
import { MerkleNode, nodeEnd } from './merkle-node';
import { planConsistencyProof, planInclusionProof, planRoot } from './proof.plans';
import { hashChildren, isHash } from './tree.hashing';

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

/**
 * The hash of a perfect subtree from its leaves, folded left to right on a
 * stack of at most level + 1 hashes (a pair is merged as soon as it is
 * complete), so memory stays logarithmic however large the subtree.
 */
export function nodeHashOfLeafHashes(leafHashes: readonly Uint8Array[], node: MerkleNode): Buffer {
  ensureInput(nodeEnd(node) <= leafHashes.length, 'INDEX_OUT_OF_RANGE', `node ${node.level}/${node.index} is past the last leaf`);
  const first = node.index * 2 ** node.level;
  const stack: Buffer[] = [];
  for (let offset = 0; offset < 2 ** node.level; offset += 1) {
    const leafHash = leafHashes[first + offset];
    ensureInput(isHash(leafHash), 'INVALID_HASH', `leaf hash ${first + offset} is not 32 bytes`);
    let merged: Buffer = Buffer.from(leafHash);
    // Each trailing 1 bit of the count so far closes one more pair.
    for (let count = offset; count % 2 === 1; count = (count - 1) / 2) {
      merged = hashChildren(stack.pop() as Buffer, merged);
    }
    stack.push(merged);
  }
  return stack[0];
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
