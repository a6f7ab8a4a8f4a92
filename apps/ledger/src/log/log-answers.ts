import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { EVENT_STORE, logEntryOf, type EventStore } from '@ledger/event-store';
import type { LedgerSecrets } from '@ledger/platform';
import { LogTree } from '@ledger/projections';
import { formatVerifierKey, parseSignerKey, parseTilePath, verifierKeyOf, type HashTile } from '@ledger/verifiable-log';
import { LEDGER_SECRETS, PG_POOL } from '../platform/config/config.tokens';
import { ProblemException } from '../platform/errors/problem.exception';
import { validationFailed } from '../platform/errors/request-validation';
import type { ConsistencyProofResponse, InclusionProofResponse } from './log.dto';

/** A signed checkpoint as the log keeps it. */
export interface SignedCheckpointRow {
  readonly treeSize: number;
  readonly note: string;
}

/**
 * What the `/v1/log/*` routes answer, read from the verifiable log's tree
 * (the read models of the `log` projection) and its signed checkpoints.
 * Proofs are taken against the tree as the builder has it; clients check
 * them against a checkpoint they hold.
 */
@Injectable()
export class LogAnswers {
  private readonly tree: LogTree;
  private readonly verifierKey: string;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_SECRETS) secrets: LedgerSecrets,
  ) {
    this.tree = new LogTree(pool);
    this.verifierKey = formatVerifierKey(verifierKeyOf(parseSignerKey(secrets.logKey)));
  }

  key(): string {
    return this.verifierKey;
  }

  async latestCheckpoint(): Promise<SignedCheckpointRow> {
    const { rows } = await this.pool.query<{ tree_size: string; note: string }>(
      'SELECT tree_size::text, note FROM read_models.log_checkpoints c ORDER BY c.tree_size DESC LIMIT 1',
    );
    if (!rows[0]) throw new ProblemException(404, 'CHECKPOINT_NOT_FOUND', 'The log has signed no checkpoint yet');
    return { treeSize: Number(rows[0].tree_size), note: rows[0].note };
  }

  async checkpointOfSize(treeSize: number): Promise<SignedCheckpointRow> {
    const { rows } = await this.pool.query<{ note: string }>('SELECT note FROM read_models.log_checkpoints WHERE tree_size = $1::bigint', [String(treeSize)]);
    if (!rows[0]) throw new ProblemException(404, 'CHECKPOINT_NOT_FOUND', `No checkpoint was signed at tree size ${treeSize}`);
    return { treeSize, note: rows[0].note };
  }

  /** A tile of the tree, by its C2SP path below `tile/`. */
  async tile(path: string): Promise<Buffer> {
    let tile: HashTile;
    try {
      tile = parseTilePath(`tile/${path}`);
    } catch {
      throw validationFailed([{ field: 'path', code: 'TILE_PATH', message: 'not a C2SP hash tile path: tile/<L>/<N>[.p/<W>], N in groups of three digits (x001/234)' }]);
    }
    const head = await this.tree.head();
    const bytes = await this.tree.tile(tile, head.treeSize);
    if (!bytes) throw new ProblemException(404, 'TILE_NOT_FOUND', 'The tree holds no such tile (yet)');
    return bytes;
  }

  async inclusionProof(of: { position: bigint } | { leafIndex: number }, treeSize?: number): Promise<InclusionProofResponse> {
    const leaf = 'position' in of ? await this.tree.leafAt(of.position) : await this.tree.leafOfIndex(of.leafIndex);
    if (!leaf) throw new ProblemException(404, 'LEAF_NOT_FOUND', 'position' in of ? `No event of the log's tree is at position ${of.position}` : `The log's tree has no leaf ${of.leafIndex}`);
    const { position } = leaf;
    const size = treeSize ?? (await this.latestCheckpoint()).treeSize;
    await this.ensureInTree(size, 'treeSize');
    if (leaf.leafIndex >= size) {
      throw validationFailed([{ field: 'treeSize', code: 'NOT_IN_TREE', message: `the event is leaf ${leaf.leafIndex}, not in a tree of ${size} leaves` }]);
    }
    const [leafHash, hashes] = await Promise.all([this.tree.leafHash(leaf.leafIndex), this.tree.inclusionProof(leaf.leafIndex, size)]);
    return { position: position.toString(), leafIndex: leaf.leafIndex, treeSize: size, leafHash: leafHash.toString('base64'), hashes: hashes.map(base64) };
  }

  async consistencyProof(from: number, to: number): Promise<ConsistencyProofResponse> {
    if (from < 1) throw validationFailed([{ field: 'from', code: 'INVALID_FIELD', message: 'from must be at least 1: every tree is consistent with the empty one' }]);
    if (from > to) throw validationFailed([{ field: 'from', code: 'INVALID_FIELD', message: 'from must not be past to' }]);
    await this.ensureInTree(to, 'to');
    return { from, to, hashes: from === to ? [] : (await this.tree.consistencyProof(from, to)).map(base64) };
  }

  /** The entry of the event at a position: its canonical bytes, exactly as leaves hash them. */
  async entry(position: bigint): Promise<Buffer> {
    const [event] = await this.store.readAll({ fromPosition: position, maxCount: 1 });
    if (!event || event.position !== position || !(await this.tree.leafAt(position))) {
      throw new ProblemException(404, 'ENTRY_NOT_FOUND', `No entry of the log's tree is at position ${position}`);
    }
    return logEntryOf(event);
  }

  private async ensureInTree(size: number, field: string): Promise<void> {
    const head = await this.tree.head();
    if (size > head.treeSize) throw validationFailed([{ field, code: 'NOT_IN_TREE', message: `the tree has ${head.treeSize} leaves` }]);
  }
}

function base64(hash: Buffer): string {
  return hash.toString('base64');
}
