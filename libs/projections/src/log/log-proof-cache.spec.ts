import { randomBytes } from 'node:crypto';
import { type Pool, type PoolClient } from 'pg';
import { runReadModelMigrations } from '@ledger/read-models';
import { appendLeaves, emptyTreeEdge, generateNoteKey, rootOfTreeEdge, verifyInclusion, type TreeEdge } from '@ledger/verifiable-log';
import { ensureGenerations, listGenerations, startRebuild, switchToGeneration } from '../generations';
import { seededRandom } from '@ledger/platform';
import type { Queryable } from '../query-queue';
import { CheckpointSigner } from './checkpoint-signer';
import { edgeToJson, logProjection } from './log.projection';
import { LogProofCache, type CachedInclusionProof } from './log-proof-cache';
import { LogTree } from './log-tree';
import { runsOf } from './log-runs';
import { createTestDatabase, eventually, testPool } from '@ledger/platform/testing';

/**
 * The proof cache gives exactly what LogTree gives, or nothing: on trees
 * written as the log builder writes them (random leaf hashes, positions
 * sparse as on EventStoreDB), for random leaves and tree sizes, by position
 * and by leaf index, within its byte bound, while the tree grows under it,
 * and after the tree under it changed (a rebuilt generation with another
 * tree, a database restored to another history in the same generation).
 */
describe('LogProofCache', () => {
  let database: { url: string; drop: () => Promise<void> };
  let pool: Pool;
  const caches: LogProofCache[] = [];

  /** The log builder's tables of one generation, written as its batches write them (one transaction per batch). */
  class TreeWriter {
    edge: TreeEdge = emptyTreeEdge();
    readonly positions: bigint[] = [];
    private next: bigint;

    constructor(
      private readonly schema: string,
      private readonly random: () => number,
      firstPosition = 0n,
      /** Largest gap between consecutive positions (1: dense, as on PostgreSQL). */
      private readonly gap = 4,
    ) {
      this.next = firstPosition;
    }

    get size(): number {
      return this.edge.size;
    }

    async grow(count: number): Promise<void> {
      const leafHashes = Array.from({ length: count }, () => randomBytes(32));
      const appended = appendLeaves(this.edge, leafHashes);
      const first = this.edge.size;
      const positions: bigint[] = [];
      const ids: string[] = [];
      for (let n = 0; n < count; n += 1) {
        positions.push(this.next);
        ids.push(`event-${first + n}`);
        this.positions.push(this.next);
        this.next += 1n + BigInt(Math.floor(this.random() * this.gap));
      }
      const { leafRuns, hashRuns } = runsOf(first, positions, ids, appended.storedHashes);
      await inTransaction(async (client) => {
        for (const run of leafRuns) {
          await client.query(`INSERT INTO ${this.schema}.log_leaf_runs (first_leaf, first_position, positions, event_ids) VALUES ($1, $2, $3, $4)`, [
            run.first_leaf,
            run.first_position,
            run.positions,
            run.event_ids,
          ]);
        }
        for (const run of hashRuns) await client.query(`INSERT INTO ${this.schema}.log_hash_runs (first_index, hashes) VALUES ($1, $2)`, [run.first_index, run.hashes]);
        await client.query(`DELETE FROM ${this.schema}.log_edge`);
        await client.query(`INSERT INTO ${this.schema}.log_edge (id, tree_size, root_hash, edge, position) VALUES (1, $1, $2, $3, $4)`, [
          String(appended.edge.size),
          rootOfTreeEdge(appended.edge),
          JSON.stringify(edgeToJson(appended.edge)),
          String(this.positions[this.positions.length - 1]),
        ]);
      });
      this.edge = appended.edge;
    }

    /** Empties the tables (a restore of another history, as the cache sees it: the same generation, another tree). */
    async clear(): Promise<void> {
      await inTransaction(async (client) => {
        for (const table of ['log_leaf_runs', 'log_hash_runs', 'log_edge', 'log_tiles']) await client.query(`DELETE FROM ${this.schema}.${table}`);
      });
      this.edge = emptyTreeEdge();
      this.positions.length = 0;
    }
  }

  async function inTransaction(work: (client: PoolClient) => Promise<void>): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  /** A checkpoint of the tree as it stands (the note is not read by the cache; the signer's own is tested below). */
  async function checkpoint(tree: TreeWriter): Promise<void> {
    await pool.query('INSERT INTO read_models.log_checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      String(tree.size),
      rootOfTreeEdge(tree.edge),
      `checkpoint ${tree.size}\n`,
    ]);
  }

  /** Counts the statements a cache sends. */
  function counting(db: Queryable): Queryable & { count: number } {
    const wrapper = {
      count: 0,
      query: ((text: string, values?: unknown[]) => {
        wrapper.count += 1;
        return db.query(text, values);
      }) as Queryable['query'],
    };
    return wrapper;
  }

  async function startedCache(options: Partial<ConstructorParameters<typeof LogProofCache>[0]> = {}): Promise<LogProofCache> {
    const cache = new LogProofCache({ db: pool, log: (message) => process.stdout.write(`${message}\n`), ...options });
    caches.push(cache);
    await cache.start();
    return cache;
  }

  /** What LogTree answers for the leaf: position, leaf hash, the proof; undefined when the leaf is not in the tree. */
  async function fromLogTree(of: { position: bigint } | { leafIndex: number }, treeSize: number): Promise<CachedInclusionProof | undefined> {
    const tree = new LogTree(pool);
    const leaf = 'position' in of ? await tree.leafAt(of.position) : await tree.leafOfIndex(of.leafIndex);
    if (!leaf || leaf.leafIndex >= treeSize) return undefined;
    return { position: leaf.position, leafIndex: leaf.leafIndex, treeSize, leafHash: await tree.leafHash(leaf.leafIndex), hashes: await tree.inclusionProof(leaf.leafIndex, treeSize) };
  }

  /** The cache's proof equals LogTree's, and verifies against the root of that tree size. */
  async function expectSameProof(cache: LogProofCache, of: { position: bigint } | { leafIndex: number }, treeSize: number, asked: number | undefined = treeSize): Promise<void> {
    const cached = await cache.inclusionProof(of, asked);
    const expected = await fromLogTree(of, treeSize);
    const asked_ = { of: String(Object.values(of)[0]), treeSize };
    expect({ ...asked_, cached: printable(cached) }).toEqual({ ...asked_, cached: printable(expected) });
    const root = await new LogTree(pool).root(treeSize);
    expect(verifyInclusion({ leafIndex: cached!.leafIndex, treeSize, leafHash: cached!.leafHash, proof: cached!.hashes, rootHash: root })).toEqual({ valid: true });
  }

  beforeEach(async () => {
    database = await createTestDatabase('log_proof_cache');
    await runReadModelMigrations(database.url);
    pool = testPool({ connectionString: database.url, max: 6 });
    await ensureGenerations(pool, [logProjection]);
  });

  afterEach(async () => {
    await Promise.all(caches.splice(0).map((cache) => cache.stop()));
    await pool.end();
    await database.drop();
  });

  it('gives exactly the proof LogTree gives, by position and by leaf index, for random leaves and tree sizes, and each verifies', async () => {
    const random = seededRandom(1);
    const tree = new TreeWriter('read_models', random, 7n);
    // Past 65,536 leaves: level-0, level-1 and level-2 tiles, full and partial.
    await tree.grow(70_000);
    await checkpoint(tree);
    const cache = await startedCache();
    const sizes = [1, 2, 255, 256, 257, 511, 512, 513, 65_535, 65_536, 65_537, tree.size];
    for (let n = 0; n < 160; n += 1) sizes.push(1 + Math.floor(random() * tree.size));
    for (const size of sizes) {
      const leaves = [0, size - 1, Math.floor(random() * size), Math.floor(random() * size)];
      for (const leafIndex of leaves) {
        await expectSameProof(cache, { position: tree.positions[leafIndex] }, size);
        await expectSameProof(cache, { leafIndex }, size);
      }
    }
    // The latest checkpoint's tree by default.
    await expectSameProof(cache, { position: tree.positions[12_345] }, tree.size, undefined);
    expect(cache.stats()).toMatchObject({ declined: 0, treeSize: 70_000 });
  });

  it('answers a hit without a query, and loads what a miss needs in one', async () => {
    const tree = new TreeWriter('read_models', seededRandom(2), 100n);
    await tree.grow(70_000);
    await checkpoint(tree);
    const db = counting(pool);
    // No poll nor warming in between: every query counted is the proofs'.
    const cache = await startedCache({ db, refreshMs: 60_000, maxStaleMs: 600_000, warm: false });
    for (const leafIndex of [0, 40_000, 69_999, 65_536, 300]) {
      const before = db.count;
      await expectSameProof(cache, { position: tree.positions[leafIndex] }, tree.size, undefined);
      expect({ leafIndex, queries: db.count - before }).toEqual({ leafIndex, queries: 1 });
    }
    const before = db.count;
    for (const leafIndex of [0, 40_000, 69_999, 65_536, 300, 1, 40_001, 69_998]) expect(await cache.inclusionProof({ position: tree.positions[leafIndex] })).toBeDefined();
    expect(db.count).toBe(before);
  });

  it('declines, leaving LogTree to answer, what it cannot vouch for: positions of no leaf, leaves and sizes past its tree, no checkpoint', async () => {
    const tree = new TreeWriter('read_models', seededRandom(3), 10n, 5);
    await tree.grow(3_000);
    const cache = await startedCache();
    // No checkpoint yet: no default tree size.
    expect(await cache.inclusionProof({ position: tree.positions[5] })).toBeUndefined();
    expect(await cache.inclusionProof({ position: tree.positions[5] }, 3_000)).toBeDefined();
    const gap = tree.positions.findIndex((position, n) => n > 0 && position - tree.positions[n - 1] > 1n);
    for (const position of [0n, 9n, tree.positions[gap] - 1n, tree.positions[2_999] + 1n, 2n ** 62n]) {
      expect({ position, cached: await cache.inclusionProof({ position }, 3_000) }).toEqual({ position, cached: undefined });
      expect(await new LogTree(pool).leafAt(position)).toBeUndefined();
    }
    expect(await cache.inclusionProof({ leafIndex: 3_000 }, 3_000)).toBeUndefined();
    expect(await cache.inclusionProof({ leafIndex: 10 }, 3_001)).toBeUndefined();
    expect(await cache.inclusionProof({ leafIndex: 10 }, 10)).toBeUndefined();
    expect(await cache.inclusionProof({ position: tree.positions[10] }, 10)).toBeUndefined();
    expect(await cache.inclusionProof({ leafIndex: 10 }, 0)).toBeUndefined();
  });

  it('keeps within its byte bound, evicting the least recently used tiles, and still gives LogTree’s proofs', async () => {
    const random = seededRandom(4);
    const tree = new TreeWriter('read_models', random, 0n, 1);
    await tree.grow(20_000);
    await checkpoint(tree);
    // Room for a few tiles (16 KB each) beside the directory.
    const maxBytes = 6 * 16_480 + 1_024 * 8;
    const db = counting(pool);
    const cache = await startedCache({ db, maxBytes, refreshMs: 60_000, maxStaleMs: 600_000, warm: false });
    for (let n = 0; n < 300; n += 1) {
      const leafIndex = Math.floor(random() * tree.size);
      await expectSameProof(cache, n % 2 ? { leafIndex } : { position: tree.positions[leafIndex] }, tree.size, n % 3 ? tree.size : undefined);
      expect(cache.stats().bytes).toBeLessThanOrEqual(maxBytes);
    }
    expect(cache.stats().tiles).toBeGreaterThan(0);
    expect(cache.stats().tiles).toBeLessThanOrEqual(6);
    // The tiles used last are the ones kept: asking the same leaf again costs nothing; a leaf of an evicted tile costs a load.
    await cache.inclusionProof({ leafIndex: 5 }, tree.size);
    const before = db.count;
    await cache.inclusionProof({ leafIndex: 6 }, tree.size);
    expect(db.count).toBe(before);
    for (const leafIndex of [3_000, 6_000, 9_000, 12_000, 15_000, 18_000]) await cache.inclusionProof({ leafIndex }, tree.size);
    const evicted = db.count;
    await cache.inclusionProof({ leafIndex: 5 }, tree.size);
    expect(db.count).toBe(evicted + 1);
  });

  it('warms up ahead of requests, newest leaves first, never past its bound', async () => {
    const tree = new TreeWriter('read_models', seededRandom(12), 0n, 3);
    await tree.grow(20_000);
    await checkpoint(tree);
    const db = counting(pool);
    const cache = await startedCache({ db, refreshMs: 60_000, maxStaleMs: 600_000 });
    // 79 level-0 tiles (the last partial) and one level-1 tile.
    await eventually(() => cache.stats().tiles === 80);
    const warmed = db.count;
    for (const leafIndex of [0, 7_777, 19_999]) await expectSameProof(cache, { position: tree.positions[leafIndex] }, tree.size, undefined);
    expect(db.count).toBe(warmed);
    const small = await startedCache({ refreshMs: 60_000, maxStaleMs: 600_000, maxBytes: 20 * 16_480 + 1_024 * 8 });
    await eventually(() => small.stats().tiles > 0);
    // Its warm-up done: whatever it loaded, within its bound.
    await small.warmed();
    expect(small.stats().bytes).toBeLessThanOrEqual(20 * 16_480 + 1_024 * 8);
    // The higher tile and the newest level-0 tiles.
    expect(await small.inclusionProof({ leafIndex: 19_999 })).toBeDefined();
  });

  it('keeps giving LogTree’s proofs while the tree grows under it, for the sizes it has verified, and follows the growth', async () => {
    const random = seededRandom(5);
    const tree = new TreeWriter('read_models', random, 3n);
    await tree.grow(1_000);
    await checkpoint(tree);
    const cache = await startedCache({ connectionString: database.url, refreshMs: 20 });
    let growing = true;
    const grower = (async () => {
      for (let round = 0; round < 25; round += 1) {
        await tree.grow(1 + Math.floor(random() * 700));
        if (round % 5 === 0) await checkpoint(tree);
        // A turn of the event loop between rounds: the cache's refreshes and the reads below interleave with the growth.
        await new Promise((resolve) => setImmediate(resolve));
      }
      growing = false;
    })();
    let answered = 0;
    while (growing) {
      // Older sizes never change; a size past what the cache verified is declined, never guessed.
      const size = 1 + Math.floor(random() * tree.size);
      const leafIndex = Math.floor(random() * size);
      const verified = cache.stats().treeSize;
      const cached = await cache.inclusionProof(random() < 0.5 ? { leafIndex } : { position: tree.positions[leafIndex] }, size);
      if (cached) {
        answered += 1;
        expect(printable(cached)).toEqual(printable(await fromLogTree({ leafIndex }, size)));
      } else {
        expect(size).toBeGreaterThan(verified);
      }
    }
    await grower;
    await cache.refresh();
    expect(answered).toBeGreaterThan(0);
    expect(cache.stats()).toMatchObject({ treeSize: tree.size, epochs: 1 });
    for (const leafIndex of [0, 999, tree.size - 1, Math.floor(tree.size / 2)]) await expectSameProof(cache, { position: tree.positions[leafIndex] }, tree.size);
  });

  it('never serves a rebuilt generation from the tiles of the one before: another tree, the same sizes, other proofs', async () => {
    const tree = new TreeWriter('read_models', seededRandom(6), 0n, 1);
    await tree.grow(5_000);
    await checkpoint(tree);
    const cache = await startedCache({ connectionString: database.url, refreshMs: 60_000, maxStaleMs: 600_000 });
    for (let leafIndex = 0; leafIndex < 5_000; leafIndex += 97) await cache.inclusionProof({ leafIndex }, 5_000);
    const before = await cache.inclusionProof({ leafIndex: 1_234 }, 5_000);
    // A rebuild of the log that came out another tree (a rewritten history), swapped in as the active generation.
    const building = await startRebuild(pool, logProjection);
    const rebuilt = new TreeWriter(building.schema, seededRandom(7), 0n, 1);
    await rebuilt.grow(5_200);
    const client = await pool.connect();
    try {
      expect(await switchToGeneration(client, logProjection, building)).toMatchObject({ switched: true });
    } finally {
      client.release();
    }
    const active = (await listGenerations(pool, ['active'])).find((generation) => generation.projection === 'log');
    expect(active?.id).toBe(building.id);
    // The switch notifies: the cache starts over without waiting for its poll (60 s here).
    // A new epoch: the tiles of the tree before are gone; the new tree's size is read right after the switch.
    await eventually(() => cache.stats().generation === building.id && cache.stats().treeSize === 5_200);
    expect(cache.stats()).toMatchObject({ treeSize: 5_200, epochs: 2 });
    const after = await cache.inclusionProof({ leafIndex: 1_234 }, 5_000);
    expect(after).toEqual(await fromLogTree({ leafIndex: 1_234 }, 5_000));
    expect(after?.leafHash).not.toEqual(before?.leafHash);
    for (let leafIndex = 0; leafIndex < 5_200; leafIndex += 131) await expectSameProof(cache, { position: rebuilt.positions[leafIndex] }, 5_200);
  });

  it('starts over when the same generation holds another tree (a database restored from a backup that grew another way)', async () => {
    const tree = new TreeWriter('read_models', seededRandom(8), 0n, 1);
    await tree.grow(3_000);
    await checkpoint(tree);
    const cache = await startedCache();
    for (let leafIndex = 0; leafIndex < 3_000; leafIndex += 50) await cache.inclusionProof({ leafIndex }, 3_000);
    // Restored and grown again, larger than before: only the stored hashes of the tree the cache saw can tell.
    await tree.clear();
    await tree.grow(4_000);
    await cache.refresh();
    expect(cache.stats()).toMatchObject({ epochs: 2, treeSize: 4_000 });
    for (let leafIndex = 0; leafIndex < 3_000; leafIndex += 123) await expectSameProof(cache, { leafIndex }, 3_000);
    // And smaller than before.
    await tree.clear();
    await tree.grow(2_000);
    await cache.refresh();
    expect(cache.stats()).toMatchObject({ epochs: 3, treeSize: 2_000 });
    await expectSameProof(cache, { leafIndex: 1_999 }, 2_000);
  });

  it('follows the checkpoint signer at once: it notifies as it records a checkpoint', async () => {
    const tree = new TreeWriter('read_models', seededRandom(9), 0n, 1);
    await tree.grow(1_500);
    const cache = await startedCache({ connectionString: database.url, refreshMs: 60_000, maxStaleMs: 600_000 });
    expect(cache.latestCheckpoint()).toBeUndefined();
    const signer = new CheckpointSigner({ connectionString: database.url, signer: generateNoteKey('ledger.example.gob.mx/log'), intervalMs: 60_000 });
    try {
      expect(await signer.signNow()).toMatchObject({ kind: 'signed', treeSize: 1_500 });
      await eventually(() => cache.latestCheckpoint()?.treeSize === 1_500);
      expect(cache.latestCheckpoint()?.note).toMatch(/^ledger\.example\.gob\.mx\/log\n1500\n/);
      await tree.grow(10);
      expect(await signer.signNow()).toMatchObject({ kind: 'signed', treeSize: 1_510 });
      await eventually(() => cache.latestCheckpoint()?.treeSize === 1_510);
      expect(await cache.inclusionProof({ leafIndex: 1_509 })).toMatchObject({ treeSize: 1_510, leafIndex: 1_509 });
    } finally {
      await signer.stop();
    }
  });

  it('takes a newer checkpoint read from the table at once (the checkpoint route offers it), so proofs default to it', async () => {
    const tree = new TreeWriter('read_models', seededRandom(11), 0n, 1);
    await tree.grow(800);
    await checkpoint(tree);
    const cache = await startedCache({ refreshMs: 60_000, maxStaleMs: 600_000 });
    await tree.grow(200);
    await checkpoint(tree);
    await cache.refresh();
    expect(cache.latestCheckpoint()?.treeSize).toBe(1_000);
    await tree.grow(24);
    await checkpoint(tree);
    const { rows } = await pool.query<{ root_hash: Buffer; note: string }>('SELECT root_hash, note FROM read_models.log_checkpoints WHERE tree_size = 1024');
    cache.offerCheckpoint({ treeSize: 1_024, rootHash: rows[0].root_hash, note: rows[0].note });
    // Not an older one.
    cache.offerCheckpoint({ treeSize: 800, rootHash: rows[0].root_hash, note: 'older' });
    expect(cache.latestCheckpoint()?.treeSize).toBe(1_024);
    // Within the tree the cache verified: the cache answers it once a refresh saw the tree that large.
    expect(await cache.inclusionProof({ leafIndex: 1_000 })).toBeUndefined();
    await cache.refresh();
    await expectSameProof(cache, { leafIndex: 1_000 }, 1_024, undefined);
  });

  it('goes silent when it cannot refresh: past maxStaleMs every proof is left to LogTree (and its errors)', async () => {
    const tree = new TreeWriter('read_models', seededRandom(10), 0n, 1);
    await tree.grow(1_500);
    await checkpoint(tree);
    let failing = false;
    const db: Queryable = { query: ((text: string, values?: unknown[]) => (failing ? Promise.reject(new Error('down')) : pool.query(text, values))) as Queryable['query'] };
    const cache = await startedCache({ db, refreshMs: 50, maxStaleMs: 400 });
    expect(await cache.inclusionProof({ leafIndex: 3 })).toMatchObject({ treeSize: 1_500 });
    failing = true;
    // Past maxStaleMs without a successful refresh, the cache stops vouching for its checkpoint.
    await eventually(() => cache.latestCheckpoint() === undefined, 10_000, 20, 'the checkpoint to go stale');
    expect(await cache.inclusionProof({ leafIndex: 3 }, 1_500)).toBeUndefined();
    failing = false;
    await cache.refresh();
    expect(await cache.inclusionProof({ leafIndex: 3 })).toMatchObject({ treeSize: 1_500 });
  });
});

/** A proof as text, so that a difference reads at a glance. */
function printable(proof: CachedInclusionProof | undefined): unknown {
  return proof && { ...proof, position: String(proof.position), leafHash: proof.leafHash.toString('hex'), hashes: proof.hashes.map((hash) => hash.toString('hex')) };
}

