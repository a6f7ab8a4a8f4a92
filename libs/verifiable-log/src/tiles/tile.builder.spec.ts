import fc from 'fast-check';
import { naiveRoot, naiveTileBytes, testLeafHashes } from '../testing/naive-merkle-tree';
import { emptyTreeEdge, appendLeaves, AppendedLeaves, MAX_LEAVES_PER_APPEND, rootOfTreeEdge, TreeEdge, treeEdgeFromPartialTiles } from './tile.builder';
import { newTiles, partialTilesOfTree, tilePath } from './hash-tile';
import { nodeAtStoredHashIndex, storedHashCount } from './stored-hash.index';

const LEAVES = testLeafHashes(70_000);

/** Appends `leaves` in batches of the given sizes (the rest in a last batch), keeping what a builder would store. */
function buildInBatches(leaves: readonly Buffer[], batchSizes: readonly number[]): { edge: TreeEdge; tiles: Map<string, string>; stored: Buffer; batches: AppendedLeaves[] } {
  let edge = emptyTreeEdge();
  const tiles = new Map<string, string>();
  const stored: Buffer[] = [];
  const batches: AppendedLeaves[] = [];
  let start = 0;
  for (const size of [...batchSizes, leaves.length]) {
    const end = Math.min(leaves.length, start + size);
    const appended = appendLeaves(edge, leaves.slice(start, end));
    expect(appended.storedHashes.firstIndex).toBe(storedHashCount(edge.size));
    for (const { tile, bytes } of appended.tiles) tiles.set(`${tile.level}/${tile.index}`, `${tile.width}:${bytes.toString('hex')}`);
    stored.push(appended.storedHashes.hashes);
    batches.push(appended);
    edge = appended.edge;
    start = end;
  }
  return { edge, tiles, stored: Buffer.concat(stored), batches };
}

/** Every tile of the tree, from the spec's formula over the leaves. */
function naiveTiles(leaves: readonly Buffer[]): Map<string, string> {
  return new Map(newTiles(0, leaves.length).map((tile) => [`${tile.level}/${tile.index}`, `${tile.width}:${naiveTileBytes(leaves, tile).toString('hex')}`]));
}

const batchSplits = (maxBatch: number) => fc.array(fc.integer({ min: 0, max: maxBatch }), { maxLength: 12 });

describe('building tiles leaf batch by leaf batch', () => {
  it('gives the tiles of the spec formula and the root of the tree, however the leaves are split into batches', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1500 }), batchSplits(600), (treeSize, splits) => {
        const leaves = LEAVES.slice(0, treeSize);
        const built = buildInBatches(leaves, splits);
        expect(built.tiles).toEqual(naiveTiles(leaves));
        expect(rootOfTreeEdge(built.edge).toString('hex')).toBe(naiveRoot(leaves).toString('hex'));
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same tiles in one batch and in random batches at 70,000 leaves (three tile levels)', () => {
    const inOneGo = buildInBatches(LEAVES, []);
    expect(inOneGo.tiles.size).toBe(newTiles(0, 70_000).length);
    expect(inOneGo.tiles.get('2/0')).toBe(`1:${naiveRoot(LEAVES.slice(0, 65_536)).toString('hex')}`);
    expect(inOneGo.tiles.get('1/1')).toBe(`17:${naiveTileBytes(LEAVES, { level: 1, index: 1, width: 17 }).toString('hex')}`);
    fc.assert(
      fc.property(batchSplits(20_000), (splits) => {
        const inBatches = buildInBatches(LEAVES, splits);
        expect(inBatches.tiles).toEqual(inOneGo.tiles);
        expect(inBatches.stored.equals(inOneGo.stored)).toBe(true);
      }),
      { numRuns: 5 },
    );
  });

  it("writes Go's stored hashes: each stored index holds its node's hash", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), batchSplits(200), (treeSize, splits) => {
        const leaves = LEAVES.slice(0, treeSize);
        const { stored } = buildInBatches(leaves, splits);
        expect(stored.length).toBe(storedHashCount(treeSize) * 32);
        for (let storedIndex = 0; storedIndex < storedHashCount(treeSize); storedIndex += 1) {
          const node = nodeAtStoredHashIndex(storedIndex);
          const expected = naiveRoot(leaves.slice(node.index * 2 ** node.level, (node.index + 1) * 2 ** node.level));
          expect(stored.subarray(storedIndex * 32, storedIndex * 32 + 32).toString('hex')).toBe(expected.toString('hex'));
        }
      }),
      { numRuns: 25 },
    );
  });

  it('resumes from the partial tiles alone, as a restarted builder does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70_000 }), (treeSize) => {
        const { edge } = buildInBatches(LEAVES.slice(0, treeSize), []);
        const stored = new Map(edge.partialTiles.map((bytes, level) => [level, bytes] as const));
        const partialTiles = partialTilesOfTree(treeSize).map((tile, level) => (tile === undefined ? Buffer.alloc(0) : (stored.get(level) as Buffer)));
        expect(treeEdgeFromPartialTiles(treeSize, partialTiles)).toEqual(edge);
      }),
      { numRuns: 40 },
    );
  });

  it('publishes in each batch exactly the tiles newTiles names, and leaves the old edge untouched', () => {
    const first = appendLeaves(emptyTreeEdge(), LEAVES.slice(0, 300));
    const before = JSON.stringify(first.edge);
    const second = appendLeaves(first.edge, LEAVES.slice(300, 520));
    expect(second.tiles.map(({ tile }) => tilePath(tile))).toEqual(newTiles(300, 520).map(tilePath));
    expect(JSON.stringify(first.edge)).toBe(before);
    expect(appendLeaves(second.edge, []).tiles).toEqual([]);
  });

  it('refuses a hash that is not 32 bytes, a batch past its bound, and an edge that is not one', () => {
    expect(() => appendLeaves(emptyTreeEdge(), [Buffer.alloc(31)])).toThrow(expect.objectContaining({ code: 'INVALID_HASH' }));
    expect(() => appendLeaves(emptyTreeEdge(), { length: MAX_LEAVES_PER_APPEND + 1 } as never)).toThrow(expect.objectContaining({ code: 'INVALID_HASH' }));
    expect(() => appendLeaves(emptyTreeEdge(), new Array(MAX_LEAVES_PER_APPEND + 1))).toThrow(expect.objectContaining({ code: 'BATCH_TOO_LARGE' }));
    expect(() => appendLeaves({ size: 3, subtreeHashes: [], partialTiles: [] }, [])).toThrow(expect.objectContaining({ code: 'INVALID_TREE_EDGE' }));
    expect(() => treeEdgeFromPartialTiles(5, [Buffer.alloc(32 * 4)])).toThrow(expect.objectContaining({ code: 'TILE_DATA_MISMATCH' }));
  });
});
