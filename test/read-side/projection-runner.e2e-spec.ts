import { DEFAULT_FINDING_THRESHOLDS } from '@ledger/platform';
import { ADVISORY_LOCK_NAMESPACE, holderNamesTable, ledgerProjections, ledgerProjectionsFor, startRebuild, peopleProjection, ProjectionRunner, rebuildProjections, type Projection } from '@ledger/projections';
import { testPool } from '../support/test-pool';
import { activeSchemas, catchUpReadModels, createReadSideFixture, digestOfSchema, type ReadSideFixture } from './support/read-side-fixture';
import { seedEventStore, SyntheticLedger } from '@ledger/projections/testing';
import { eventually } from '../support/eventually';

describe('projection runner', () => {
  let fixture: ReadSideFixture;

  beforeAll(async () => {
    fixture = await createReadSideFixture('runner');
  });
  afterAll(async () => {
    await fixture.teardown();
  });

  it('catches up, follows the log live, and a rebuild gives the same rows', async () => {
    const ledger = new SyntheticLedger({ people: 300, waveSize: 50 });
    const seeded = await seedEventStore(fixture.store, ledger.appends());
    const runner = new ProjectionRunner({ connectionString: fixture.url, store: fixture.store, projections: ledgerProjections, batchSize: 97 });
    await runner.start();
    try {
      await waitUntil(async () => (await checkpoints(fixture)).every((c) => c === String(seeded - 1)));
      const [audit] = await fixture.sql<{ count: string }>('SELECT count(*) FROM read_models.audit_events');
      expect(Number(audit.count)).toBe(seeded);

      const before = await activeSchemas(fixture);
      const digests = Object.fromEntries(await Promise.all(Object.entries(before).map(async ([p, s]) => [p, await digestOfSchema(fixture, s)])));
      const rebuilt = await rebuildProjections({ connectionString: fixture.url, store: fixture.store, projections: ledgerProjections, batchSize: 500 });
      // The running runner may lock a building generation before this rebuild does (it feeds building ones too), and then
      // this one only watches it finish: either way every projection ends with a new generation, equal to the old.
      expect(rebuilt.generations.map((generation) => generation.projection).sort()).toEqual(ledgerProjections.map((projection) => projection.name).sort());
      const after = await activeSchemas(fixture);
      for (const [projection, schema] of Object.entries(after)) {
        expect(schema).not.toBe(before[projection]);
        expect(await digestOfSchema(fixture, schema)).toEqual(digests[projection]);
      }
    } finally {
      await runner.stop();
    }
  });
});

describe('the verifiable log beside the read models', () => {
  let fixture: ReadSideFixture;

  beforeAll(async () => {
    fixture = await createReadSideFixture('lanes');
  });
  afterAll(async () => {
    await fixture.teardown();
  });

  it('is fed by a worker of its own (it follows the log every tenth of a second), the read models by one shared worker', async () => {
    // Events first: the generations are built together, then handed back and followed apart.
    await seedEventStore(fixture.store, new SyntheticLedger({ people: 40, waveSize: 40, seed: 5 }).appends());
    const runner = new ProjectionRunner({ connectionString: fixture.url, store: fixture.store, projections: ledgerProjections, standbyRetryMs: 100 });
    await runner.start();
    const holders = async () => {
      const rows = await fixture.sql<{ projection: string; pid: number }>(
        `SELECT g.projection, l.pid FROM read_models.projection_generations g
           JOIN pg_locks l ON l.locktype = 'advisory' AND l.classid = $1 AND l.objid = g.id AND l.objsubid = 2 AND l.granted
                AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          WHERE g.status = 'active'`,
        [ADVISORY_LOCK_NAMESPACE],
      );
      return new Map(rows.map((holder) => [holder.projection, holder.pid]));
    };
    const apart = (pidOf: Map<string, number>) => {
      const readModels = ledgerProjections.filter((projection) => projection.name !== 'log').map((projection) => pidOf.get(projection.name));
      return pidOf.size === ledgerProjections.length && new Set(readModels).size === 1 && !readModels.includes(pidOf.get('log'));
    };
    try {
      await waitUntil(async () => apart(await holders()));
      // Both follow the log live.
      await seedEventStore(fixture.store, new SyntheticLedger({ people: 10, waveSize: 10, seed: 6, registry: false }).appends());
      const head = String(await fixture.store.headPosition());
      await waitUntil(async () => (await checkpoints(fixture)).every((c) => c === head));
      expect(apart(await holders())).toBe(true);

      // Rebuilt together, the new generations are then followed with the log apart again (the read models may be split
      // over more than one worker, as their building generations were created over more than one tick).
      const pool = testPool({ connectionString: fixture.url, max: 1 });
      const rebuilding = await Promise.all(ledgerProjections.map((projection) => startRebuild(pool, projection))).finally(() => pool.end());
      const rebuilt = new Set(rebuilding.map((generation) => generation.id));
      await waitUntil(async () => {
        const active = await fixture.sql<{ id: number }>(`SELECT id FROM read_models.projection_generations WHERE status = 'active'`);
        const pidOf = await holders();
        const readModels = ledgerProjections.filter((projection) => projection.name !== 'log').map((projection) => pidOf.get(projection.name));
        const logApart = pidOf.size === ledgerProjections.length && !readModels.includes(pidOf.get('log'));
        return active.length === ledgerProjections.length && active.every((generation) => rebuilt.has(generation.id)) && logApart;
      });
    } finally {
      await runner.stop();
    }
  });
});

describe('projection runners in several processes', () => {
  let fixture: ReadSideFixture;

  beforeAll(async () => {
    fixture = await createReadSideFixture('standby');
  });
  afterAll(async () => {
    await fixture.teardown();
  });

  it('feed each generation from one instance; a standby takes over when it goes', async () => {
    await seedEventStore(fixture.store, new SyntheticLedger({ people: 100, waveSize: 50, seed: 3 }).appends());
    const options = { connectionString: fixture.url, store: fixture.store, projections: ledgerProjections, standbyRetryMs: 100 };
    const first = new ProjectionRunner(options);
    const second = new ProjectionRunner(options);
    await first.start();
    await second.start();
    try {
      const seeded = String(await fixture.store.headPosition());
      await waitUntil(async () => (await checkpoints(fixture)).every((c) => c === seeded));
      expect(first.fedGenerations).toHaveLength(ledgerProjections.length);
      expect(second.fedGenerations).toEqual([]);
      await first.stop();
      await waitUntil(async () => second.fedGenerations.length === ledgerProjections.length);
      const more = await seedEventStore(fixture.store, new SyntheticLedger({ people: 30, waveSize: 30, seed: 4, registry: false }).appends());
      expect(more).toBeGreaterThan(0);
      const head = String(await fixture.store.headPosition());
      await waitUntil(async () => (await checkpoints(fixture)).every((c) => c === head));
      const [audit] = await fixture.sql<{ n: string; last: string }>('SELECT count(*)::text AS n, max(position)::text AS last FROM read_models.audit_events');
      expect(audit).toEqual({ n: String(Number(head) + 1), last: head });
    } finally {
      await second.stop();
    }
  });
});

describe('a projection whose code has a new version', () => {
  let fixture: ReadSideFixture;

  beforeAll(async () => {
    fixture = await createReadSideFixture('new_version');
  });
  afterAll(async () => {
    await fixture.teardown();
  });

  it('builds beside the old version, which queries read until the new one takes over with its new columns', async () => {
    await seedEventStore(fixture.store, new SyntheticLedger({ people: 150, waveSize: 50, seed: 5 }).appends());
    await catchUpReadModels(fixture);
    const [{ names }] = await fixture.sql<{ names: string }>('SELECT count(*)::text AS names FROM read_models.holder_names');
    const holderNames = { ...holderNamesTable, columns: { ...holderNamesTable.columns, source_stream: 'text' as const } };
    const people: Projection = {
      ...peopleProjection,
      version: peopleProjection.version + 1,
      tables: peopleProjection.tables.map((table) => (table.name === holderNames.name ? holderNames : table)),
      fold: (rows, event) =>
        peopleProjection
          .fold(rows, event)
          .map((change) => (change.kind === 'put' && change.table === holderNames.name ? { ...change, row: { ...change.row, source_stream: event.streamId } } : change)),
    };
    const projections = ledgerProjections.map((projection) => (projection.name === 'people' ? people : projection));
    const runner = new ProjectionRunner({ connectionString: fixture.url, store: fixture.store, projections, standbyRetryMs: 100 });
    await runner.start();
    try {
      await waitUntil(async () => {
        const [active] = await fixture.sql<{ version: number }>(`SELECT version FROM read_models.projection_generations WHERE projection = 'people' AND status = 'active'`);
        return active.version === peopleProjection.version + 1;
      });
      const rows = await fixture.sql<{ n: string; streams: string }>(
        `SELECT count(*)::text AS n, count(*) FILTER (WHERE source_stream LIKE 'person-%')::text AS streams FROM read_models.holder_names`,
      );
      expect(rows).toEqual([{ n: names, streams: names }]);
    } finally {
      await runner.stop();
    }
  });
});

describe('the findings under other thresholds', () => {
  let fixture: ReadSideFixture;

  beforeAll(async () => {
    fixture = await createReadSideFixture('settings');
  });
  afterAll(async () => {
    await fixture.teardown();
  });

  it('are rebuilt from the whole history beside the old ones, which queries read until the new ones take over', async () => {
    await seedEventStore(fixture.store, new SyntheticLedger({ people: 150, waveSize: 50, seed: 7 }).appends());
    await catchUpReadModels(fixture);
    const count = async () => Number((await fixture.sql<{ n: string }>(`SELECT count(*)::text AS n FROM read_models.findings WHERE kind = 'evaluator_daily_volume'`))[0].n);
    const before = await count();
    const [old] = await fixture.sql<{ id: number }>(`SELECT id FROM read_models.projection_generations WHERE projection = 'findings' AND status = 'active'`);
    // One judgment a day is all an evaluator may do: the synthetic ledger's evaluators do more.
    const strict = ledgerProjectionsFor({ findingThresholds: { ...DEFAULT_FINDING_THRESHOLDS, maxJudgmentsPerDay: 1 } });
    const settings = strict.find((projection) => projection.name === 'findings')!.settings;
    const runner = new ProjectionRunner({ connectionString: fixture.url, store: fixture.store, projections: strict, standbyRetryMs: 100 });
    await runner.start();
    try {
      await waitUntil(async () => {
        const [active] = await fixture.sql<{ id: number; settings: string | null }>(`SELECT id, settings FROM read_models.projection_generations WHERE projection = 'findings' AND status = 'active'`);
        return active.id !== old.id && active.settings === settings;
      });
      expect(await count()).toBeGreaterThan(before);
      // The other projections have no settings: they are not rebuilt.
      const rebuilt = await fixture.sql<{ projection: string }>(`SELECT DISTINCT projection FROM read_models.projection_generations WHERE status = 'retired'`);
      expect(rebuilt.map((row) => row.projection)).toEqual(['findings']);
    } finally {
      await runner.stop();
    }
  });
});

async function checkpoints(fixture: ReadSideFixture): Promise<string[]> {
  const rows = await fixture.sql<{ checkpoint: string }>(`SELECT checkpoint::text FROM read_models.projection_generations WHERE status = 'active'`);
  return rows.map((row) => row.checkpoint);
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  await eventually(condition, timeoutMs, 50);
}
