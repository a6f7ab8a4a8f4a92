import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { EVENT_STORE, logEntryOf, type EventStore } from '@ledger/event-store';
import type { LedgerSecrets } from '@ledger/platform';
import { LogProofCache, LogTree, type CachedInclusionProof } from '@ledger/projections';
import { formatVerifierKey, parseSignerKey, parseTilePath, verifierKeyOf, type HashTile } from '@ledger/verifiable-log';
import { LEDGER_SECRETS, PG_POOL } from '../platform/config/config.tokens';
import { ProblemException } from '../platform/errors/problem.exception';
import { validationFailed } from '../platform/errors/request-validation';
import type { ConsistencyProofResponse, InclusionProofResponse } from './log.dto';

/** The longest the ledger's start waits for the proof cache to warm up; past it, it warms on while serving. */
const WARM_UP_LIMIT_MS = 20_000;

/** A signed checkpoint as the log keeps it. */
export interface SignedCheckpointRow {
  readonly treeSize: number;
  readonly note: string;
}

/**
 * What the `/v1/log/*` routes answer, read from the verifiable log's tree
 * (the read models of the `log` projection) and its signed checkpoints.
 * Proofs are taken against the tree as the builder has it; clients check
 * them against a checkpoint they hold. Inclusion proofs come from the
 * proof cache when it holds what they need (no database round trip), and
 * from LogTree otherwise, which also answers every refusal.
 */
@Injectable()
export class LogAnswers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly tree: LogTree;
  private readonly verifierKey: string;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_SECRETS) secrets: LedgerSecrets,
    private readonly cache: LogProofCache,
  ) {
    this.tree = new LogTree(pool);
    this.verifierKey = formatVerifierKey(verifierKeyOf(parseSignerKey(secrets.logKey)));
  }

  /**
   * After every module is up (the read side has migrated the log's tables by
   * then), before the server listens: the cache reads the tree and warms up
   * to its bound (a few seconds for a million leaves), so that the first
   * requests do not each wait on a tile of their own.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.cache.start();
    await this.cache.warmed(WARM_UP_LIMIT_MS);
  }

  async onModuleDestroy(): Promise<void> {
    await this.cache.stop();
  }

  key(): string {
    return this.verifierKey;
  }

  async latestCheckpoint(): Promise<SignedCheckpointRow> {
    const { rows } = await this.pool.query<{ tree_size: string; root_hash: Buffer; note: string }>(
      'SELECT tree_size::text, root_hash, note FROM read_models.log_checkpoints c ORDER BY c.tree_size DESC LIMIT 1',
    );
    if (!rows[0]) throw new ProblemException(404, 'CHECKPOINT_NOT_FOUND', 'The log has signed no checkpoint yet');
    const checkpoint = { treeSize: Number(rows[0].tree_size), rootHash: rows[0].root_hash, note: rows[0].note };
    // A client that saw this checkpoint gets proofs in its tree (or a later one) by default from now on.
    this.cache.offerCheckpoint(checkpoint);
    return { treeSize: checkpoint.treeSize, note: checkpoint.note };
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

  /** The inclusion proof from the proof cache alone; undefined when it cannot answer (then inclusionProof reads the database). */
  async cachedInclusionProof(of: { position: bigint } | { leafIndex: number }, treeSize?: number): Promise<InclusionProofResponse | undefined> {
    const cached = await this.cache.inclusionProof(of, treeSize);
    return cached && inclusionProofResponse(cached);
  }

  async inclusionProof(of: { position: bigint } | { leafIndex: number }, treeSize?: number): Promise<InclusionProofResponse> {
    const cached = await this.cache.inclusionProof(of, treeSize);
    if (cached) return inclusionProofResponse(cached);
    const leaf = 'position' in of ? await this.tree.leafAt(of.position) : await this.tree.leafOfIndex(of.leafIndex);
    if (!leaf) throw new ProblemException(404, 'LEAF_NOT_FOUND', 'position' in of ? `No event of the log's tree is at position ${of.position}` : `The log's tree has no leaf ${of.leafIndex}`);
    const { position } = leaf;
    const size = treeSize ?? (await this.latestCheckpoint()).treeSize;
    await this.ensureInTree(size, 'treeSize');
    if (leaf.leafIndex >= size) {
      throw validationFailed([{ field: 'treeSize', code: 'NOT_IN_TREE', message: `the event is leaf ${leaf.leafIndex}, not in a tree of ${size} leaves` }]);
    }
    const [leafHash, hashes] = await Promise.all([this.tree.leafHash(leaf.leafIndex), this.tree.inclusionProof(leaf.leafIndex, size)]);
    return inclusionProofResponse({ position, leafIndex: leaf.leafIndex, treeSize: size, leafHash, hashes });
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

/** The same answer, field for field, whether the hashes came from the cache or from LogTree. */
function inclusionProofResponse(proof: CachedInclusionProof): InclusionProofResponse {
  return { position: proof.position.toString(), leafIndex: proof.leafIndex, treeSize: proof.treeSize, leafHash: base64(proof.leafHash), hashes: proof.hashes.map(base64) };
}

function base64(hash: Buffer): string {
  return hash.toString('base64');
}
