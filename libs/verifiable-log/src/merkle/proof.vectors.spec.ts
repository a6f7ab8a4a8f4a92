import { ProofVerdict, verifyConsistency, verifyInclusion } from './proof.verifier';
import { EXPECTED_VECTOR_COUNT, loadMerkleVectors as loadVectors, type ConsistencyVector, type InclusionVector, type LoadedVector } from '../testing/merkle-vectors';

const bytes = (base64: string): Buffer => Buffer.from(base64, 'base64');
const hashes = (proof: readonly string[] | null): Buffer[] => (proof ?? []).map(bytes);

const inclusionVectors = loadVectors<InclusionVector>('inclusion');
const consistencyVectors = loadVectors<ConsistencyVector>('consistency');

function verdictOfInclusion({ vector }: LoadedVector<InclusionVector>): ProofVerdict {
  return verifyInclusion({
    leafIndex: vector.leafIdx,
    treeSize: vector.treeSize,
    leafHash: bytes(vector.leafHash),
    rootHash: bytes(vector.root),
    proof: hashes(vector.proof),
  });
}

function verdictOfConsistency({ vector }: LoadedVector<ConsistencyVector>): ProofVerdict {
  return verifyConsistency({
    oldSize: vector.size1,
    newSize: vector.size2,
    oldRoot: bytes(vector.root1),
    newRoot: bytes(vector.root2),
    proof: hashes(vector.proof),
  });
}

describe('RFC 9162 proof verification against the transparency-dev vectors', () => {
  it(`loads all ${EXPECTED_VECTOR_COUNT} vectors from ../shared/testdata/merkle`, () => {
    expect(inclusionVectors.length + consistencyVectors.length).toBe(EXPECTED_VECTOR_COUNT);
    expect(inclusionVectors.filter(({ vector }) => !vector.wantErr).length).toBeGreaterThan(0);
    expect(consistencyVectors.filter(({ vector }) => !vector.wantErr).length).toBeGreaterThan(0);
  });

  it.each(inclusionVectors.map((loaded) => [loaded.file, loaded] as const))('inclusion %s', (_file, loaded) => {
    const verdict = verdictOfInclusion(loaded);
    expect({ desc: loaded.vector.desc, valid: verdict.valid }).toEqual({ desc: loaded.vector.desc, valid: !loaded.vector.wantErr });
  });

  it.each(consistencyVectors.map((loaded) => [loaded.file, loaded] as const))('consistency %s', (_file, loaded) => {
    const verdict = verdictOfConsistency(loaded);
    expect({ desc: loaded.vector.desc, valid: verdict.valid }).toEqual({ desc: loaded.vector.desc, valid: !loaded.vector.wantErr });
  });

  it('accepts exactly the vectors the reference accepts, and refuses the others', () => {
    const verdicts = [...inclusionVectors.map(verdictOfInclusion), ...consistencyVectors.map(verdictOfConsistency)];
    const expected = [...inclusionVectors, ...consistencyVectors].map(({ vector }) => !vector.wantErr);
    expect(verdicts.map((verdict) => verdict.valid)).toEqual(expected);
  });
});
