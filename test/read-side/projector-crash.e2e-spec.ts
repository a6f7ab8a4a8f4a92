import { ledgerProjections, rebuildProjections, startRebuild, type Generation } from '@ledger/projections';
import { type Pool } from 'pg';
import { testPool } from '../support/test-pool';
import { startProjector } from './support/projector-process';
import { activeSchemas, catchUpReadModels, createReadSideFixture, digestOfSchema, type ReadSideFixture } from './support/read-side-fixture';
import { seedEventStore, SyntheticLedger } from '@ledger/projections/testing';
import { eventually } from '../support/eventually';

/**
 * A rebuild survives its projector being killed (SIGKILL: no cleanup, a batch
 * cut off mid-transaction) at several points: restarted, it resumes from the
 * committed checkpoint, and the read models it switches in are row for row
 * those of a clean rebuild. Nothing is lost, nothing counted twice.
 */
describe('projector killed during a rebuild', () => {
  let fixture: ReadSideFixture;
  let pool: Pool;
  let events: number;

  beforeAll(async () => {
    fixture = await createReadSideFixture('projector_crash');
    pool = testPool({ connectionString: fixture.url, max: 2 });
    events = await seedEventStore(fixture.store, new SyntheticLedger({ people: 5_000, waveSize: 250, seed: 11 }).appends());
    await catchUpReadModels(fixture, 2_000);
  });
  afterAll(async () => {
    await pool.end();
    await fixture.teardown();
  });

  it('resumes from its checkpoint and ends equal to a clean rebuild', async () => {
    const head = await fixture.store.headPosition();
    const building: Generation[] = [];
    for (const projection of ledgerProjections) building.push(await startRebuild(pool, projection));
    const progress = async () => {
      const rows = await fixture.sql<{ checkpoint: string; status: string }>(
        `SELECT checkpoint::text, status FROM read_models.projection_generations WHERE id = ANY($1::int[])`,
        [building.map((g) => g.id)],
      );
      return { lowest: rows.reduce((min, r) => (BigInt(r.checkpoint) < min ? BigInt(r.checkpoint) : min), head), switched: rows.every((r) => r.status === 'active') };
    };
    const env = { PROJECTOR_BATCH_SIZE: '150', PROJECTOR_STANDBY_RETRY_MS: '200' };

    const killedAt: bigint[] = [];
    for (const fraction of [0.15, 0.4, 0.7]) {
      const projector = startProjector(fixture.url, env);
      const target = (head * BigInt(Math.round(fraction * 100))) / 100n;
      await waitFor(async () => (await progress()).lowest >= target, () => projector.output());
      await projector.kill('SIGKILL');
      const after = await progress();
      expect(after.switched).toBe(false);
      killedAt.push(after.lowest);
    }
    // Each restart went on from where the previous one had committed.
    expect(killedAt).toEqual([...killedAt].sort((a, b) => (a < b ? -1 : 1)));

    const last = startProjector(fixture.url, env);
    await waitFor(async () => (await progress()).switched, () => last.output());
    await last.kill('SIGTERM');

    const resumed = await activeSchemas(fixture);
    expect(Object.values(resumed).sort()).toEqual(building.map((g) => g.schema).sort());
    const resumedDigests = await digests(fixture, resumed);
    const [audit] = await fixture.sql<{ n: string }>(`SELECT count(*)::text AS n FROM read_models.audit_events`);
    expect(Number(audit.n)).toBe(events);
    const [counted] = await fixture.sql<{ n: string }>(`SELECT sum(certificates)::text AS n FROM read_models.certification_counts`);
    const [certificates] = await fixture.sql<{ n: string }>(`SELECT count(*)::text AS n FROM read_models.certificates`);
    expect(counted.n).toBe(certificates.n);

    await rebuildProjections({ connectionString: fixture.url, store: fixture.store, projections: ledgerProjections, batchSize: 1_000 });
    const clean = await activeSchemas(fixture);
    expect(Object.values(clean).some((schema) => Object.values(resumed).includes(schema))).toBe(false);
    expect(await digests(fixture, clean)).toEqual(resumedDigests);
  }, 180_000);
});

async function digests(fixture: ReadSideFixture, schemas: Record<string, string>): Promise<Record<string, Record<string, string>>> {
  const entries = await Promise.all(Object.entries(schemas).map(async ([projection, schema]) => [projection, await digestOfSchema(fixture, schema)] as const));
  return Object.fromEntries(entries);
}

async function waitFor(condition: () => Promise<boolean>, output: () => string, timeoutMs = 60_000): Promise<void> {
  await eventually(condition, timeoutMs, 20, () => `the projector; its output:\n${output()}`);
}
