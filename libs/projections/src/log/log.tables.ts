import type { TableDefinition } from '../projection';

/**
 * The verifiable log's tree, as the log builder keeps it. One row of
 * `log_edge`: the tree's size, root and right edge (what the next batch
 * needs); `log_leaves`: which event each leaf is; `log_hashes`: every leaf
 * and completed subtree hash in Go's stored-hash layout (sumdb/tlog), which
 * answers any proof with one read of a few rows; `log_tiles`: the C2SP hash
 * tiles that are full (never change again), served as they are. A partial
 * tile is read from `log_hashes` at whatever width a checkpoint needs.
 */
export const logEdgeTable: TableDefinition = {
  name: 'log_edge',
  published: true,
  columns: {
    id: 'integer',
    tree_size: 'bigint',
    root_hash: 'bytea',
    /** TreeEdge (libs/verifiable-log), its hashes in base64. */
    edge: 'jsonb',
    /** The position of the last event in the tree. */
    position: 'bigint',
  },
  primaryKey: ['id'],
};

export const logLeavesTable: TableDefinition = {
  name: 'log_leaves',
  published: true,
  columns: { leaf_index: 'bigint', position: 'bigint', event_id: 'text' },
  primaryKey: ['leaf_index'],
  // Proofs and entries are asked for by position.
  indexes: [['position']],
};

export const logHashesTable: TableDefinition = {
  name: 'log_hashes',
  published: true,
  columns: { hash_index: 'bigint', hash: 'bytea' },
  primaryKey: ['hash_index'],
};

export const logTilesTable: TableDefinition = {
  name: 'log_tiles',
  published: true,
  columns: { level: 'integer', tile_index: 'bigint', hashes: 'bytea' },
  primaryKey: ['level', 'tile_index'],
};
