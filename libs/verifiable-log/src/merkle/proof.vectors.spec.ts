import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
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
