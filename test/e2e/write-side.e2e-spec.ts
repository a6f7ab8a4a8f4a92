import { PostgresEventStore } from '@ledger/event-store';
import { createTestDatabase } from '../support/test-database';
import {
  Callers,
  callersFor,
  competentProcess,
  enrollmentBody,
  EVIDENCE,
  nextPerson,
  post,
  PROVIDER_ID,
  seedReferenceData,
} from './support/ledger-client';
import { LedgerServer, startLedgerServer } from './support/ledger-server';

describe('write side over HTTP', () => {
  let database: { url: string; drop: () => Promise<void> };
  let server: LedgerServer;
  let store: PostgresEventStore;
  let callers: Callers;

  beforeAll(async () => {
    database = await createTestDatabase('write_side');
    server = await startLedgerServer({ databaseUrl: database.url, env: { LOG_LEVEL: 'info' } });
    store = new PostgresEventStore(database.url);
    callers = callersFor(server);
    await seedReferenceData(server, callers);
  });

  afterAll(async () => {
    await store?.close();
    await server?.kill('SIGTERM');
    await database?.drop();
  });

  it('walks from RegisterStandard EC0105 to a folio, then revokes it', async () => {
    const person = nextPerson();
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(person));
    expect(enrolled.status).toBe(201);
    expect(enrolled.body).toEqual({ processId: expect.any(String), subjectId: expect.stringMatching(/^[0-9a-f]{64}$/), position: expect.stringMatching(/^\d+$/) });
    const { processId } = enrolled.body;

    const trained = await post(server, `/v1/enrollments/${processId}/trainings`, callers.registrar, { trainerId: 'trainer-1', hours: 20, completedAt: '2018-10-15T18:00:00Z' });
    expect(trained.status).toBe(201);
    const evaluated = await post(server, `/v1/enrollments/${processId}/evaluations`, callers.evaluator, { result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: '2018-11-01T16:00:00Z' });
    expect(evaluated.status).toBe(201);
    const issued = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T17:00:00Z' });
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({ folio: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/), validUntil: '2023-11-13T17:00:00.000Z', position: expect.any(String) });
    expect(BigInt(issued.body.position)).toBeGreaterThan(BigInt(evaluated.body.position));

    const events = await store.readStream(`certification-${processId}`);
    expect(events.map((event) => event.type)).toEqual(['CandidateEnrolled', 'TrainingRecorded', 'EvaluationRecorded', 'CertificateIssued']);
    expect(events[3].metadata).toMatchObject({
      actor: { id: 'certifier-1', role: 'certifier', organizationId: PROVIDER_ID },
      occurredAt: '2018-11-13T17:00:00.000Z',
      schemaVersion: 1,
      commandId: expect.any(String),
      correlationId: expect.any(String),
    });
    expect(events[3].metadata.causationId).toBe(events[3].metadata.commandId);

    const revoked = await post(server, `/v1/certificates/${issued.body.folio.toLowerCase()}/revocation`, callers.authority, { reason: 'Evidence was fabricated' });
    expect(revoked.status).toBe(201);
    expect((await store.readStream(`certification-${processId}`)).at(-1)?.type).toBe('CertificateRevoked');
    expect(server.output()).not.toContain(person.curp);
  });
});
