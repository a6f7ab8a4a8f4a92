import { logLeafHashOf } from '@ledger/event-store';
import { nodeHashOfLeafHashes, nodeAtStoredHashIndex, rootOfLeafHashes, storedHashCount, TILE_WIDTH } from '@ledger/verifiable-log';
import { foldInMemory, recorded, tableWrites } from '../testing/recorded';
import { leafRunOf } from './log-runs';
import { logProjection } from './log.projection';

const events = Array.from({ length: 600 }, (_, index) =>
  recorded(index * 3 + 7, `certification-${index % 17}`, 'TrainingRecorded', { processId: `p-${index % 17}`, hours: index, note: 'Ñandú\u0000' }),
);

describe('log projection', () => {
  it('makes each event a leaf of an RFC 9162 tree, hashing the event as stored, whatever the batch', () => {
    const leafHashes = events.map(logLeafHashOf);
    const rows = foldInMemory(logProjection, events);
    const [edge] = tableWrites(rows, 'log_edge').puts;
    expect(edge).toMatchObject({ tree_size: '600', position: String(599 * 3 + 7) });
    expect(Buffer.from(edge.root_hash as Uint8Array)).toEqual(rootOfLeafHashes(leafHashes));
    // Leaves keep where each event is in the log: positions need not be dense (EventStoreDB's are not).
    const runs = tableWrites(rows, 'log_leaf_runs').appends.map((row) => leafRunOf(row as never));
    const leaves = runs.flatMap((run) => run.positions.map((position, offset) => [run.firstLeaf + offset, position, run.eventIds[offset]]));
    expect(leaves).toEqual(events.map((event, index) => [index, event.position, event.id]));
    // Runs never cross a multiple of 256 leaves.
    for (const run of runs) expect(Math.floor(run.firstLeaf / TILE_WIDTH)).toBe(Math.floor((run.firstLeaf + run.positions.length - 1) / TILE_WIDTH));
    expect(runs.map((run) => run.firstLeaf)).toEqual([0, 256, 512]);
    // The hash runs hold every stored hash once, in order, and each is the hash of the node its index names.
    let next = 0;
    for (const row of tableWrites(rows, 'log_hash_runs').appends) {
      expect(Number(row.first_index)).toBe(next);
      const bytes = row.hashes as Uint8Array;
      for (let offset = 0; offset * 32 < bytes.length; offset += 1) {
        const node = nodeAtStoredHashIndex(next + offset);
        expect(Buffer.from(bytes.subarray(offset * 32, (offset + 1) * 32))).toEqual(nodeHashOfLeafHashes(leafHashes, node));
      }
      next += bytes.length / 32;
    }
    expect(next).toBe(storedHashCount(600));
    // Two full level-0 tiles of 256 leaves; the rest is partial.
    expect(tableWrites(rows, 'log_tiles').appends.map((row) => [row.level, row.tile_index, (row.hashes as Uint8Array).length])).toEqual([
      [0, '0', TILE_WIDTH * 32],
      [0, '1', TILE_WIDTH * 32],
    ]);
  });

  it('continues the tree of an earlier batch from its stored edge', () => {
    const first = foldInMemory(logProjection, events.slice(0, 333));
    const [edge] = tableWrites(first, 'log_edge').puts;
    const second = foldInMemory(logProjection, events.slice(333), { log_edge: [edge] });
    const [after] = tableWrites(second, 'log_edge').puts;
    expect(Buffer.from(after.root_hash as Uint8Array)).toEqual(rootOfLeafHashes(events.map(logLeafHashOf)));
    expect(tableWrites(second, 'log_leaf_runs').appends.map((row) => row.first_leaf)).toEqual(['333', '512']);
    expect(tableWrites(second, 'log_hash_runs').appends[0].first_index).toBe(String(storedHashCount(333)));
  });
});
