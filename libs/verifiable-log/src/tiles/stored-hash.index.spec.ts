import fc from 'fast-check';
import { MAX_STORED_TREE_SIZE, nodeAtStoredHashIndex, storedHashCount, storedHashIndex } from './stored-hash.index';

describe("Go's stored-hash layout", () => {
  it('stores each leaf, then the subtrees it completes', () => {
    // Leaves 0..3: L0, L1, N(0..1), L2, L3, N(2..3), N(0..3).
    const order = [0, 1, 2, 3, 4, 5, 6].map(nodeAtStoredHashIndex);
    expect(order).toEqual([
      { level: 0, index: 0 },
      { level: 0, index: 1 },
      { level: 1, index: 0 },
      { level: 0, index: 2 },
      { level: 0, index: 3 },
      { level: 1, index: 1 },
      { level: 2, index: 0 },
    ]);
    expect([0, 1, 2, 3, 4, 5].map(storedHashCount)).toEqual([0, 1, 3, 4, 7, 8]);
  });

  it('maps nodes to indices and back, up to 2^52 leaves', () => {
    const node = fc.integer({ min: 0, max: 52 }).chain((level) => fc.record({ level: fc.constant(level), index: fc.integer({ min: 0, max: MAX_STORED_TREE_SIZE / 2 ** level - 1 }) }));
    fc.assert(
      fc.property(node, (written) => {
        const stored = storedHashIndex(written);
        expect(nodeAtStoredHashIndex(stored)).toEqual(written);
        // The hashes of the leaf that completes the node come just before the node's.
        expect(stored).toBe(storedHashCount((written.index + 1) * 2 ** written.level - 1) + written.level);
      }),
    );
    fc.assert(fc.property(fc.integer({ min: 0, max: storedHashCount(MAX_STORED_TREE_SIZE) - 1 }), (stored) => expect(storedHashIndex(nodeAtStoredHashIndex(stored))).toBe(stored)));
  });

  it('refuses what it cannot address', () => {
    expect(() => storedHashCount(MAX_STORED_TREE_SIZE + 1)).toThrow(expect.objectContaining({ code: 'INVALID_TREE_SIZE' }));
    expect(() => storedHashIndex({ level: 0, index: MAX_STORED_TREE_SIZE })).toThrow(expect.objectContaining({ code: 'INDEX_OUT_OF_RANGE' }));
    expect(() => nodeAtStoredHashIndex(-1)).toThrow(expect.objectContaining({ code: 'INDEX_OUT_OF_RANGE' }));
  });
});
