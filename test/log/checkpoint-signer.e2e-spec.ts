import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Pool } from 'pg';
import { testPool } from '../support/test-pool';
import { PostgresEventStore } from '@ledger/event-store';
import { CheckpointSigner, ensureGenerations, lastSignedCheckpointFile, logProjection, rebuildProjections } from '@ledger/projections';
import { runReadModelMigrations } from '@ledger/read-models';
import { generateNoteKey } from '@ledger/verifiable-log';
import { createTestDatabase } from '../support/test-database';
import { seedEventStore, SyntheticLedger } from '@ledger/projections/testing';

/**
 * The checkpoint signer never signs two checkpoints that disagree, whatever
 * happens to the database under it: a crash between keeping a checkpoint in
 * the data folder and recording it loses nothing, a database restored from
 * an older backup and grown again differently is refused (the data folder
 * remembers), and so is a log rewritten and rebuilt.
 */
describe('the checkpoint signer', () => {
  const key = generateNoteKey('ledger.example.gob.mx/log');
  let database: { url: string; drop: () => Promise<void> };
  let store: PostgresEventStore;
  let pool: Pool;
  let dataDir: string;
  let ledger: SyntheticLedger;
  let appends: ReturnType<SyntheticLedger['appends']>;

  const signer = () => new CheckpointSigner({ connectionString: database.url, signer: key, intervalMs: 60_000, lastSignedFile: lastSignedCheckpointFile(dataDir) });
  const recorded = async () => (await pool.query<{ tree_size: string; note: string }>('SELECT tree_size::text AS tree_size, note FROM read_models.log_checkpoints c ORDER BY c.tree_size')).rows;

  /** Appends the next `count` streams' events of the synthetic ledger and builds the tree over them. */
  async function grow(count: number): Promise<void> {
    const batch = [];
    for (let n = 0; n < count; n += 1) {
      const next = appends.next();
      if (next.done) break;
      batch.push(next.value);
    }
    await seedEventStore(store, batch, { inFlight: 8 });
    await rebuildProjections({ connectionString: database.url, store, projections: [logProjection], batchSize: 500 });
  }

  /** One round of a fresh signer (as after a restart), closed after. */
  async function round() {
    const fresh = signer();
    try {
      return await fresh.signNow();
    } finally {
      await fresh.stop();
    }
  }

  beforeEach(async () => {
    database = await createTestDatabase('checkpoint_signer');
    store = new PostgresEventStore(database.url);
    await store.migrate();
    await runReadModelMigrations(database.url);
    pool = testPool({ connectionString: database.url, max: 2 });
    await ensureGenerations(pool, [logProjection]);
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-signer-'));
    ledger = new SyntheticLedger({ people: 40, seed: 7 });
    appends = ledger.appends()[Symbol.iterator]();
  });

  afterEach(async () => {
    await pool.end();
    await store.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records a checkpoint it kept in the data folder but never recorded (a crash between the two), without signing it again', async () => {
    await grow(20);
    expect(await round()).toMatchObject({ kind: 'signed' });
    const [first] = await recorded();
    // The crash: the file holds the checkpoint, the table lost it.
    await pool.query('ALTER TABLE read_models.log_checkpoints DISABLE TRIGGER USER');
    await pool.query('DELETE FROM read_models.log_checkpoints');
    await pool.query('ALTER TABLE read_models.log_checkpoints ENABLE TRIGGER USER');
    expect(await round()).toMatchObject({ kind: 'unchanged', treeSize: Number(first.tree_size) });
    expect(await recorded()).toEqual([first]);
    // And when the tree has grown meanwhile, the lost one is recorded before the next is signed on it.
    await pool.query('ALTER TABLE read_models.log_checkpoints DISABLE TRIGGER USER');
    await pool.query('DELETE FROM read_models.log_checkpoints');
    await pool.query('ALTER TABLE read_models.log_checkpoints ENABLE TRIGGER USER');
    await grow(10);
    expect(await round()).toMatchObject({ kind: 'signed' });
    const rows = await recorded();
    expect(rows.map((row) => row.tree_size)).toEqual([first.tree_size, rows[1].tree_size]);
    expect(rows[0]).toEqual(first);
    expect(readFileSync(lastSignedCheckpointFile(dataDir), 'utf8')).toBe(rows[1].note);
  });

  it('refuses, and says why, to sign a database restored from an older backup that then grew another way', async () => {
    await grow(20);
    expect(await round()).toMatchObject({ kind: 'signed' });
    const backupOfTheFile = readFileSync(lastSignedCheckpointFile(dataDir), 'utf8');
    await grow(10);
    expect(await round()).toMatchObject({ kind: 'signed' });
    const signedBefore = await recorded();
    // The restore: a fresh database holding only the first 20 streams' events, the checkpoint table as the backup had it,
    // then other events appended on top of it; the data folder still holds the last checkpoint.
    await pool.end();
    await store.close();
    await database.drop();
    database = await createTestDatabase('checkpoint_signer_restored');
    store = new PostgresEventStore(database.url);
    await store.migrate();
    await runReadModelMigrations(database.url);
    pool = testPool({ connectionString: database.url, max: 2 });
    await ensureGenerations(pool, [logProjection]);
    ledger = new SyntheticLedger({ people: 40, seed: 7 });
    appends = ledger.appends()[Symbol.iterator]();
    await grow(20);
    await pool.query('INSERT INTO read_models.log_checkpoints (tree_size, root_hash, note) SELECT $1::bigint, root_hash, $2 FROM read_models.log_edge', [signedBefore[0].tree_size, backupOfTheFile]);
    const other = new SyntheticLedger({ people: 40, seed: 99, registry: false }).appends()[Symbol.iterator]();
    await seedEventStore(store, Array.from({ length: 15 }, () => other.next().value).filter(Boolean), { inFlight: 8 });
    await rebuildProjections({ connectionString: database.url, store, projections: [logProjection], batchSize: 500 });
    const outcome = await round();
    expect(outcome).toMatchObject({ kind: 'refused' });
    expect((outcome as { reason: string }).reason).toMatch(/does not extend|another root/);
    expect((await recorded()).map((row) => row.tree_size)).toEqual([signedBefore[0].tree_size]);
  });

  it('refuses a tree rebuilt from a rewritten log', async () => {
    await grow(20);
    expect(await round()).toMatchObject({ kind: 'signed' });
    await pool.query('ALTER TABLE event_store.events DISABLE TRIGGER USER');
    await pool.query(`UPDATE event_store.events SET data = jsonb_set(data::jsonb, '{rewritten}', 'true')::json WHERE position = 3`);
    await grow(5);
    const outcome = await round();
    expect(outcome).toMatchObject({ kind: 'refused' });
    expect((await recorded()).length).toBe(1);
    // Every round after says the same, and never signs.
    expect(await round()).toMatchObject({ kind: 'refused' });
  });

  it('keeps its checkpoint file whole: what it holds is always a signed checkpoint of the log', async () => {
    await grow(5);
    expect(await round()).toMatchObject({ kind: 'signed' });
    writeFileSync(lastSignedCheckpointFile(dataDir), 'not a checkpoint');
    await expect(round()).rejects.toThrow();
    expect((await recorded()).length).toBe(1);
  });
});
