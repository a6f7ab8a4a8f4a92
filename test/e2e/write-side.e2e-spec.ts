import { type EventStore, type RecordedEvent } from '@ledger/event-store';
import { subjectIdOf } from '@ledger/platform';
import { Client } from 'pg';
import request from 'supertest';
import { commandIdFor, eventIdFor, uuidV5 } from '../../apps/ledger/src/platform/idempotency/command-ids';
import {
  Callers,
  callersFor,
  CENTRE_ID,
  competentProcess,
  enrollmentBody,
  EVALUATOR_ID,
  EVIDENCE,
  nextPerson,
  post,
  PROVIDER_ID,
  seedReferenceData,
} from './support/ledger-client';
import { eventStoreDbMode, POSTGRES_MODE, type LedgerMode, type LedgerUnderTest } from './support/ledger-modes';
import { LedgerServer } from './support/ledger-server';
import { signToken } from './support/tokens';

/**
 * Every write-side check, once per event store: PostgreSQL (DATABASE_URL),
 * and EventStoreDB (the wire-level test server) with nothing configured but
 * EVENTSTORE_CONNECTION_STRING, read models and idempotency records then
 * going to the embedded PostgreSQL. The store is read back through the same
 * port the ledger writes through; on EventStoreDB its readAll and
 * headPosition leave out the server's own events ($statsCollected, …),
 * which the test server writes all along.
 */
describe.each<LedgerMode>([POSTGRES_MODE, eventStoreDbMode('embedded')])('write side over HTTP: $name', (mode) => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let store: EventStore;
  let callers: Callers;
  const curpsSent: string[] = [];

  async function allEvents(): Promise<RecordedEvent[]> {
    return store.readAll();
  }

  beforeAll(async () => {
    ledger = await mode.start({ databasePrefix: 'write_side', server: { env: { LOG_LEVEL: 'info' } } });
    ({ server, store } = ledger);
    callers = callersFor(server);
    await seedReferenceData(server, callers);
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it('walks from RegisterStandard EC0105 to a folio, then revokes it', async () => {
    const person = nextPerson();
    curpsSent.push(person.curp);
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
    });
    expect(events[3].metadata.causationId).toBe(events[3].metadata.commandId);
    expect(Date.parse(events[3].metadata.recordedAt)).toBeGreaterThan(Date.parse('2024-01-01'));
    expect((await store.readStream(`folio-${issued.body.folio}`)).map((event) => event.type)).toEqual(['FolioAssigned']);

    const again = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, {});
    expect(again.status).toBe(201);
    expect(again.body).toEqual(issued.body);

    // Folios are accepted as typed: lower case, without hyphens.
    const typed = issued.body.folio.toLowerCase().replace(/-/g, '');
    const revoked = await post(server, `/v1/certificates/${typed}/revocation`, callers.authority, { reason: 'Evidence was fabricated' });
    expect(revoked.status).toBe(201);
    expect((await store.readStream(`certification-${processId}`)).at(-1)?.type).toBe('CertificateRevoked');
    const revokedAgain = await post(server, `/v1/certificates/${typed}/revocation`, callers.authority, { reason: 'twice' });
    expect(revokedAgain.status).toBe(409);
    expect(revokedAgain.body.code).toBe('CERTIFICATE_ALREADY_REVOKED');
  });

  it('keeps personal data on the person stream only, and out of the logs', async () => {
    const person = nextPerson();
    curpsSent.push(person.curp);
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(person));
    expect(enrolled.status).toBe(201);
    const { subjectId, processId } = enrolled.body;
    expect(subjectId).toBe(subjectIdOf(server.secrets.subjectKey, person.curp));
    const personEvents = await store.readStream(`person-${subjectId}`);
    expect(personEvents.map((event) => event.type)).toEqual(['PersonRegistered', 'EnrollmentOpened']);
    const process = await store.readStream(`certification-${processId}`);
    expect(JSON.stringify(process, (_, value) => (typeof value === 'bigint' ? value.toString() : value))).not.toContain(person.curp);
    const log = server.output();
    for (const curp of curpsSent) expect(log).not.toContain(curp);
    expect(log).toContain('"correlationId"');
  });

  it('refuses a second open process for the same person and standard (409), whoever enrolls', async () => {
    const person = nextPerson();
    expect((await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(person))).status).toBe(201);
    const second = await post(server, '/v1/enrollments', callers.providerRegistrar, enrollmentBody(person, { fullName: 'Otro Nombre' }));
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'ALREADY_ENROLLED', status: 409 });
  });

  it('answers every command route for its roles, and 401/403 for the others', async () => {
    const processId = await competentProcess(server, callers);
    const routes: { path: string; allowed: (keyof Callers)[]; body: Record<string, unknown> }[] = [
      { path: '/v1/standards', allowed: ['authority'], body: { code: 'EC0217', version: '01', title: 'Impartición de cursos', validityYears: 3 } },
      { path: '/v1/providers', allowed: ['authority'], body: { providerId: 'OC-900', kind: 'OC', name: 'OC', accreditationCode: 'OC-900', standards: ['EC0105'], validFrom: '2018-01-01', validUntil: '2030-12-31' } },
      { path: '/v1/evaluators', allowed: ['certifier'], body: { evaluatorId: 'eval-0099', ...nextPerson('JC'), providerId: PROVIDER_ID, standards: ['EC0105'], credentialFolio: 'CED-99', validUntil: '2030-12-31' } },
      { path: '/v1/evaluators/eval-0099/revocations', allowed: ['certifier', 'authority'], body: { standardCode: 'EC0105', reason: 'Left the provider' } },
      { path: '/v1/enrollments', allowed: ['registrar', 'providerRegistrar'], body: enrollmentBody() },
      { path: `/v1/enrollments/${processId}/trainings`, allowed: ['registrar', 'providerRegistrar'], body: { trainerId: 'trainer-2', hours: 8, completedAt: '2018-10-20T10:00:00Z' } },
      { path: `/v1/enrollments/${processId}/evaluations`, allowed: ['evaluator'], body: { result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: '2018-11-02T10:00:00Z' } },
      { path: `/v1/enrollments/${processId}/certificate`, allowed: ['certifier'], body: {} },
      { path: '/v1/certificate-batches', allowed: ['certifier'], body: { processIds: [processId] } },
      { path: '/v1/certificates/0000-0000-0000-0/revocation', allowed: ['certifier', 'authority'], body: { reason: 'x' } },
    ];
    const roles: (keyof Callers)[] = ['authority', 'certifier', 'registrar', 'evaluator', 'comptroller'];
    for (const route of routes) {
      const head = await store.headPosition();
      const anonymous = await post(server, route.path, undefined, route.body);
      expect([route.path, anonymous.status, anonymous.headers['content-type']]).toEqual([route.path, 401, expect.stringContaining('application/problem+json')]);
      expect(anonymous.headers['www-authenticate']).toBe('Bearer');
      const allowedRoles: (keyof Callers)[] = route.allowed.map((caller) => (caller === 'providerRegistrar' ? 'registrar' : caller));
      for (const role of roles.filter((candidate) => !allowedRoles.includes(candidate))) {
        const refused = await post(server, route.path, callers[role], route.body);
        expect([route.path, role, refused.status, refused.body.code]).toEqual([route.path, role, 403, 'ROLE_NOT_ALLOWED']);
      }
      expect(await store.headPosition()).toBe(head);
    }
    // In the order of the table, each route with its first allowed role writes something.
    const expected = [201, 201, 201, 201, 201, 201, 409, 201, 200, 404];
    const statuses: number[] = [];
    for (const route of routes) statuses.push((await post(server, route.path, callers[route.allowed[0]], route.body)).status);
    expect(statuses).toEqual(expected);
  });

  it('refuses bad, expired and foreign tokens with 401', async () => {
    const body = { code: 'EC0301', version: '01', title: 'Diseño de cursos', validityYears: 3 };
    const key = server.secrets.tokenKey;
    const cases: [string, string][] = [
      ['garbage', 'Bearer not-a-token'],
      ['wrong key', `Bearer ${signToken('another-key-another-key-another-key', { sub: 'a', role: 'authority', org: 'CONOCER' })}`],
      ['expired', `Bearer ${signToken(key, { sub: 'a', role: 'authority', org: 'CONOCER' }, -60)}`],
      ['unknown role', `Bearer ${signToken(key, { sub: 'a', role: 'superuser', org: 'CONOCER' })}`],
      ['org with spaces', `Bearer ${signToken(key, { sub: 'a', role: 'authority', org: 'CON OCER' })}`],
      ['basic auth', 'Basic YTpi'],
    ];
    for (const [name, authorization] of cases) {
      const response = await post(server, '/v1/standards', authorization, body);
      expect([name, response.status]).toEqual([name, 401]);
      expect(response.body.code).toBe(name === 'expired' ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED');
    }
  });

  it("refuses another provider's certifier (403) and an evaluator judging for someone else", async () => {
    const processId = await competentProcess(server, callers);
    const foreign = await post(server, `/v1/enrollments/${processId}/certificate`, callers.otherCertifier, {});
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('NOT_ENROLLING_PROVIDER');
    const notAccredited = `Bearer ${signToken(server.secrets.tokenKey, { sub: 'eval-unknown', role: 'evaluator', org: PROVIDER_ID })}`;
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody());
    const judged = await post(server, `/v1/enrollments/${enrolled.body.processId}/evaluations`, notAccredited, { result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: '2018-11-01T10:00:00Z' });
    expect(judged.status).toBe(422);
    expect(judged.body.code).toBe('EVALUATOR_NOT_ACCREDITED');
    const notCompetent = await post(server, `/v1/enrollments/${enrolled.body.processId}/certificate`, callers.certifier, {});
    expect(notCompetent.status).toBe(422);
    expect(notCompetent.body.code).toBe('NOT_COMPETENT');
  });

  it('issues exactly one certificate for twenty concurrent IssueCertificate calls', async () => {
    const processId = await competentProcess(server, callers);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T17:00:00Z' })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    expect(new Set(responses.map((response) => response.body.folio)).size).toBe(1);
    const issued = (await store.readStream(`certification-${processId}`)).filter((event) => event.type === 'CertificateIssued');
    expect(issued).toHaveLength(1);
    const folio = responses[0].body.folio;
    expect(await store.readStream(`folio-${folio}`)).toHaveLength(1);
    expect(new Set(responses.map((response) => response.body.position))).toEqual(new Set([issued[0].position.toString()]));
  });

  it('replays the first response for the same Idempotency-Key and body, writing nothing more', async () => {
    const body = enrollmentBody();
    const first = await post(server, '/v1/enrollments', callers.registrar, body, { 'Idempotency-Key': 'enroll-key-1' });
    expect(first.status).toBe(201);
    const head = await store.headPosition();
    // Same body with its keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const second = await post(server, '/v1/enrollments', callers.registrar, reordered, { 'Idempotency-Key': 'enroll-key-1' });
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await store.headPosition()).toBe(head);
    const events = (await allEvents()).filter((event) => event.metadata.commandId === commandIdFor('registrar:CECATI-149:registrar-1', 'enroll-key-1'));
    expect(events.map((event) => event.type)).toEqual(['PersonRegistered', 'EnrollmentOpened', 'CandidateEnrolled']);

    const other = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(), { 'Idempotency-Key': 'enroll-key-1' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Keys belong to their caller: another caller's identical key is another command.
    const otherCaller = await post(server, '/v1/enrollments', callers.providerRegistrar, enrollmentBody(), { 'Idempotency-Key': 'enroll-key-1' });
    expect(otherCaller.status).toBe(201);
  });

  it('handles concurrent requests with one Idempotency-Key as one command', async () => {
    const processId = await competentProcess(server, callers);
    const head = await store.headPosition();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, {}, { 'Idempotency-Key': `issue-${processId}` })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(201));
    expect(new Set(responses.map((response) => JSON.stringify(response.body))).size).toBe(1);
    expect(responses.filter((response) => response.headers['idempotent-replayed'] === 'true')).toHaveLength(7);
    const written = (await store.readAll({ fromPosition: head + 1n })).map((event) => event.type);
    expect(written).toEqual(['FolioAssigned', 'CertificateIssued']);
  });

  it('issues a batch with a result per process, refusing only the items that break a rule', async () => {
    const ready = [await competentProcess(server, callers), await competentProcess(server, callers)];
    const enrolledOnly = (await post(server, '/v1/enrollments', callers.registrar, enrollmentBody())).body.processId as string;
    const unknown = '6f1c1a8e-0000-4000-8000-000000000000';
    const response = await post(server, '/v1/certificate-batches', callers.certifier, { processIds: [...ready, enrolledOnly, unknown], issuedAt: '2018-11-13T17:00:00Z' });
    expect(response.status).toBe(200);
    expect(response.body.results).toEqual([
      { processId: ready[0], status: 'issued', folio: expect.any(String), validUntil: '2023-11-13T17:00:00.000Z', position: expect.any(String) },
      { processId: ready[1], status: 'issued', folio: expect.any(String), validUntil: '2023-11-13T17:00:00.000Z', position: expect.any(String) },
      { processId: enrolledOnly, status: 'rejected', error: { status: 422, code: 'NOT_COMPETENT', detail: expect.any(String) } },
      { processId: unknown, status: 'rejected', error: { status: 404, code: 'PROCESS_NOT_FOUND', detail: expect.any(String) } },
    ]);
    const itemEvent = (await store.readStream(`certification-${ready[0]}`)).at(-1);
    expect(itemEvent?.metadata.causationId).not.toBe(itemEvent?.metadata.commandId);
    const tooMany = await post(server, '/v1/certificate-batches', callers.certifier, { processIds: Array.from({ length: 5001 }, (_, i) => uuidV5(`n${i}`)) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].field).toBe('processIds');
  });

  it('completes an enrollment interrupted between its two appends, on retry and for the next enrollment', async () => {
    const scope = 'registrar:CECATI-149:registrar-1';
    const interrupt = async (key: string, person: { curp: string; fullName: string }, recordedAt: string) => {
      const commandId = commandIdFor(scope, key);
      const processId = uuidV5(`process:${commandId}`);
      const subjectId = subjectIdOf(server.secrets.subjectKey, person.curp);
      const stream = `person-${subjectId}`;
      const metadata = {
        actor: { id: 'registrar-1', role: 'registrar' as const, organizationId: CENTRE_ID },
        commandId,
        correlationId: 'interrupted',
        causationId: commandId,
        occurredAt: '2018-10-01T15:00:00.000Z',
        recordedAt,
        schemaVersion: 1,
      };
      await store.appendToStream(
        stream,
        [
          { id: eventIdFor(commandId, stream, 0), type: 'PersonRegistered', data: { subjectId, ...person, registeredAt: recordedAt }, metadata },
          { id: eventIdFor(commandId, stream, 1), type: 'EnrollmentOpened', data: { subjectId, processId, standardCode: 'EC0105', openedAt: '2018-10-01T15:00:00.000Z' }, metadata },
        ],
        { expectedRevision: 'no_stream' },
      );
      return processId;
    };

    // The same command retried: its own process is completed with the same ids.
    const retried = nextPerson();
    const retriedProcess = await interrupt('crashed-once', retried, new Date().toISOString());
    const retry = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(retried), { 'Idempotency-Key': 'crashed-once' });
    expect(retry.status).toBe(201);
    expect(retry.body.processId).toBe(retriedProcess);
    expect((await store.readStream(`certification-${retriedProcess}`)).map((event) => event.type)).toEqual(['CandidateEnrolled']);

    // Never retried: a recent interruption still blocks (it may be in flight), an old one is taken over.
    const abandoned = nextPerson();
    const abandonedProcess = await interrupt('crashed-for-good', abandoned, new Date(Date.now() - 5 * 60_000).toISOString());
    const next = await post(server, '/v1/enrollments', callers.providerRegistrar, enrollmentBody(abandoned));
    expect(next.status).toBe(201);
    expect(next.body.processId).toBe(abandonedProcess);
    const completed = await store.readStream(`certification-${abandonedProcess}`);
    expect(completed.map((event) => event.type)).toEqual(['CandidateEnrolled']);
    expect(completed[0].metadata.actor.id).toBe('registrar-ece');
    const blocked = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(abandoned));
    expect(blocked.status).toBe(409);
  });

  it('revokes an evaluator accreditation, after which the evaluator cannot judge', async () => {
    const evaluatorId = 'eval-0042';
    const accredited = await post(server, '/v1/evaluators', callers.certifier, {
      evaluatorId, ...nextPerson('SR'), providerId: PROVIDER_ID, standards: ['EC0105'], credentialFolio: 'CED-42', validUntil: '2030-12-31',
    });
    expect(accredited.status).toBe(201);
    expect((await post(server, `/v1/evaluators/${evaluatorId}/revocations`, callers.authority, { standardCode: 'EC0105', reason: 'Audit finding' })).status).toBe(201);
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody());
    const token = `Bearer ${signToken(server.secrets.tokenKey, { sub: evaluatorId, role: 'evaluator', org: PROVIDER_ID })}`;
    const judged = await post(server, `/v1/enrollments/${enrolled.body.processId}/evaluations`, token, { result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: '2018-11-01T10:00:00Z' });
    expect(judged.status).toBe(422);
    expect(judged.body.code).toBe('EVALUATOR_NOT_ACCREDITED');
    expect(EVALUATOR_ID).not.toBe(evaluatorId);
  });

  it('replays a keyed revocation without revoking twice', async () => {
    const processId = await competentProcess(server, callers);
    const issued = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T17:00:00Z' });
    expect(issued.status).toBe(201);
    const body = { reason: 'Issued to the wrong person' };
    const path = `/v1/certificates/${issued.body.folio}/revocation`;
    const revoked = await post(server, path, callers.certifier, body, { 'Idempotency-Key': 'revoke-1' });
    const replayed = await post(server, path, callers.certifier, body, { 'Idempotency-Key': 'revoke-1' });
    expect([revoked.status, replayed.status]).toEqual([201, 201]);
    expect(replayed.body).toEqual(revoked.body);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    const events = await store.readStream(`certification-${processId}`);
    expect(events.map((event) => event.type)).toEqual(['CandidateEnrolled', 'EvaluationRecorded', 'CertificateIssued', 'CertificateRevoked']);
    expect(events[3].position.toString()).toBe(revoked.body.position);
  });

  it('keeps the events in its event store and the idempotency records in PostgreSQL', async () => {
    const body = { code: 'EC0435', version: '01', title: 'Prestación de servicios de atención a personas', validityYears: 3 };
    const registered = await post(server, '/v1/standards', callers.authority, body, { 'Idempotency-Key': 'register-ec0435' });
    expect(registered.status).toBe(201);
    const events = await store.readStream('standard-EC0435');
    expect(events.map((event) => [event.type, event.position.toString()])).toEqual([['StandardRegistered', registered.body.position]]);

    const database = new Client({ connectionString: await ledger.postgresUrl() });
    await database.connect();
    try {
      const { rows } = await database.query<{ events_table: string | null; keys: string }>(
        "SELECT to_regclass('event_store.events')::text AS events_table, (SELECT count(*) FROM ledger.idempotency_keys WHERE key = 'register-ec0435') AS keys",
      );
      expect(rows[0].keys).toBe('1');
      // PostgreSQL holds the events only when it is the event store.
      expect(rows[0].events_table).toBe(ledger.eventStore === 'postgresql' ? 'event_store.events' : null);
    } finally {
      await database.end();
    }

    if (ledger.esdb) {
      expect(ledger.esdb.log.streamRecords('standard-EC0435')?.map((record) => record.type)).toEqual(['StandardRegistered']);
      // The node's own events were written between the ledger's all along, so the
      // checks above that nothing was written held with them in the log.
      const records = ledger.esdb.log.records;
      const firstOwn = records.findIndex((record) => !record.type.startsWith('$'));
      expect(records.slice(firstOwn).filter((record) => record.type === '$statsCollected').length).toBeGreaterThan(0);
    }
  });

  it('echoes the correlation id, and generates one when absent', async () => {
    const given = await request(server.baseUrl).get('/health').set('X-Correlation-Id', 'trace-123');
    expect(given.headers['x-correlation-id']).toBe('trace-123');
    const generated = await post(server, '/v1/standards', undefined, {});
    expect(generated.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.body.correlationId).toBe(generated.headers['x-correlation-id']);
    const hostile = await request(server.baseUrl).get('/health').set('X-Correlation-Id', 'x'.repeat(500));
    expect(hostile.headers['x-correlation-id']).not.toBe('x'.repeat(500));
  });

  it('serves the OpenAPI document and UI without a token', async () => {
    const document = await request(server.baseUrl).get('/docs-json');
    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining(['/v1/standards', '/v1/providers', '/v1/evaluators', '/v1/evaluators/{evaluatorId}/revocations', '/v1/enrollments', '/v1/enrollments/{processId}/trainings', '/v1/enrollments/{processId}/evaluations', '/v1/enrollments/{processId}/certificate', '/v1/certificate-batches', '/v1/certificates/{folio}/revocation', '/health']),
    );
    expect(document.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.body.paths['/v1/enrollments'].post.security).toEqual([{ bearer: [] }]);
    const ui = await request(server.baseUrl).get('/docs/');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });
});
