import fc from 'fast-check';
import { testLeafHashes } from '../testing/naive-merkle-tree';
import { consistencyProofOfLeafHashes, inclusionProofOfLeafHashes, rootOfLeafHashes } from '../merkle/leaf-hashes.prover';
import { planInclusionProof } from '../merkle/proof.plans';
import { HashTile, tilePath } from './hash-tile';
import { storedHashIndexesOf } from './stored-hash.index';
import { appendLeaves, emptyTreeEdge } from './tile.builder';
import { consistencyProofFromTiles, inclusionProofFromTiles, ReadTile, rootFromTiles } from './tile.prover';

const TREE_SIZE = 70_000;
const LEAVES = testLeafHashes(TREE_SIZE);

/*
 * A tile store like the builder's: every full tile once, and the partial
 * tiles of every size a checkpoint was signed at (here: every size the
 * batches below end on).
 */
const SIGNED_SIZES = [1, 2, 255, 256, 257, 1000, 4097, 65_535, 65_536, 65_537, TREE_SIZE];
const tileStore = new Map<string, Buffer>();
const storedHashes: Buffer[] = [];
let edge = emptyTreeEdge();
for (const signedSize of SIGNED_SIZES) {
  const appended = appendLeaves(edge, LEAVES.slice(edge.size, signedSize));
  for (const { tile, bytes } of appended.tiles) tileStore.set(tilePath(tile), bytes);
  storedHashes.push(appended.storedHashes.hashes);
  edge = appended.edge;
}
const storedLayout = Buffer.concat(storedHashes);

const tilesRead: string[] = [];
const readTile: ReadTile = async (tile: HashTile) => {
  tilesRead.push(tilePath(tile));
  const bytes = tileStore.get(tilePath(tile));
  if (bytes === undefined) throw new Error(`no tile ${tilePath(tile)}`);
  return bytes;
};

const hexes = (list: readonly Uint8Array[]): string[] => list.map((hash) => Buffer.from(hash).toString('hex'));
const signedSize = fc.constantFrom(...SIGNED_SIZES);

describe('proofs from tiles', () => {
  it('the root of every signed size, from its tiles, is the root of its leaves', async () => {
    for (const treeSize of SIGNED_SIZES) {
      expect((await rootFromTiles(treeSize, readTile)).toString('hex')).toBe(rootOfLeafHashes(LEAVES, treeSize).toString('hex'));
    }
  });

  it('an older root can be read from a newer tree’s tiles', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: TREE_SIZE }), async (treeSize) => {
        expect((await rootFromTiles(treeSize, readTile, TREE_SIZE)).equals(rootOfLeafHashes(LEAVES, treeSize))).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it('inclusion proofs from tiles equal proofs from the leaves', async () => {
    await fc.assert(
      fc.asyncProperty(signedSize, fc.double({ min: 0, max: 1, noNaN: true }), async (treeSize, where) => {
        const leafIndex = Math.min(treeSize - 1, Math.floor(where * treeSize));
        const proof = await inclusionProofFromTiles(leafIndex, treeSize, readTile);
        expect(hexes(proof)).toEqual(hexes(inclusionProofOfLeafHashes(LEAVES, leafIndex, treeSize)));
      }),
      { numRuns: 20 },
    );
  });

  it('consistency proofs from tiles equal proofs from the leaves', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: TREE_SIZE }), signedSize, async (oldSize, newSize) => {
        fc.pre(oldSize <= newSize);
        const proof = await consistencyProofFromTiles(oldSize, newSize, readTile);
        expect(hexes(proof)).toEqual(hexes(consistencyProofOfLeafHashes(LEAVES, oldSize, newSize)));
      }),
      { numRuns: 20 },
    );
  });

  it('an inclusion proof at 70,000 leaves reads the tiles on its path, each once', async () => {
    tilesRead.length = 0;
    await inclusionProofFromTiles(12_345, TREE_SIZE, readTile);
    // Levels 0-7 from the leaf's tile, 8-15 from the level-1 tile above it, and the
    // sibling of the first 65,536 leaves (4,096 + 256 + 64 + 32 + 16 leaves) from the two partial tiles.
    expect(tilesRead.sort()).toEqual(['tile/0/048', 'tile/0/273.p/112', 'tile/1/000', 'tile/1/001.p/17']);
  });

  it('refuses a tile of the wrong length', async () => {
    const short: ReadTile = async (tile) => (await readTile(tile)).subarray(32);
    await expect(inclusionProofFromTiles(5, TREE_SIZE, short)).rejects.toMatchObject({ code: 'TILE_DATA_MISMATCH' });
  });
});

describe("proofs from Go's stored hashes", () => {
  it('equal proofs from the leaves, reading only stored hashes by index', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: TREE_SIZE }), fc.double({ min: 0, max: 1, noNaN: true }), (treeSize, where) => {
        const leafIndex = Math.min(treeSize - 1, Math.floor(where * treeSize));
        const plan = planInclusionProof(leafIndex, treeSize);
        const read = storedHashIndexesOf(plan.nodes).map((storedIndex) => storedLayout.subarray(storedIndex * 32, storedIndex * 32 + 32));
        expect(hexes(plan.complete(read))).toEqual(hexes(inclusionProofOfLeafHashes(LEAVES, leafIndex, treeSize)));
      }),
      { numRuns: 20 },
    );
  });
});
