import { ledgerProjections, ProjectionRunner, rebuildProjections } from '@ledger/projections';
import {
  AuditQueries,
  CertificateQueries,
  CertificationStatsQueries,
  createReadModelDataSource,
  parseGroupBy,
  renderTransparencyJson,
  TransparencyReports,
} from '@ledger/read-models';
import type { DataSource } from 'typeorm';
import { catchUpReadModels, createReadSideFixture, type ReadSideFixture } from './support/read-side-fixture';
import { seedEventStore, SyntheticLedger } from '@ledger/projections/testing';

/**
 * Blue/green in practice: while the live projector folds new events and a
 * rebuild fills new generations and switches them in, queries of every kind
 * keep being answered, and never go back in time.
 */
describe('queries during a rebuild', () => {
  let fixture: ReadSideFixture;
  let dataSource: DataSource;

  beforeAll(async () => {
    fixture = await createReadSideFixture('queries_rebuild');
    await seedEventStore(fixture.store, new SyntheticLedger({ people: 2_500, waveSize: 125, seed: 21 }).appends());
    await catchUpReadModels(fixture, 1_000);
    dataSource = createReadModelDataSource(fixture.url, 6);
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await fixture.teardown();
  });

  it('never fails a query', async () => {
    const runner = new ProjectionRunner({ connectionString: fixture.url, store: fixture.store, projections: ledgerProjections, batchSize: 200 });
    await runner.start();
    const certificates = new CertificateQueries(dataSource);
    const stats = new CertificationStatsQueries(dataSource);
    const audit = new AuditQueries(dataSource);
    const reports = new TransparencyReports(dataSource, async () => undefined);
    const [{ folio }] = await fixture.sql<{ folio: string }>(`SELECT folio FROM read_models.certificates LIMIT 1`);
    const failures: unknown[] = [];
    let answered = 0;
    let highestTotal = 0;
    let stopped = false;
    const queries: (() => Promise<unknown>)[] = [
      () => certificates.list({ state: 'BC' }, {}, { limit: 20 }),
      () => certificates.verify(folio),
      async () => {
        const { groups, position } = await stats.count(parseGroupBy('state'), {});
        const total = groups.reduce((sum, group) => sum + group.count, 0);
        // New certificates only add to the total over all statuses; a revocation moves one between statuses.
        if (total < highestTotal) throw new Error(`total went back from ${highestTotal} to ${total} at ${position}`);
        highestTotal = total;
      },
      () => audit.events({ type: 'CertificateIssued' }, { limit: 10 }),
      async () => {
        let bytes = 0;
        for await (const piece of renderTransparencyJson(await reports.prepare({ asOf: '2021-01-01', atPosition: 5_000n, filters: {} }))) bytes += piece.length;
        return bytes;
      },
    ];
    const loops = queries.map(async (query) => {
      while (!stopped) {
        try {
          await query();
          answered += 1;
        } catch (error) {
          failures.push(error);
          // A query that fails at once fails again at once: a few are enough to see why, and a loop that kept every one
          // (after a timeout, say, once afterAll has closed the pool) would fill the worker's memory.
          if (failures.length >= MAX_FAILURES_KEPT) stopped = true;
        }
      }
    });
    try {
      const writing = seedEventStore(fixture.store, new SyntheticLedger({ people: 600, waveSize: 50, seed: 22, registry: false }).appends(), { inFlight: 8 });
      await rebuildProjections({ connectionString: fixture.url, store: fixture.store, projections: ledgerProjections, batchSize: 500 });
      await writing;
      await rebuildProjections({ connectionString: fixture.url, store: fixture.store, projections: ledgerProjections.slice(2), batchSize: 500 });
    } finally {
      stopped = true;
      await Promise.all(loops);
      await runner.stop();
    }
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(50);
    // Two full rebuilds of 3,100 people's history beside a live projector and five query loops: a minute on a quiet
    // machine, more on a busy one.
  }, 240_000);
});

/** The failures a loop keeps before every loop stops. */
const MAX_FAILURES_KEPT = 20;
