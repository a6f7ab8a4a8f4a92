import fc from 'fast-check';
import { nodeEnd } from './merkle-node';
import { inclusionProofLength, planConsistencyProof, planInclusionProof, planRoot } from './proof.plans';
import { verifyConsistency, verifyInclusion } from './proof.verifier';
import { largestPowerOfTwoAtMost, largestPowerOfTwoBelow, popCount, trailingOnes } from './tree.math';

/*
 * Plans are arithmetic only, so they can be checked at sizes no test could
 * hash: up to 2^53 - 1, against BigInt oracles.
 */
const MAX = Number.MAX_SAFE_INTEGER;
const hugeSize = fc.oneof(fc.integer({ min: 1, max: MAX }), fc.integer({ min: 0, max: 52 }).map((exponent) => 2 ** exponent), fc.integer({ min: MAX - 1000, max: MAX }));

/** Transparency-dev's closed form for the proof length, in BigInt: bits.Len(index ^ (size-1)) + popcount(index >> inner). */
function oracleInclusionLength(leafIndex: number, treeSize: number): number {
  const index = BigInt(leafIndex);
  const inner = (index ^ (BigInt(treeSize) - 1n)).toString(2).replace(/^0+/, '').length;
  const border = (index >> BigInt(inner)).toString(2).replace(/0/g, '').length;
  return inner + border;
}

describe('tree arithmetic on numbers up to 2^53', () => {
  it('finds powers of two, bit counts and trailing ones exactly', () => {
    fc.assert(
      fc.property(hugeSize, (value) => {
        const { power, exponent } = largestPowerOfTwoAtMost(value);
        expect(power).toBe(2 ** exponent);
        expect(BigInt(power) <= BigInt(value) && BigInt(value) < 2n * BigInt(power)).toBe(true);
        expect(popCount(value)).toBe(BigInt(value).toString(2).replace(/0/g, '').length);
        expect(trailingOnes(value)).toBe(/1*$/.exec(BigInt(value).toString(2))![0].length);
        if (value >= 2) expect(largestPowerOfTwoBelow(value) < value && largestPowerOfTwoBelow(value) * 2 >= value).toBe(true);
      }),
    );
  });
});

describe('proof plans', () => {
  it('an inclusion plan reads one range per proof hash, each node inside the tree, at any size', () => {
    fc.assert(
      fc.property(hugeSize, fc.double({ min: 0, max: 1, noNaN: true }), (treeSize, where) => {
        const leafIndex = Math.min(treeSize - 1, Math.floor(where * treeSize));
        const plan = planInclusionProof(leafIndex, treeSize);
        expect(inclusionProofLength(leafIndex, treeSize)).toBe(oracleInclusionLength(leafIndex, treeSize));
        expect(plan.nodes.every((node) => nodeEnd(node) <= treeSize)).toBe(true);
      }),
    );
  });

  it('a root plan reads one node per set bit of the size, left to right', () => {
    // 70,000 = 2^16 + 2^12 + 2^8 + 2^6 + 2^5 + 2^4.
    const plan = planRoot(70_000);
    expect(plan.nodes).toEqual([
      { level: 16, index: 0 },
      { level: 12, index: 16 },
      { level: 8, index: 69_632 / 256 },
      { level: 6, index: 69_888 / 64 },
      { level: 5, index: 69_952 / 32 },
      { level: 4, index: 69_984 / 16 },
    ]);
    expect(planRoot(0).nodes).toEqual([]);
  });

  it('consistency plans stay inside the new tree, even near 2^53', () => {
    fc.assert(
      fc.property(hugeSize, hugeSize, (first, second) => {
        const [oldSize, newSize] = first <= second ? [first, second] : [second, first];
        const plan = planConsistencyProof(oldSize, newSize);
        expect(plan.nodes.every((node) => nodeEnd(node) <= newSize)).toBe(true);
        expect(plan.nodes.length).toBeLessThanOrEqual(2 * 53);
      }),
    );
  });

  it('refuses hash lists that do not match the plan', () => {
    const plan = planInclusionProof(3, 10);
    expect(() => plan.complete([])).toThrow(expect.objectContaining({ code: 'NODE_HASH_COUNT' }));
    expect(() => plan.complete(plan.nodes.map(() => Buffer.alloc(33)))).toThrow(expect.objectContaining({ code: 'INVALID_HASH' }));
  });
});

describe('proof verification never throws', () => {
  const garbage = fc.oneof(
    fc.anything(),
    fc.constantFrom(-1, 0.5, NaN, Infinity, 2 ** 53, 2 ** 64, MAX, MAX + 1),
    fc.array(fc.oneof(fc.uint8Array({ minLength: 31, maxLength: 33 }), fc.anything()), { maxLength: 70 }),
  );

  it('on any input: it answers a verdict, never an exception', () => {
    fc.assert(
      fc.property(garbage, garbage, garbage, garbage, garbage, (a, b, c, d, e) => {
        const inclusion = verifyInclusion({ leafIndex: a, treeSize: b, leafHash: c, rootHash: d, proof: e } as never);
        const consistency = verifyConsistency({ oldSize: a, newSize: b, oldRoot: c, newRoot: d, proof: e } as never);
        expect(typeof inclusion.valid).toBe('boolean');
        expect(typeof consistency.valid).toBe('boolean');
      }),
    );
    expect(verifyInclusion(undefined as never).valid).toBe(false);
    expect(verifyConsistency(null as never).valid).toBe(false);
  });

  it('names why it refuses: sizes past 2^53, index at or past the size, too many hashes', () => {
    const hash = Buffer.alloc(32);
    const base = { leafHash: hash, rootHash: hash, proof: [] };
    expect(verifyInclusion({ ...base, leafIndex: 0, treeSize: 2 ** 53 })).toMatchObject({ reason: 'INVALID_TREE_SIZE' });
    expect(verifyInclusion({ ...base, leafIndex: 1, treeSize: 1 })).toMatchObject({ reason: 'INDEX_OUT_OF_RANGE' });
    expect(verifyInclusion({ ...base, leafIndex: 0, treeSize: 2, proof: Array(65).fill(hash) })).toMatchObject({ reason: 'INVALID_HASH' });
    expect(verifyInclusion({ ...base, leafIndex: 0, treeSize: MAX, proof: Array(10).fill(hash) })).toMatchObject({ reason: 'WRONG_PROOF_LENGTH' });
    expect(verifyConsistency({ oldSize: 2, newSize: 1, oldRoot: hash, newRoot: hash, proof: [] })).toMatchObject({ reason: 'INDEX_OUT_OF_RANGE' });
  });
});
