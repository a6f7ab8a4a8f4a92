import fc from 'fast-check';
import { HashTile, locateNodeInTiles, newTiles, parseTilePath, partialTilesOfTree, tilePath, TILE_WIDTH } from './hash-tile';

const full = (level: number, index: number): HashTile => ({ level, index, width: TILE_WIDTH });

describe('tile paths', () => {
  it('spell the index in groups of three digits, all but the last behind an x', () => {
    expect(tilePath(full(0, 0))).toBe('tile/0/000');
    expect(tilePath(full(1, 1_234_067))).toBe('tile/1/x001/x234/067');
    expect(tilePath({ level: 4, index: 1_234_067, width: 1 })).toBe('tile/4/x001/x234/067.p/1');
    expect(tilePath({ level: 0, index: 1000, width: 255 })).toBe('tile/0/x001/000.p/255');
  });

  it('read back every path they write', () => {
    const tile = fc.record({ level: fc.integer({ min: 0, max: 63 }), index: fc.maxSafeNat(), width: fc.integer({ min: 1, max: 256 }) });
    fc.assert(fc.property(tile, (written) => expect(parseTilePath(tilePath(written))).toEqual(written)));
  });

  it.each([
    'tile/00/000', // leading zero in L
    'tile/64/000', // level past 63
    'tile/0/0', // fewer than three digits
    'tile/0/x000/001', // a zero group in front
    'tile/0/001/002', // a group without its x
    'tile/0/000.p/256', // a full tile spelt as partial
    'tile/0/000.p/0',
    'tile/0/000.p/07',
    'tile/0/000.p/',
    'tile/entries/000', // entry bundles are not hash tiles
    'tile/8/0/000', // Go's sumdb paths carry the height
    '/tile/0/000',
    'tile/0/000/',
    'tile/0/x1000/000',
  ])('refuse %s', (path) => {
    expect(() => parseTilePath(path)).toThrow(expect.objectContaining({ code: 'MALFORMED_TILE_PATH' }));
  });
});

describe('the tiles of a tree', () => {
  it("follow from its size: the spec's tree of 70,000 leaves", () => {
    const tiles = newTiles(0, 70_000);
    const level0 = tiles.filter((tile) => tile.level === 0);
    expect(level0.filter((tile) => tile.width === TILE_WIDTH)).toHaveLength(273);
    expect(level0.filter((tile) => tile.width < TILE_WIDTH)).toEqual([{ level: 0, index: 273, width: 112 }]);
    expect(tiles.filter((tile) => tile.level > 0)).toEqual([full(1, 0), { level: 1, index: 1, width: 17 }, { level: 2, index: 0, width: 1 }]);
    expect(partialTilesOfTree(70_000)).toEqual([
      { level: 0, index: 273, width: 112 },
      { level: 1, index: 1, width: 17 },
      { level: 2, index: 0, width: 1 },
    ]);
  });

  it('a tree of 256 leaves is one full level-0 tile and a level-1 tile of width 1', () => {
    expect(newTiles(0, 256)).toEqual([full(0, 0), { level: 1, index: 0, width: 1 }]);
    expect(partialTilesOfTree(256)).toEqual([undefined, { level: 1, index: 0, width: 1 }]);
    expect(newTiles(0, 0)).toEqual([]);
  });

  it('growing publishes only what changed: new full tiles and the new partial tiles', () => {
    expect(newTiles(300, 300)).toEqual([]);
    expect(newTiles(300, 520)).toEqual([full(0, 1), { level: 0, index: 2, width: 8 }, { level: 1, index: 0, width: 2 }]);
  });

  it('locate a node: its tile, and the run of tile hashes under it', () => {
    expect(locateNodeInTiles(70_000, { level: 0, index: 69_999 })).toEqual({ tile: { level: 0, index: 273, width: 112 }, offset: 111, count: 1 });
    expect(locateNodeInTiles(70_000, { level: 7, index: 1 })).toEqual({ tile: full(0, 0), offset: 128, count: 128 });
    expect(locateNodeInTiles(70_000, { level: 16, index: 0 })).toEqual({ tile: { level: 2, index: 0, width: 1 }, offset: 0, count: 1 });
    expect(() => locateNodeInTiles(70_000, { level: 16, index: 1 })).toThrow(expect.objectContaining({ code: 'INDEX_OUT_OF_RANGE' }));
  });
});
