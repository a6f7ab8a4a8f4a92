import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/*
 * The transparency-dev/merkle proof vectors, kept beside the repository in
 * ../shared/testdata/merkle (its README says what each file holds). Every one
 * is loaded; a missing folder fails the suite instead of passing it empty.
 */
const REPOSITORY_ROOT = resolve(__dirname, '../../../..');
const VECTORS_FOLDER = resolve(REPOSITORY_ROOT, '../shared/testdata/merkle');
export const EXPECTED_VECTOR_COUNT = 196;

export interface InclusionVector {
  readonly leafIdx: number;
  readonly treeSize: number;
  readonly root: string;
  readonly leafHash: string;
  readonly proof: readonly string[] | null;
  readonly desc: string;
  readonly wantErr: boolean;
}

export interface ConsistencyVector {
  readonly size1: number;
  readonly size2: number;
  readonly root1: string;
  readonly root2: string;
  readonly proof: readonly string[] | null;
  readonly desc: string;
  readonly wantErr: boolean;
}

export interface LoadedVector<Vector> {
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

export function loadMerkleVectors<Vector>(kind: 'inclusion' | 'consistency'): LoadedVector<Vector>[] {
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
