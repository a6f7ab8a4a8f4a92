import { logLeafHashOf } from '@ledger/event-store';
import { nodeHashOfLeafHashes, nodeAtStoredHashIndex, rootOfLeafHashes, TILE_WIDTH } from '@ledger/verifiable-log';
import { foldInMemory, recorded, tableWrites } from '../testing/recorded';
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
    const leaves = tableWrites(rows, 'log_leaves').appends;
    expect(leaves.map((row) => [row.leaf_index, row.position])).toEqual(events.map((event, index) => [String(index), String(event.position)]));
    // Every stored hash is the hash of the node its index names.
    for (const row of tableWrites(rows, 'log_hashes').appends) {
      const node = nodeAtStoredHashIndex(Number(row.hash_index));
      expect(Buffer.from(row.hash as Uint8Array)).toEqual(nodeHashOfLeafHashes(leafHashes, node));
    }
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
    expect(tableWrites(second, 'log_leaves').appends[0].leaf_index).toBe('333');
  });
});
