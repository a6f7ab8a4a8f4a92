import fc from 'fast-check';
import {
  naiveConsistencyProof,
  naiveInclusionProof,
  naiveRoot,
  testLeafHashes,
} from '../testing/naive-merkle-tree';
import { errorCodeOf } from '../testing/error-code';
import { consistencyProofOfLeafHashes, inclusionProofOfLeafHashes, rootOfLeafHashes } from './leaf-hashes.prover';
import { emptyTreeRoot, hashChildren, hashLeaf } from './tree.hashing';
import { verifyConsistency, verifyInclusion } from './proof.verifier';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const hexes = (list: readonly Uint8Array[]): string[] => list.map(hex);

/** The RFC 6962 / transparency-dev reference leaves, whose roots the vectors carry. */
const REFERENCE_ENTRIES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((entry) =>
  Buffer.from(entry, 'hex'),
);
const REFERENCE_ROOTS: Record<number, string> = {
  1: '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  2: 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  3: 'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  4: 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  5: '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  6: '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  7: 'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  8: '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
};

/** A tree size and a leaf index in it. */
const treeAndLeaf = fc.integer({ min: 1, max: 300 }).chain((treeSize) => fc.record({ treeSize: fc.constant(treeSize), leafIndex: fc.integer({ min: 0, max: treeSize - 1 }) }));
/** Two tree sizes, the old at most the new. */
const twoSizes = fc.integer({ min: 1, max: 300 }).chain((newSize) => fc.record({ newSize: fc.constant(newSize), oldSize: fc.integer({ min: 1, max: newSize }) }));

const LEAVES = testLeafHashes(300);

describe('RFC 9162 hashing', () => {
  it('hashes leaves, nodes and the empty tree as RFC 9162 §2.1.1 says', () => {
    expect(hex(emptyTreeRoot())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(hashLeaf(Buffer.alloc(0)))).toBe(REFERENCE_ROOTS[1]);
    const leaves = REFERENCE_ENTRIES.map(hashLeaf);
    expect(hex(hashChildren(leaves[0], leaves[1]))).toBe(REFERENCE_ROOTS[2]);
  });

  it('gives the reference roots of the RFC 6962 test tree at every size', () => {
    const leaves = REFERENCE_ENTRIES.map(hashLeaf);
    for (const [size, root] of Object.entries(REFERENCE_ROOTS)) expect(hex(rootOfLeafHashes(leaves, Number(size)))).toBe(root);
    expect(hex(rootOfLeafHashes([]))).toBe(hex(emptyTreeRoot()));
  });
});

describe('proofs generated from leaf hashes', () => {
  it('roots agree with the naive recursive MTH', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 300 }), (treeSize) => hex(rootOfLeafHashes(LEAVES, treeSize)) === hex(naiveRoot(LEAVES.slice(0, treeSize)))));
  });

  it('inclusion proofs agree with the naive PATH and verify', () => {
    fc.assert(
      fc.property(treeAndLeaf, ({ treeSize, leafIndex }) => {
        const proof = inclusionProofOfLeafHashes(LEAVES, leafIndex, treeSize);
        expect(hexes(proof)).toEqual(hexes(naiveInclusionProof(leafIndex, LEAVES.slice(0, treeSize))));
        const rootHash = rootOfLeafHashes(LEAVES, treeSize);
        expect(verifyInclusion({ leafIndex, treeSize, leafHash: LEAVES[leafIndex], proof, rootHash })).toEqual({ valid: true });
      }),
    );
  });

  it('consistency proofs agree with the naive SUBPROOF and verify', () => {
    fc.assert(
      fc.property(twoSizes, ({ oldSize, newSize }) => {
        const proof = consistencyProofOfLeafHashes(LEAVES, oldSize, newSize);
        expect(hexes(proof)).toEqual(hexes(naiveConsistencyProof(oldSize, LEAVES.slice(0, newSize))));
        const claim = { oldSize, newSize, oldRoot: rootOfLeafHashes(LEAVES, oldSize), newRoot: rootOfLeafHashes(LEAVES, newSize), proof };
        expect(verifyConsistency(claim)).toEqual({ valid: true });
      }),
    );
  });

  it('an inclusion proof with one bit flipped, one hash dropped or one added does not verify', () => {
    fc.assert(
      fc.property(treeAndLeaf, fc.nat(), fc.nat(255), ({ treeSize, leafIndex }, pick, bit) => {
        const proof = inclusionProofOfLeafHashes(LEAVES, leafIndex, treeSize);
        const rootHash = rootOfLeafHashes(LEAVES, treeSize);
        const claim = { leafIndex, treeSize, leafHash: LEAVES[leafIndex], rootHash };
        expect(verifyInclusion({ ...claim, proof: [...proof, LEAVES[0]] }).valid).toBe(false);
        if (proof.length === 0) return;
        const flipped = proof.map((proofHash) => Buffer.from(proofHash));
        flipped[pick % proof.length][bit >> 3] ^= 1 << (bit & 7);
        expect(verifyInclusion({ ...claim, proof: flipped })).toMatchObject({ valid: false, reason: 'ROOT_MISMATCH' });
        expect(verifyInclusion({ ...claim, proof: proof.slice(1) })).toMatchObject({ valid: false, reason: 'WRONG_PROOF_LENGTH' });
      }),
    );
  });

  it('a consistency proof against another history does not verify', () => {
    const otherHistory = testLeafHashes(300, 'forked ');
    fc.assert(
      fc.property(twoSizes.filter(({ oldSize, newSize }) => oldSize < newSize), ({ oldSize, newSize }) => {
        const proof = consistencyProofOfLeafHashes(LEAVES, oldSize, newSize);
        const forkedOldRoot = rootOfLeafHashes(otherHistory, oldSize);
        const verdict = verifyConsistency({ oldSize, newSize, oldRoot: forkedOldRoot, newRoot: rootOfLeafHashes(LEAVES, newSize), proof });
        expect(verdict).toMatchObject({ valid: false, reason: 'ROOT_MISMATCH' });
      }),
    );
  });

  it('refuses to prove a leaf past the tree, a tree larger than the hashes at hand, or consistency from the empty tree', () => {
    expect(errorCodeOf(() => inclusionProofOfLeafHashes(LEAVES, 5, 5))).toBe('INDEX_OUT_OF_RANGE');
    expect(errorCodeOf(() => inclusionProofOfLeafHashes(LEAVES, 0, 301))).toBe('INDEX_OUT_OF_RANGE');
    expect(errorCodeOf(() => inclusionProofOfLeafHashes(LEAVES, 0.5, 5))).toBe('INVALID_TREE_SIZE');
    expect(errorCodeOf(() => consistencyProofOfLeafHashes(LEAVES, 0, 5))).toBe('INVALID_TREE_SIZE');
    expect(errorCodeOf(() => consistencyProofOfLeafHashes(LEAVES, 6, 5))).toBe('INDEX_OUT_OF_RANGE');
    expect(errorCodeOf(() => rootOfLeafHashes([Buffer.alloc(31)]))).toBe('INVALID_HASH');
  });
});
