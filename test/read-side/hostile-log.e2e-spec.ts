import { randomUUID } from 'node:crypto';
import { Folio } from '@ledger/domain';
import { EVENT_REGISTRY, logLeafHashOf, schemaVersionOf, type EventStore, type LedgerEventType, type NewEvent } from '@ledger/event-store';
import { certificationProjection, ledgerProjections, listParkedEvents, ProjectionRunner, replayWithoutFeeder, requestReplay } from '@ledger/projections';
import { CertificateQueries, createReadModelDataSource } from '@ledger/read-models';
import { rootOfLeafHashes } from '@ledger/verifiable-log';
import type { DataSource } from 'typeorm';
import { createReadSideFixture, type ReadSideFixture } from './support/read-side-fixture';
import { eventually } from '../support/eventually';

const NUL = '\u0000';
const LONE = '\uD800';
const RLO = '\u202E';
const SHOWN = '\uFFFD';

/** An event as something other than the ledger's command side might have stored it. */
function raw(type: string, data: unknown, schemaVersion = type in EVENT_REGISTRY ? schemaVersionOf(type as LedgerEventType) : 1): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      actor: { id: `intruder${NUL}`, role: 'certifier', organizationId: `HOSTILE-1${RLO}` },
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: '2019-03-01T10:00:00.000Z',
      recordedAt: '2019-03-01T10:00:01.000Z',
      schemaVersion,
    },
  };
}

/**
 * A log the command side would never write: text with NUL, lone surrogates
 * and bidirectional overrides in every field, values of the wrong type, an
 * event without the keys its projection needs, data that is not an object,
 * an unknown type. The read side folds all of it, sets aside only what it
 * cannot fold (parked, with the reason), and keeps going: a revocation
 * recorded after all of it reaches the public registry.
 */
describe('a hostile log', () => {
  let fixture: ReadSideFixture;
  let dataSource: DataSource;
  const processId = randomUUID();
  const garbageProcess = randomUUID();
  const folio = Folio.fromBody('H5T1A600000Q').value;
  const subjectId = 'subject-hostile-1';

  beforeAll(async () => {
    fixture = await createReadSideFixture('hostile');
    dataSource = await createReadModelDataSource(fixture.url).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await fixture.teardown();
  });

  async function appendHostileLog(store: EventStore): Promise<void> {
    const append = (stream: string, ...events: NewEvent[]) => store.appendToStream(stream, events, { expectedRevision: 'any' });
    await append('standard-EC9999', raw('StandardRegistered', { code: 'EC9999', version: '01', title: `Título${NUL}con${RLO}control${LONE}`, validityYears: 5, registeredAt: '2018-01-01T00:00:00.000Z' }));
    await append('provider-HOSTILE-1', raw('ProviderAccredited', {
      providerId: 'HOSTILE-1', kind: 'ECE', name: `Proveedor${NUL}hostil`, accreditationCode: `X${RLO}1`, standards: ['EC9999'],
      validFrom: '2018-01-01', validUntil: '2030-12-31', accreditedAt: '2018-01-01T00:00:00.000Z',
    }));
    // Schema 1: no validFrom; read as in force from the day it was recorded.
    await append('evaluator-ev-hostile', raw('EvaluatorAccredited', {
      evaluatorId: 'ev-hostile', subjectId: 'subject-ev', providerId: 'HOSTILE-1', standards: ['EC9999'], credentialFolio: `CED${NUL}1`,
      validUntil: '2030-12-31', accreditedAt: '2018-02-01T00:00:00.000Z',
    }, 1));
    await append(`person-${subjectId}`, raw('PersonRegistered', { subjectId, curp: `PERJ750914HBCXZN39`, fullName: `Juan${NUL}Pérez${LONE}`, registeredAt: '2018-03-01T00:00:00.000Z' }));
    await append(`certification-${processId}`,
      raw('CandidateEnrolled', {
        processId, subjectId, standardCode: 'EC9999', standardVersion: '01', validityYears: 5, providerId: 'HOSTILE-1', centreId: 'HOSTILE-1',
        agency: `Agencia${NUL}${RLO}`, jurisdiction: { state: 'BC', municipality: `Tijuana${LONE}` }, employment: 'base', enrolledAt: '2018-04-01T00:00:00.000Z',
      }),
      raw('EvaluationRecorded', { processId, evaluatorId: 'ev-hostile', result: 'competent', evidenceDigest: `sha256:${'0'.repeat(64)}`, evaluatedAt: '2018-05-01T00:00:00.000Z', credentialFolio: `CED${NUL}1` }),
      raw('CertificateIssued', { processId, folio, subjectId, standardCode: 'EC9999', providerId: 'HOSTILE-1', evaluatorId: 'ev-hostile', issuedAt: '2018-06-01T00:00:00.000Z', validUntil: '2023-06-01T00:00:00.000Z' }),
    );
    // Every field of the wrong type.
    await append(`certification-${garbageProcess}`, raw('CandidateEnrolled', {
      processId: garbageProcess, subjectId: 7, standardCode: ['EC0105'], standardVersion: null, validityYears: 'five', providerId: { id: 1 },
      centreId: true, agency: { name: 'x' }, jurisdiction: 'BC', employment: 42, enrolledAt: 'yesterday',
    }));
    // Nothing to key a certificate or a process by.
    await append('certification-broken', raw('CertificateIssued', { subjectId, issuedAt: '2018-06-01T00:00:00.000Z' }));
    await append('certification-not-an-object', raw('CertificateRevoked', 'revoke everything'));
    // Stream names and types are text columns in PostgreSQL, which cannot hold NUL at all; other controls they can.
    await append(`nonsense-${RLO}`, raw(`Nonsense${RLO}`, [1, 2, 3]));
    await append(`certification-${processId}`, raw('CertificateRevoked', { processId, folio, reason: `Fraude${NUL}${RLO}`, revokedAt: '2019-01-01T00:00:00.000Z' }));
  }

  it('folds what it can, parks what it cannot with the reason, and shows the revocation recorded after it all', async () => {
    await appendHostileLog(fixture.store);
    const head = await fixture.store.headPosition();
    const runner = new ProjectionRunner({
      connectionString: fixture.url,
      store: fixture.store,
      projections: ledgerProjections,
      batchSize: 4,
      retry: { attempts: 2, firstDelayMs: 10 },
    });
    await runner.start();
    try {
      await waitUntil(async () => {
        const rows = await fixture.sql<{ checkpoint: string }>(`SELECT checkpoint::text FROM read_models.projection_generations WHERE status = 'active'`);
        return rows.length === ledgerProjections.length && rows.every((row) => BigInt(row.checkpoint) >= head);
      });
    } finally {
      await runner.stop();
    }

    // The verifiable log holds every event as stored, hostile ones included: its root is the root of the log's leaves.
    const all = await fixture.store.readAll({ maxCount: 1000 });
    const [tree] = await fixture.sql<{ tree_size: string; root_hash: Buffer }>('SELECT tree_size::text, root_hash FROM read_models.log_edge');
    expect(tree).toEqual({ tree_size: String(all.length), root_hash: rootOfLeafHashes(all.map(logLeafHashOf)) });

    const verified = await new CertificateQueries(dataSource).verify(folio, '2019-06-01T00:00:00.000Z');
    expect(verified).toMatchObject({
      status: 'revoked',
      revokedAt: '2019-01-01T00:00:00.000Z',
      holderName: `Juan${SHOWN}Pérez${SHOWN}`,
      standardTitle: `Título${SHOWN}con${SHOWN}control${SHOWN}`,
      providerName: `Proveedor${SHOWN}hostil`,
    });

    const [process] = await fixture.sql(`SELECT agency, municipality, status FROM read_models.processes WHERE process_id = $1`, [processId]);
    expect(process).toEqual({ agency: `Agencia${SHOWN}${SHOWN}`, municipality: `Tijuana${SHOWN}`, status: 'revoked' });
    const [garbage] = await fixture.sql(
      `SELECT subject_id, standard_code, validity_years, agency, state, employment, enrolled_at FROM read_models.processes WHERE process_id = $1`,
      [garbageProcess],
    );
    // Wrong types are kept where a column can show them as text, and missing where they cannot be what the column holds.
    expect(garbage).toEqual({ subject_id: '7', standard_code: '["EC0105"]', validity_years: null, agency: '{"name":"x"}', state: null, employment: '42', enrolled_at: null });
    const [credential] = await fixture.sql(`SELECT credential_folio, valid_from::text FROM read_models.evaluator_accreditations WHERE evaluator_id = 'ev-hostile'`);
    expect(credential).toEqual({ credential_folio: `CED${SHOWN}1`, valid_from: '2018-02-01' });

    // The audit trail records every event, readable, whatever it held.
    const [audit] = await fixture.sql<{ events: string; unreadable: string }>(
      `SELECT count(*)::text AS events, count(*) FILTER (WHERE type = 'Nonsense' || chr(65533) AND stream_id = 'nonsense-' || chr(65533) AND actor_id = 'intruder' || chr(65533))::text AS unreadable FROM read_models.audit_events`,
    );
    expect(audit).toEqual({ events: String(head + 1n), unreadable: '1' });

    const queryable = { query: async (text: string, values?: unknown[]) => ({ rows: await fixture.sql(text, values) }) as never };
    const parked = await listParkedEvents(queryable);
    expect(parked.map((event) => [event.projection, event.streamId, event.eventType, event.attempts])).toEqual([
      ['certification', 'certification-broken', 'CertificateIssued', 2],
      ['certification', 'certification-not-an-object', 'CertificateRevoked', 2],
    ]);
    expect(parked[0].error).toMatch(/no usable (process_id|folio)/);

    // After a fix (here: none, so it fails again), an operator's replay is tried and the event stays parked with the new attempt.
    await requestReplay(queryable, { projection: 'certification' });
    const again = new ProjectionRunner({ connectionString: fixture.url, store: fixture.store, projections: ledgerProjections });
    await again.start();
    try {
      await waitUntil(async () => {
        const rows = await fixture.sql<{ pending: string }>(`SELECT count(*)::text AS pending FROM read_models.parked_events WHERE replay_requested_at IS NOT NULL`);
        return rows[0].pending === '0';
      });
    } finally {
      await again.stop();
    }
    const afterReplay = await fixture.sql<{ attempts: number }>(`SELECT attempts FROM read_models.parked_events ORDER BY position`);
    expect(afterReplay).toEqual([{ attempts: 3 }, { attempts: 3 }]);

    // With no projector running, the operator's command replays them itself, under the generation's lock.
    const requested = await requestReplay(queryable, { position: BigInt(parked[0].position) });
    expect(requested.map((event) => event.position)).toEqual([parked[0].position]);
    const outcomes = await replayWithoutFeeder(fixture.url, fixture.store, certificationProjection, requested[0].generationId);
    expect(outcomes).toEqual([{ position: parked[0].position, replayed: false, error: expect.stringMatching(/no usable/) }]);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  await eventually(check, timeoutMs, 50);
}
