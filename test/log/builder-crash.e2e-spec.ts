import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDbEventStore, logLeafHashOf, PostgresEventStore, type EventStore, type RecordedEvent } from '@ledger/event-store';
import { DEFAULT_LOG_ORIGIN } from '@ledger/platform';
import { lastSignedCheckpointFile, leafRunOf, LogTree } from '@ledger/projections';
import {
  appendLeaves,
  emptyTreeEdge,
  formatSignerKey,
  generateNoteKey,
  openCheckpoint,
  rootOfLeafHashes,
  rootOfTreeEdge,
  TILE_WIDTH,
  verifierKeyOf,
  verifyConsistency,
  type NoteVerifierKey,
} from '@ledger/verifiable-log';
import { type Pool } from 'pg';
import { testPool } from '../support/test-pool';
import { runCli } from '../e2e/support/ledger-server';
import { startProjector, type ProjectorProcess } from '../read-side/support/projector-process';
import { eventually } from '../support/eventually';
import { createTestDatabase } from '../support/test-database';
import { seedEventStore, SyntheticLedger } from '@ledger/projections/testing';
import { startEventStoreDbTestServer } from '@ledger/event-store/testing';
import { runReadModelMigrations } from '@ledger/read-models';

/**
 * The log builder and the checkpoint signer (apps/projector) killed with
 * SIGKILL part-way through building the tree of a large log, at several
 * points, each time after it signed at least one checkpoint, then restarted
 * on the same database and data folder: the tree it ends with is the tree of
 * every event of the store (recomputed here, independently of the builder),
 * each event a leaf once and in order; every checkpoint signed before a kill
 * is still there byte for byte, none twice, each verifies with the log key
 * over the root of its first leaves, each is consistent with the one before,
 * the data folder holds the last one, and `ledger verify` agrees.
 */

interface CheckpointRow {
  readonly treeSize: number;
  readonly rootHash: Buffer;
  readonly note: string;
  readonly signedAt: Date;
}

/** Where the events are, for one run of the suite, and how the projector and the CLI reach them. */
interface CrashSetup {
  readonly store: EventStore;
  /** The PostgreSQL database of the read models (and of the events, in PostgreSQL mode). */
  readonly url: string;
  readonly env: Record<string, string>;
  teardown(): Promise<void>;
}

interface CrashMode {
  readonly name: string;
  /** Synthetic people seeded: thousands of events, several seconds of building at the batch size below. */
  readonly people: number;
  /** Appends in flight while seeding. */
  readonly inFlight: number;
  setUp(): Promise<CrashSetup>;
}

const POSTGRESQL: CrashMode = {
  name: 'PostgreSQL event store',
  people: 1_500,
  inFlight: 512,
  async setUp() {
    const database = await createTestDatabase('builder_crash');
    const store = new PostgresEventStore(database.url, { poolSize: 4 });
    await store.migrate();
    await runReadModelMigrations(database.url);
    return {
      store,
      url: database.url,
      env: { DATABASE_URL: database.url, EVENTSTORE_CONNECTION_STRING: '' },
      teardown: async () => {
        await store.close();
        await database.drop();
      },
    };
  },
};

const EVENTSTOREDB: CrashMode = {
  name: 'EventStoreDB event store (test server)',
  people: 700,
  // The test server answers in this process: a window as wide as PostgreSQL's would pass the client's deadline.
  inFlight: 16,
  async setUp() {
    // System events between the ledger's, as a real node writes them: the tree must leave them out after every restart too.
    const esdb = await startEventStoreDbTestServer({ statsIntervalMs: 200 });
    const database = await createTestDatabase('builder_crash_esdb');
    await runReadModelMigrations(database.url);
    const store = EventStoreDbEventStore.fromConnectionString(esdb.connectionString);
    return {
      store,
      url: database.url,
      env: { DATABASE_URL: database.url, EVENTSTORE_CONNECTION_STRING: esdb.connectionString },
      teardown: async () => {
        await store.close();
        await database.drop();
        await esdb.stop();
      },
    };
  },
};

/** Small batches: the tree grows in many commits, so a kill lands between them and inside them. */
const PROJECTOR_ENV = { PROJECTOR_BATCH_SIZE: '25', PROJECTOR_STANDBY_RETRY_MS: '200', LEDGER_CHECKPOINT_INTERVAL: '1' };
const KILL_AT = [0.3, 0.65];

describe.each<CrashMode>([POSTGRESQL, EVENTSTOREDB])('the log builder killed mid-way: $name', (mode) => {
  let setup: CrashSetup;
  let pool: Pool;
  let dataDir: string;
  let env: Record<string, string>;
  let verifier: NoteVerifierKey;
  let events: number;
  let projector: ProjectorProcess | undefined;

  beforeAll(async () => {
    setup = await mode.setUp();
    pool = testPool({ connectionString: setup.url, max: 2 });
    events = await seedEventStore(setup.store, new SyntheticLedger({ people: mode.people, waveSize: 250, seed: 23 }).appends(), { inFlight: mode.inFlight });
    // One data folder for every run, as an operator restarts a projector: its log key and last checkpoint outlive the process.
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-builder-crash-'));
    const key = generateNoteKey(DEFAULT_LOG_ORIGIN);
    verifier = verifierKeyOf(key);
    env = { ...setup.env, ...PROJECTOR_ENV, LEDGER_DATA_DIR: dataDir, LEDGER_LOG_KEY: formatSignerKey(key) };
  }, 300_000);

  afterAll(async () => {
    await projector?.kill('SIGKILL');
    await pool?.end();
    await setup?.teardown();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function treeSize(): Promise<number> {
    try {
      const { rows } = await pool.query<{ tree_size: string }>('SELECT tree_size::text FROM read_models.log_edge WHERE id = 1');
      return rows[0] ? Number(rows[0].tree_size) : 0;
    } catch (error) {
      // Before the first projector made the log's generation, its views do not exist yet.
      if ((error as { code?: string }).code === '42P01') return 0;
      throw error;
    }
  }

  async function checkpoints(): Promise<CheckpointRow[]> {
    const { rows } = await pool.query<{ tree_size: string; root_hash: Buffer; note: string; signed_at: Date }>(
      'SELECT tree_size::text, root_hash, note, signed_at FROM read_models.log_checkpoints c ORDER BY c.tree_size',
    );
    return rows.map((row) => ({ treeSize: Number(row.tree_size), rootHash: row.root_hash, note: row.note, signedAt: row.signed_at }));
  }

  /** Polls until `check` gives a value; on timeout, says what the projector printed. */
  async function waitFor<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
    return eventually(check, 120_000, 50, () => `${what}; projector output:\n${projector?.output() ?? '(none)'}`);
  }

  async function allEvents(): Promise<RecordedEvent[]> {
    const all: RecordedEvent[] = [];
    for (let batch = await setup.store.readAll({ maxCount: 2_000 }); batch.length > 0; batch = await setup.store.readAll({ afterPosition: batch[batch.length - 1].position, maxCount: 2_000 })) {
      all.push(...batch);
    }
    return all;
  }

  it('ends with the tree of every event, and every checkpoint signed before a kill kept once, byte for byte, each consistent with the last', async () => {
    /** Every checkpoint seen in the database while the builder ran or right after it was killed, by tree size. */
    const seen = new Map<number, string>();
    const see = (rows: readonly CheckpointRow[]) => {
      for (const row of rows) {
        if (seen.has(row.treeSize)) expect(row.note).toBe(seen.get(row.treeSize));
        seen.set(row.treeSize, row.note);
      }
    };
    /** What the data folder held after each kill. */
    const filesAfterKills: string[] = [];
    const killedAt: number[] = [];
    let signedBefore = -1;

    for (const fraction of KILL_AT) {
      const target = Math.floor(events * fraction);
      projector = startProjector(setup.url, env);
      // Part-way through the tree, and this run has signed at least one checkpoint of its own.
      const before = await waitFor(async () => {
        const [size, rows] = [await treeSize(), await checkpoints()];
        if (size >= events) throw new Error(`the builder finished the tree (${size} leaves) before it could be killed at ${fraction * 100} %`);
        const newest = rows.length > 0 ? rows[rows.length - 1].treeSize : -1;
        return size >= target && newest > signedBefore ? rows : undefined;
      }, `the tree at ${target} leaves with a new checkpoint`);
      see(before);
      await projector.kill('SIGKILL');
      projector = undefined;

      const size = await treeSize();
      expect(size).toBeGreaterThanOrEqual(target);
      expect(size).toBeLessThan(events);
      killedAt.push(size);
      const after = await checkpoints();
      // Nothing signed before the kill went missing with it.
      for (const row of before) expect(after.find((found) => found.treeSize === row.treeSize)?.note).toBe(row.note);
      see(after);
      signedBefore = after[after.length - 1].treeSize;
      const file = lastSignedCheckpointFile(dataDir);
      if (existsSync(file)) filesAfterKills.push(readFileSync(file, 'utf8'));
    }
    // Each restart went on from where the one before had committed.
    expect(killedAt).toEqual([...killedAt].sort((a, b) => a - b));

    // The last run finishes the tree and signs its final checkpoint, in the database and the data folder.
    projector = startProjector(setup.url, env);
    const final = await waitFor(async () => {
      const rows = await checkpoints();
      const last = rows[rows.length - 1];
      const file = lastSignedCheckpointFile(dataDir);
      if ((await treeSize()) !== events || last?.treeSize !== events || !existsSync(file)) return undefined;
      return readFileSync(file, 'utf8') === last.note ? rows : undefined;
    }, `the whole tree (${events} leaves) signed`);
    await projector.kill('SIGTERM');
    projector = undefined;

    // The tree: the one of every event of the store, recomputed here from the events alone.
    const log = await allEvents();
    expect(log).toHaveLength(events);
    const leafHashes = log.map(logLeafHashOf);
    const built = appendLeaves(emptyTreeEdge(), leafHashes);
    const root = rootOfTreeEdge(built.edge);
    expect(root).toEqual(rootOfLeafHashes(leafHashes));
    const [edge] = (await pool.query<{ tree_size: string; root_hash: Buffer; position: string }>('SELECT tree_size::text, root_hash, position::text FROM read_models.log_edge WHERE id = 1')).rows;
    expect(edge).toEqual({ tree_size: String(events), root_hash: root, position: log[log.length - 1].position.toString() });

    // Every event a leaf, once, in the store's order: leaf indexes 0..n-1 with no gap and no repeat, in runs that follow each other.
    const runs = (await pool.query<{ first_leaf: string; positions: Buffer; event_ids: string }>(
      'SELECT first_leaf::text, positions, event_ids FROM read_models.log_leaf_runs r ORDER BY r.first_leaf',
    )).rows.map(leafRunOf);
    const leaves = runs.flatMap((run) => run.positions.map((position, offset) => ({ leafIndex: run.firstLeaf + offset, position, eventId: run.eventIds[offset] })));
    expect(leaves.length).toBe(events);
    const misplaced = leaves.findIndex((leaf, index) => leaf.leafIndex !== index || leaf.position !== log[index].position || leaf.eventId !== log[index].id);
    expect(misplaced).toBe(-1);
    expect(new Set(leaves.map((leaf) => leaf.eventId)).size).toBe(events);

    // Every stored hash and full tile is the one a clean build gives: a batch cut off by a kill left none behind, none twice.
    const hashRuns = (await pool.query<{ first_index: string; hashes: Buffer }>('SELECT first_index::text, hashes FROM read_models.log_hash_runs r ORDER BY r.first_index')).rows;
    let next = 0;
    for (const run of hashRuns) {
      expect(Number(run.first_index)).toBe(next);
      next += run.hashes.length / 32;
    }
    expect(built.storedHashes.firstIndex).toBe(0);
    expect(Buffer.concat(hashRuns.map((row) => row.hashes)).equals(built.storedHashes.hashes)).toBe(true);
    const tiles = (await pool.query<{ level: number; tile_index: string; hashes: Buffer }>('SELECT level, tile_index::text, hashes FROM read_models.log_tiles t ORDER BY t.level, t.tile_index')).rows;
    const fullTiles = built.tiles.filter(({ tile }) => tile.width === TILE_WIDTH);
    expect(tiles.map((tile) => [tile.level, tile.tile_index, tile.hashes.toString('base64')])).toEqual(
      fullTiles.map(({ tile, bytes }) => [tile.level, String(tile.index), Buffer.from(bytes).toString('base64')]),
    );

    // No checkpoint lost: every one seen before any kill is still there, byte for byte.
    const rows = await checkpoints();
    expect(rows).toEqual(final);
    const kept = new Map(rows.map((row) => [row.treeSize, row.note]));
    for (const [size, note] of seen) expect(kept.get(size)).toBe(note);
    expect(seen.size).toBeGreaterThanOrEqual(KILL_AT.length);
    // None twice: one row per tree size, which the table's primary key holds it to.
    expect(new Set(rows.map((row) => row.treeSize)).size).toBe(rows.length);
    const [{ constraint }] = (await pool.query<{ constraint: string }>(
      `SELECT pg_get_constraintdef(oid) AS constraint FROM pg_constraint WHERE conrelid = 'read_models.log_checkpoints'::regclass AND contype = 'p'`,
    )).rows;
    expect(constraint).toBe('PRIMARY KEY (tree_size)');
    const duplicate = await pool
      .query('INSERT INTO read_models.log_checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3)', [String(rows[0].treeSize), rows[0].rootHash, rows[0].note])
      .then(() => 'inserted', (error: { code?: string }) => error.code);
    expect(duplicate).toBe('23505');
    // Signed in the order of their sizes: no restart signed a smaller tree after a larger one.
    const bySigning = [...rows].sort((a, b) => a.signedAt.getTime() - b.signedAt.getTime() || a.treeSize - b.treeSize);
    expect(bySigning.map((row) => row.treeSize)).toEqual(rows.map((row) => row.treeSize));

    // Each checkpoint is signed by the log key, over the root of its first treeSize leaves (the tree recomputed up to each size).
    let prefix = emptyTreeEdge();
    for (const row of rows) {
      const { checkpoint } = openCheckpoint(row.note, { origin: DEFAULT_LOG_ORIGIN, verifiers: [verifier] });
      expect(checkpoint.treeSize).toBe(row.treeSize);
      prefix = appendLeaves(prefix, leafHashes.slice(prefix.size, row.treeSize)).edge;
      expect({ treeSize: row.treeSize, root: checkpoint.rootHash.toString('hex') }).toEqual({ treeSize: row.treeSize, root: rootOfTreeEdge(prefix).toString('hex') });
      expect(row.rootHash).toEqual(checkpoint.rootHash);
    }
    expect(rows[rows.length - 1].treeSize).toBe(events);
    // Each is consistent with the one before, by the proof the stored tree gives (as /v1/log/proofs/consistency answers it).
    const tree = new LogTree(pool);
    for (let index = 1; index < rows.length; index += 1) {
      const [older, newer] = [rows[index - 1], rows[index]];
      if (older.treeSize === 0) continue; // the empty tree is a prefix of every tree: RFC 9162 defines no proof from it
      const proof = await tree.consistencyProof(older.treeSize, newer.treeSize);
      const verdict = verifyConsistency({ oldSize: older.treeSize, newSize: newer.treeSize, oldRoot: older.rootHash, newRoot: newer.rootHash, proof });
      expect({ from: older.treeSize, to: newer.treeSize, verdict }).toEqual({ from: older.treeSize, to: newer.treeSize, verdict: { valid: true } });
    }
    // What the data folder held after each kill was a checkpoint of this very tree.
    for (const note of filesAfterKills) {
      const { checkpoint } = openCheckpoint(note, { origin: DEFAULT_LOG_ORIGIN, verifiers: [verifier] });
      expect(checkpoint.rootHash).toEqual(rootOfLeafHashes(leafHashes, checkpoint.treeSize));
    }
    // The data folder keeps the last checkpoint signed.
    expect(readFileSync(lastSignedCheckpointFile(dataDir), 'utf8')).toBe(rows[rows.length - 1].note);

    // And the operator's check agrees: the log, its tree and every signed checkpoint.
    const verified = await runCli(['verify', '--quiet'], env);
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringContaining('the log, its tree and every signed checkpoint agree') });
    expect(verified.stdout).toContain(`${events} leaves and ${rows.length} signed checkpoints checked`);
  }, 420_000);
});
