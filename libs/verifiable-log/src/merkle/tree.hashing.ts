import { createHash, hash } from 'node:crypto';

/**
 * RFC 9162 §2.1.1 hashing with SHA-256: a leaf is SHA-256(0x00 ‖ entry), an
 * interior node SHA-256(0x01 ‖ left ‖ right), and the empty tree's root is
 * SHA-256 of nothing. The two prefixes keep a leaf from ever being read as a
 * node (the second-preimage attack on naive Merkle trees).
 */

export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = 0x01;

/*
 * One scratch buffer for every node hash: hashing is synchronous, so no two
 * calls can interleave, and a builder hashing a million nodes then allocates
 * only the digests themselves. crypto.hash is Node's one-shot digest, about a
 * third cheaper than createHash().update().digest() on 65 bytes.
 */
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = NODE_PREFIX;

export function isHash(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === HASH_SIZE;
}

/** The leaf hash of an entry: SHA-256(0x00 ‖ entry). */
export function hashLeaf(entry: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

/** The hash of an interior node: SHA-256(0x01 ‖ left ‖ right). Both must be 32 bytes (callers check). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return hash('sha256', nodeInput, 'buffer');
}

/** The root of the tree of size 0: SHA-256(""), e3b0c442…b855. A fresh copy each call, so nobody can change it for everyone. */
export function emptyTreeRoot(): Buffer {
  return createHash('sha256').digest();
}

export function equalHashes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  for (let offset = 0; offset < left.length; offset += 1) {
    if (left[offset] !== right[offset]) return false;
  }
  return true;
}

/**
 * The root of a perfect subtree over `count` (a power of two) consecutive
 * hashes, read one at a time by position: leaves for a node of the tree, tile
 * hashes for a node between tile levels. Pairs merge as soon as they are
 * complete, so the stack never holds more than log2(count) + 1 hashes.
 */
export function hashPerfectRun(count: number, hashAt: (position: number) => Uint8Array): Buffer {
  const stack: Buffer[] = [];
  for (let position = 0; position < count; position += 1) {
    let merged: Buffer = Buffer.from(hashAt(position));
    // Each trailing 1 bit of the position closes one more pair.
    for (let done = position; done % 2 === 1; done = (done - 1) / 2) merged = hashChildren(stack.pop() as Buffer, merged);
    stack.push(merged);
  }
  return stack[0];
}
