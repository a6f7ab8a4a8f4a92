import type { TableDefinition } from '../projection';

/**
 * The verifiable log's tree, as the log builder keeps it. One row of
 * `log_edge`: the tree's size, root and right edge (what the next batch
 * needs); `log_leaf_runs`: which event each leaf is, and `log_hash_runs`:
 * every leaf and completed subtree hash in Go's stored-hash layout
 * (sumdb/tlog), both in runs of up to 256 leaves (see log-runs.ts), which
 * answer any proof with one read of a few rows; `log_tiles`: the C2SP hash
 * tiles that are full (never change again), served as they are. A partial
 * tile is read from the stored hashes at whatever width a checkpoint needs.
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
  // Hashes in base64: a batch rewrites the edge, up to 255 hashes a level of it.
  incompressible: ['edge'],
};

export const logLeafRunsTable: TableDefinition = {
  name: 'log_leaf_runs',
  published: true,
  columns: { first_leaf: 'bigint', first_position: 'bigint', positions: 'bytea', event_ids: 'text' },
  primaryKey: ['first_leaf'],
  // Proofs and entries are asked for by position.
  indexes: [['first_position']],
};

export const logHashRunsTable: TableDefinition = {
  name: 'log_hash_runs',
  published: true,
  columns: { first_index: 'bigint', hashes: 'bytea' },
  primaryKey: ['first_index'],
  incompressible: ['hashes'],
};

export const logTilesTable: TableDefinition = {
  name: 'log_tiles',
  published: true,
  columns: { level: 'integer', tile_index: 'bigint', hashes: 'bytea' },
  primaryKey: ['level', 'tile_index'],
  incompressible: ['hashes'],
};
