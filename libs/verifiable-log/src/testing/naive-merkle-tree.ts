import { createHash } from 'node:crypto';

/**
 * RFC 9162 §2.1 transcribed as literally as possible (recursive MTH, PATH and
 * SUBPROOF over arrays of leaf hashes), with its own hashing. Slow on purpose:
 * specs use it as an oracle that shares no code with the library.
 */

function sha256(...parts: Uint8Array[]): Buffer {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part);
  return digest.digest();
}

export function naiveLeafHash(entry: Uint8Array): Buffer {
  return sha256(Buffer.from([0]), entry);
}

export function naiveNodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(Buffer.from([1]), left, right);
}

/** The largest power of two strictly smaller than n (n ≥ 2), in BigInt so it is exact at any size. */
export function naiveSplit(n: number): number {
  let k = 1n;
  while (k * 2n < BigInt(n)) k *= 2n;
  return Number(k);
}

export function naiveRoot(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return Buffer.from(leaves[0]);
  const k = naiveSplit(leaves.length);
  return naiveNodeHash(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)));
}

export function naiveInclusionProof(m: number, leaves: readonly Uint8Array[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = naiveSplit(leaves.length);
  if (m < k) return [...naiveInclusionProof(m, leaves.slice(0, k)), naiveRoot(leaves.slice(k))];
  return [...naiveInclusionProof(m - k, leaves.slice(k)), naiveRoot(leaves.slice(0, k))];
}

function naiveSubproof(m: number, leaves: readonly Uint8Array[], complete: boolean): Buffer[] {
  if (m === leaves.length) return complete ? [] : [naiveRoot(leaves)];
  const k = naiveSplit(leaves.length);
  if (m <= k) return [...naiveSubproof(m, leaves.slice(0, k), complete), naiveRoot(leaves.slice(k))];
  return [...naiveSubproof(m - k, leaves.slice(k), false), naiveRoot(leaves.slice(0, k))];
}

export function naiveConsistencyProof(m: number, leaves: readonly Uint8Array[]): Buffer[] {
  return naiveSubproof(m, leaves, true);
}

/** Distinct, reproducible leaf hashes for tests: the leaf hash of the entry "leaf <i>". */
export function testLeafHashes(count: number, salt = ''): Buffer[] {
  return Array.from({ length: count }, (_, index) => naiveLeafHash(Buffer.from(`leaf ${salt}${index}`)));
}

/** C2SP tlog-tiles' formula, literally: hash i of tile (level, index) is MTH(D[(index·256 + i)·256^level : (index·256 + i + 1)·256^level]). */
export function naiveTileBytes(leaves: readonly Uint8Array[], tile: { level: number; index: number; width: number }): Buffer {
  const span = 256 ** tile.level;
  const hashes = Array.from({ length: tile.width }, (_, i) => {
    const start = (tile.index * 256 + i) * span;
    return naiveRoot(leaves.slice(start, start + span));
  });
  return Buffer.concat(hashes);
}
