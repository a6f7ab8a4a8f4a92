import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { isHash } from './tree.hashing';
import { ProofVerdict, verifyConsistency, verifyInclusion } from './proof.verifier';

/*
 * The transparency-dev/merkle proof vectors, kept beside the repository in
 * ../shared/testdata/merkle (its README says what each file holds). Every one
 * is loaded; a missing folder fails the suite instead of passing it empty.
 */
const REPOSITORY_ROOT = resolve(__dirname, '../../../..');
const VECTORS_FOLDER = resolve(REPOSITORY_ROOT, '../shared/testdata/merkle');
const EXPECTED_VECTOR_COUNT = 196;

interface InclusionVector {
  readonly leafIdx: number;
  readonly treeSize: number;
  readonly root: string;
  readonly leafHash: string;
  readonly proof: readonly string[] | null;
  readonly desc: string;
  readonly wantErr: boolean;
}

interface ConsistencyVector {
  readonly size1: number;
  readonly size2: number;
  readonly root1: string;
  readonly root2: string;
  readonly proof: readonly string[] | null;
  readonly desc: string;
  readonly wantErr: boolean;
}

interface LoadedVector<Vector> {
  readonly file: string;
  readonly vector: Vector;
}

function jsonFilesUnder(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) return jsonFilesUnder(path);
      return name.endsWith('.json') ? [path] : [];
    });
}

function loadVectors<Vector>(kind: 'inclusion' | 'consistency'): LoadedVector<Vector>[] {
  const folder = join(VECTORS_FOLDER, kind);
  if (!existsSync(folder)) {
    throw new Error(`the Merkle test vectors are missing: ${folder} does not exist (expected beside the repository, in ../shared/testdata/merkle)`);
  }
  return jsonFilesUnder(folder).map((path) => ({
    file: relative(VECTORS_FOLDER, path),
    // JSON.parse turns 2^64 - 1 into an unsafe float, which the verifier must refuse: exactly what those vectors test.
    vector: JSON.parse(readFileSync(path, 'utf8')) as Vector,
  }));
}

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

/*
 * One vector, consistency/additional/sizes-are-equal-one-and-proof-is-empty,
 * expects two equal 12-byte "roots" of trees of one leaf to be consistent:
 * transparency-dev compares roots of equal sizes without checking their
 * length. This verifier refuses any root that is not 32 bytes (INVALID_HASH),
 * so such a vector is expected to fail; the count below keeps the exception
 * to exactly that one file.
 */
function rootsAreHashes(vector: ConsistencyVector): boolean {
  return isHash(bytes(vector.root1)) && isHash(bytes(vector.root2));
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
    const expectedValid = !loaded.vector.wantErr && rootsAreHashes(loaded.vector);
    expect({ desc: loaded.vector.desc, valid: verdict.valid }).toEqual({ desc: loaded.vector.desc, valid: expectedValid });
  });

  it('refuses, as INVALID_HASH, exactly one vector the reference accepts: equal roots that are not 32 bytes', () => {
    const lenient = consistencyVectors.filter(({ vector }) => !vector.wantErr && !rootsAreHashes(vector));
    expect(lenient.map(({ file }) => file)).toEqual(['consistency/additional/sizes-are-equal-one-and-proof-is-empty.json']);
    expect(verdictOfConsistency(lenient[0])).toMatchObject({ valid: false, reason: 'INVALID_HASH' });
  });

  it('accepts every vector the reference accepts once its roots are real hashes', () => {
    const accepted = [...inclusionVectors.map(verdictOfInclusion), ...consistencyVectors.filter(({ vector }) => rootsAreHashes(vector)).map(verdictOfConsistency)];
    const expected = [...inclusionVectors, ...consistencyVectors.filter(({ vector }) => rootsAreHashes(vector))].map(({ vector }) => !vector.wantErr);
    expect(accepted.map((verdict) => verdict.valid)).toEqual(expected);
  });
});
