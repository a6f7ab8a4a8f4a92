import { logLeafHashOf, type RecordedEvent } from '@ledger/event-store';
import { appendLeaves, emptyTreeEdge, rootOfTreeEdge, TILE_WIDTH, type TreeEdge } from '@ledger/verifiable-log';
import { positionOf } from '../ledger-events';
import { append, put, ref, type Projection, type Row, type RowChange, type RowReader, type RowRef } from '../projection';
import { runsOf } from './log-runs';
import { logEdgeTable, logHashRunsTable, logLeafRunsTable, logTilesTable } from './log.tables';

const EDGE = logEdgeTable.name;
const EDGE_KEY = { id: 1 };

/**
 * The verifiable log builder: every event of the global order is a leaf of
 * an RFC 9162 Merkle tree (leaf i = SHA-256(0x00 ‖ the i-th event's
 * canonical entry), see logEntryOf), kept as runs of leaves and stored
 * hashes (log-runs.ts) and C2SP tiles.
 * Like every projection it commits its rows with its checkpoint, so a crash
 * neither loses a leaf nor adds one twice; unlike the others it reads events
 * exactly as stored, and never sets an event aside: the tree holds every
 * event in order, or stops short of the one it cannot add.
 */
export const logProjection: Projection = {
  name: 'log',
  // 2: leaves and stored hashes in runs (log_leaf_runs, log_hash_runs) instead of a row each.
  // 3: hashes stored without compression attempts (TableDefinition.incompressible).
  version: 3,
  eventTypes: 'all',
  tables: [logEdgeTable, logLeafRunsTable, logHashRunsTable, logTilesTable],
  readsStoredEvents: true,
  neverParks: true,
  // A tenth of a second behind at most, under any load: checkpoints are signed seconds apart.
  followEveryMs: 100,
  reads,
  fold: (rows, event) => foldLeaves(rows, [event]),
  foldBatch: foldLeaves,
};

function reads(_event: RecordedEvent): RowRef[] {
  return [ref(EDGE, EDGE_KEY)];
}

function foldLeaves(rows: RowReader, events: readonly RecordedEvent[]): RowChange[] {
  if (events.length === 0) return [];
  const stored = rows.get(EDGE, EDGE_KEY);
  const edge = stored ? edgeFromJson(stored.edge) : emptyTreeEdge();
  const appended = appendLeaves(edge, events.map(logLeafHashOf));
  const runs = runsOf(
    edge.size,
    events.map((event) => event.position),
    events.map((event) => event.id),
    appended.storedHashes,
  );
  const changes: RowChange[] = [];
  for (const run of runs.leafRuns) changes.push(append(logLeafRunsTable.name, { ...run }));
  for (const run of runs.hashRuns) changes.push(append(logHashRunsTable.name, { ...run }));
  for (const { tile, bytes } of appended.tiles) {
    if (tile.width === TILE_WIDTH) changes.push(append(logTilesTable.name, { level: tile.level, tile_index: String(tile.index), hashes: bytes }));
  }
  const last = events[events.length - 1];
  changes.push(
    put(EDGE, { ...EDGE_KEY, tree_size: String(appended.edge.size), root_hash: rootOfTreeEdge(appended.edge), edge: edgeToJson(appended.edge), position: positionOf(last) }),
  );
  return changes;
}

/** The edge as jsonb holds it: its hashes in base64. */
export function edgeToJson(edge: TreeEdge): Row {
  return {
    size: edge.size,
    subtreeHashes: edge.subtreeHashes.map((hash) => hash.toString('base64')),
    partialTiles: edge.partialTiles.map((tile) => tile.toString('base64')),
  };
}

export function edgeFromJson(value: unknown): TreeEdge {
  const json = value as { size: number; subtreeHashes: string[]; partialTiles: string[] };
  return {
    size: json.size,
    subtreeHashes: json.subtreeHashes.map((hash) => Buffer.from(hash, 'base64')),
    partialTiles: json.partialTiles.map((tile) => Buffer.from(tile, 'base64')),
  };
}
