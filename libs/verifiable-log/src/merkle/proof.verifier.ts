import { equalHashes, hashChildren, isHash } from './tree.hashing';
import { half, isOdd, isPowerOfTwo, isTreeSize } from './tree.math';

/**
 * Proof verification, RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2
 * (consistency), written to take whatever a client sends: every function here
 * returns a verdict and never throws, whatever the types of its arguments.
 */

/** No valid proof of a tree below 2^53 leaves is longer; longer input is refused before any hashing. */
export const MAX_PROOF_HASHES = 64;

export type ProofRejection =
  /** A size or index that is not an integer from 0 to 2^53 - 1. */
  | 'INVALID_TREE_SIZE'
  /** leafIndex ≥ treeSize, or the first tree larger than the second. */
  | 'INDEX_OUT_OF_RANGE'
  /** A consistency proof from the empty tree, which RFC 9162 does not define. */
  | 'EMPTY_FIRST_TREE'
  /** A leaf hash, root or proof hash that is not 32 bytes, or a proof that is not an array. */
  | 'INVALID_HASH'
  /** More or fewer hashes than the sizes call for. */
  | 'WRONG_PROOF_LENGTH'
  /** Well formed, but the hashes do not lead to the root given. */
  | 'ROOT_MISMATCH';

export type ProofVerdict =
  | { readonly valid: true }
  | { readonly valid: false; readonly reason: ProofRejection; readonly message: string };

export type RootVerdict =
  | { readonly valid: true; readonly root: Buffer }
  | { readonly valid: false; readonly reason: ProofRejection; readonly message: string };

export interface InclusionClaim {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

export interface ConsistencyClaim {
  readonly oldSize: number;
  readonly newSize: number;
  readonly oldRoot: Uint8Array;
  readonly newRoot: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

const VALID: ProofVerdict = Object.freeze({ valid: true });

function rejected(reason: ProofRejection, message: string): { valid: false; reason: ProofRejection; message: string } {
  return { valid: false, reason, message };
}

function malformedProof(proof: unknown): string | undefined {
  if (!Array.isArray(proof)) return 'the proof is not an array of hashes';
  if (proof.length > MAX_PROOF_HASHES) return `the proof has ${proof.length} hashes, more than any tree below 2^53 needs`;
  const badHash = proof.findIndex((proofHash) => !isHash(proofHash));
  return badHash < 0 ? undefined : `proof hash ${badHash} is not 32 bytes`;
}

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2 steps 1 to 4, and
 * the size half of step 5). A tlog-proof verifier compares it with the signed
 * checkpoint's root; verifyInclusion does that in one call.
 */
export function rootFromInclusionProof(claim: InclusionClaim): RootVerdict {
  const { leafIndex, treeSize, leafHash, proof } = claim ?? ({} as InclusionClaim);
  if (!isTreeSize(leafIndex) || !isTreeSize(treeSize)) return rejected('INVALID_TREE_SIZE', 'leafIndex and treeSize must be integers from 0 to 2^53 - 1');
  if (leafIndex >= treeSize) return rejected('INDEX_OUT_OF_RANGE', `leaf ${leafIndex} is not in a tree of ${treeSize} leaves`);
  if (!isHash(leafHash)) return rejected('INVALID_HASH', 'the leaf hash is not 32 bytes');
  const malformed = malformedProof(proof);
  if (malformed !== undefined) return rejected('INVALID_HASH', malformed);
  let fn = leafIndex;
  let sn = treeSize - 1;
  let root: Buffer = Buffer.from(leafHash);
  for (const sibling of proof) {
    if (sn === 0) return rejected('WRONG_PROOF_LENGTH', `the proof has more hashes than a tree of ${treeSize} leaves needs`);
    if (isOdd(fn) || fn === sn) {
      root = hashChildren(sibling, root);
      // A left child on the right edge: the levels above it have no right sibling.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      root = hashChildren(root, sibling);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return rejected('WRONG_PROOF_LENGTH', `the proof has fewer hashes than a tree of ${treeSize} leaves needs`);
  return { valid: true, root };
}

/** Whether `proof` proves the leaf at `leafIndex` is `leafHash` in the tree of `treeSize` leaves with root `rootHash`. */
export function verifyInclusion(claim: InclusionClaim & { readonly rootHash: Uint8Array }): ProofVerdict {
  const computed = rootFromInclusionProof(claim);
  if (!computed.valid) return computed;
  if (!isHash(claim.rootHash)) return rejected('INVALID_HASH', 'the root hash is not 32 bytes');
  if (!equalHashes(computed.root, claim.rootHash)) return rejected('ROOT_MISMATCH', 'the proof does not lead to the root given');
  return VALID;
}

function checkConsistencyInput(claim: ConsistencyClaim): ProofVerdict {
  const { oldSize, newSize, oldRoot, newRoot, proof } = claim ?? ({} as ConsistencyClaim);
  if (!isTreeSize(oldSize) || !isTreeSize(newSize)) return rejected('INVALID_TREE_SIZE', 'oldSize and newSize must be integers from 0 to 2^53 - 1');
  if (oldSize > newSize) return rejected('INDEX_OUT_OF_RANGE', `the old tree (${oldSize}) is larger than the new one (${newSize})`);
  if (oldSize === 0) return rejected('EMPTY_FIRST_TREE', 'a consistency proof from the empty tree proves nothing (check its root is the empty root instead)');
  // RFC 9162 §2.1.4.2 step 1 compares the roots of equal sizes as they are; every other case hashes them, so they must be hashes.
  if (oldSize === newSize ? !(oldRoot instanceof Uint8Array && newRoot instanceof Uint8Array) : !isHash(oldRoot) || !isHash(newRoot)) {
    return rejected('INVALID_HASH', 'a root hash is not 32 bytes');
  }
  const malformed = malformedProof(proof);
  if (malformed !== undefined) return rejected('INVALID_HASH', malformed);
  return VALID;
}

/**
 * Whether `proof` proves the tree of `newSize` leaves with root `newRoot`
 * extends the tree of `oldSize` leaves with root `oldRoot` (RFC 9162
 * §2.1.4.2). Equal sizes need an empty proof and equal roots.
 */
export function verifyConsistency(claim: ConsistencyClaim): ProofVerdict {
  const input = checkConsistencyInput(claim);
  if (!input.valid) return input;
  const { oldSize, newSize, oldRoot, newRoot, proof } = claim;
  if (oldSize === newSize) {
    if (proof.length !== 0) return rejected('WRONG_PROOF_LENGTH', 'trees of the same size need an empty proof');
    return equalHashes(oldRoot, newRoot) ? VALID : rejected('ROOT_MISMATCH', 'two trees of the same size have different roots');
  }
  if (proof.length === 0) return rejected('WRONG_PROOF_LENGTH', 'a tree that grew needs a non-empty proof');
  // Step 2: when the old tree is a perfect subtree, its root is the proof's implicit first hash.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]);
  let sr = fr;
  for (let position = 1; position < path.length; position += 1) {
    const sibling = path[position];
    if (sn === 0) return rejected('WRONG_PROOF_LENGTH', `the proof has more hashes than trees of ${oldSize} and ${newSize} leaves need`);
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(sibling, fr);
      sr = hashChildren(sibling, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, sibling);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return rejected('WRONG_PROOF_LENGTH', `the proof has fewer hashes than trees of ${oldSize} and ${newSize} leaves need`);
  if (!equalHashes(fr, oldRoot)) return rejected('ROOT_MISMATCH', 'the proof does not lead to the old root');
  if (!equalHashes(sr, newRoot)) return rejected('ROOT_MISMATCH', 'the proof does not lead to the new root');
  return VALID;
}
