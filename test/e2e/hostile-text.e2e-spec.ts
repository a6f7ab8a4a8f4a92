import { randomUUID } from 'node:crypto';
import { EVENT_REGISTRY, schemaVersionOf, type EventStore, type LedgerEventType, type NewEvent } from '@ledger/event-store';
import request from 'supertest';
import { eventually } from '../support/eventually';
import { Callers, callersFor, EVALUATOR_ID, EVIDENCE, enrollmentBody, nextPerson, post, PROVIDER_ID, seedReferenceData } from './support/ledger-client';
import { eventStoreDbMode, POSTGRES_MODE, type LedgerMode, type LedgerUnderTest } from './support/ledger-modes';
import { runCli, type LedgerServer } from './support/ledger-server';

const HOSTILE: readonly [string, string][] = [
  ['a NUL byte', 'Ana\u0000Ruiz'],
  ['a lone surrogate', 'Ana\uD800Ruiz'],
  ['a bidirectional override', 'Ana\u202ERuiz'],
];
const SHOWN = '\uFFFD';

interface CommandCase {
  readonly name: string;
  readonly path: () => string;
  readonly caller: keyof Callers;
  readonly body: () => Record<string, unknown>;
}

/** Sets a dotted path of a body to a value. */
function withValue(body: Record<string, unknown>, path: string, value: string): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) return { ...body, [head]: value };
  return { ...body, [head]: withValue(body[head] as Record<string, unknown>, rest.join('.'), value) };
}

/** Every string field of a body, as dotted paths (list items named by the list). */
function stringFields(body: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(body).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') return [path];
    if (value && typeof value === 'object' && !Array.isArray(value)) return stringFields(value as Record<string, unknown>, path);
    return [];
  });
}

/**
 * Text is text at the edge (every string field of every command refuses
 * NUL, lone surrogates and bidi overrides with a 400 naming the field, and
 * nothing is written), and the readers cope with whatever the log already
 * holds: the same text appended straight through the port, in both event
 * stores, is folded, and a revocation recorded after it reaches the public
 * registry. An event no projection can fold is parked, which readiness and
 * the operators' command report.
 */
describe.each<LedgerMode>([POSTGRES_MODE, eventStoreDbMode('DATABASE_URL')])('hostile text: $name', (mode) => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let store: EventStore;
  let callers: Callers;
  let processId: string;

  beforeAll(async () => {
    ledger = await mode.start({ databasePrefix: 'hostile_text' });
    ({ server, store } = ledger);
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody());
    processId = enrolled.body.processId;
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  let unique = 0;
  const fresh = (prefix: string) => `${prefix}-${++unique}-${randomUUID().slice(0, 6)}`;
  const commands: CommandCase[] = [
    { name: 'RegisterStandard', path: () => '/v1/standards', caller: 'authority', body: () => ({ code: `EC${String(1000 + unique).slice(-4)}`, version: '01', title: 'Atención', validityYears: 5 }) },
    {
      name: 'AccreditProvider',
      path: () => '/v1/providers',
      caller: 'authority',
      body: () => ({ providerId: fresh('OC'), kind: 'OC', name: 'Organismo', accreditationCode: 'OC-1', standards: ['EC0105'], validFrom: '2018-01-01', validUntil: '2030-12-31' }),
    },
    {
      name: 'AccreditEvaluator',
      path: () => '/v1/evaluators',
      caller: 'certifier',
      body: () => ({ evaluatorId: fresh('ev'), ...nextPerson('CH'), providerId: PROVIDER_ID, standards: ['EC0105'], credentialFolio: 'CED-1', validFrom: '2018-01-01', validUntil: '2030-12-31' }),
    },
    { name: 'RevokeEvaluatorAccreditation', path: () => `/v1/evaluators/${EVALUATOR_ID}/revocations`, caller: 'certifier', body: () => ({ standardCode: 'EC0105', reason: 'Auditoría' }) },
    { name: 'EnrollCandidate', path: () => '/v1/enrollments', caller: 'registrar', body: () => enrollmentBody() },
    { name: 'RecordTraining', path: () => `/v1/enrollments/${processId}/trainings`, caller: 'registrar', body: () => ({ trainerId: 'trainer-1', hours: 20, completedAt: '2018-10-15T00:00:00Z' }) },
    { name: 'RecordEvaluation', path: () => `/v1/enrollments/${processId}/evaluations`, caller: 'evaluator', body: () => ({ result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: '2018-11-01T16:00:00Z' }) },
    { name: 'IssueCertificate', path: () => `/v1/enrollments/${processId}/certificate`, caller: 'certifier', body: () => ({ issuedAt: '2018-11-13T17:00:00Z' }) },
    { name: 'RevokeCertificate', path: () => '/v1/certificates/0000-0000-0000-0/revocation', caller: 'authority', body: () => ({ reason: 'Fraude', revokedAt: '2019-01-01T00:00:00Z' }) },
  ];

  const cases = commands.flatMap((command) =>
    stringFields(command.body()).flatMap((field) => HOSTILE.map(([flaw, value]) => [`${command.name}.${field} with ${flaw}`, command, field, value] as const)),
  );

  it.each(cases)('%s is a 400 naming the field, and writes nothing', async (_name, command, field, value) => {
    const head = await store.headPosition();
    const response = await post(server, command.path(), callers[command.caller], withValue(command.body(), field, value));
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect((response.body.errors as { field: string }[]).map((error) => error.field)).toContain(field);
    expect(await store.headPosition()).toBe(head);
  });

  it('folds the same text appended straight into the store, and shows a revocation recorded after it', async () => {
    const person = nextPerson();
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(person));
    const { processId: certified, subjectId } = enrolled.body as { processId: string; subjectId: string };
    expect((await post(server, `/v1/enrollments/${certified}/evaluations`, callers.evaluator, { result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: '2018-11-01T16:00:00Z' })).status).toBe(201);
    const issued = await post(server, `/v1/enrollments/${certified}/certificate`, callers.certifier, { issuedAt: '2018-11-13T17:00:00Z' });
    const { folio } = issued.body as { folio: string };

    const otherProcess = randomUUID();
    const [nul, lone, bidi] = HOSTILE.map(([, value]) => value);
    await store.appendToStream(`person-${subjectId}`, [raw('PersonalDataRectified', { subjectId, fullName: `${nul} ${lone}`, rectifiedAt: '2019-02-01T00:00:00.000Z' })], { expectedRevision: 'any' });
    await store.appendToStream(`certification-${otherProcess}`, [
      raw('CandidateEnrolled', {
        processId: otherProcess, subjectId, standardCode: 'EC0105', standardVersion: '01', validityYears: 5, providerId: PROVIDER_ID, centreId: PROVIDER_ID,
        agency: bidi, jurisdiction: { state: 'BC', municipality: lone }, employment: 'base', enrolledAt: 'not a date',
      }),
    ], { expectedRevision: 'any' });
    await store.appendToStream(`standard-ECX${unique}`, [raw('StandardRegistered', { code: `ECX${unique}`, version: '01', title: nul, validityYears: 'five', registeredAt: 'never' })], { expectedRevision: 'any' });

    const revoked = await post(server, `/v1/certificates/${folio}/revocation`, callers.certifier, { reason: 'Documentos falsos', revokedAt: '2019-03-01T00:00:00Z' });
    expect(revoked.status).toBe(201);
    const answer = await request(server.baseUrl).get(`/v1/public/certificates/${folio}`).query({ minPosition: revoked.body.position });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ folio, status: 'revoked', revokedAt: '2019-03-01T00:00:00.000Z', holderName: `${displayed(nul)} ${displayed(lone)}` });
    expect(BigInt(answer.headers['ledger-position'])).toBeGreaterThanOrEqual(BigInt(revoked.body.position));

    const process = await request(server.baseUrl).get(`/v1/enrollments/${otherProcess}`).set('Authorization', callers.comptroller);
    expect(process.status).toBe(200);
    expect(process.body).toMatchObject({ agency: displayed(bidi), jurisdiction: { state: 'BC', municipality: displayed(lone) } });
    const ready = await request(server.baseUrl).get('/health/ready');
    expect(ready.body).toMatchObject({ status: 'ready', reasons: [] });
    expect(ready.status).toBe(200);
  });

  it('parks an event no projection can fold, reports it in readiness and to the operator, and keeps folding', async () => {
    await store.appendToStream('certification-garbled', [raw('CertificateRevoked', 'revoke everything')], { expectedRevision: 'any' });
    const after = await post(server, '/v1/standards', callers.authority, { code: 'EC0301', version: '01', title: 'Diseño de cursos', validityYears: 5 });
    expect(after.status).toBe(201);
    // The projections went on past it: read-your-writes of a later command answers.
    const audit = await request(server.baseUrl).get('/v1/audit/events').query({ type: 'StandardRegistered', minPosition: after.body.position, limit: 100 }).set('Authorization', callers.comptroller);
    expect(audit.status).toBe(200);
    const ready = await eventually(async () => {
      const response = await request(server.baseUrl).get('/health/ready');
      return response.status === 503 ? response : undefined;
    });
    expect(ready.body.reasons).toEqual([expect.stringMatching(/^certification: 1 parked event/)]);
    expect(ready.body.projections).toContainEqual(expect.objectContaining({ name: 'certification', parked: 1 }));
    if (ledger.eventStore !== 'postgresql') return;
    const listed = await runCli(['projections', 'parked', '--json'], { DATABASE_URL: await ledger.postgresUrl(), LEDGER_DATA_DIR: server.dataDir });
    expect(listed.code).toBe(0);
    const parked = listed.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(parked).toEqual([expect.objectContaining({ projection: 'certification', streamId: 'certification-garbled', eventType: 'CertificateRevoked', attempts: 4 })]);
    expect(server.output()).toMatch(/parked the event at position \d+ .*CertificateRevoked/);
    // Replaying it without a fix: the running projector folds it again, it fails again, and stays parked.
    const replayed = await runCli(['projections', 'replay', '--projection', 'certification', '--wait', '20'], { DATABASE_URL: await ledger.postgresUrl(), LEDGER_DATA_DIR: server.dataDir });
    expect(replayed.stdout).toMatch(/certification position \d+ \(CertificateRevoked\): failed again: /);
    expect(replayed.stderr).toMatch(/1 of 1 parked events failed again/);
    expect(replayed.code).toBe(1);
  });
});

/** How readers show hostile text: every flaw a U+FFFD. */
function displayed(text: string): string {
  return text.replace(/[\u0000\uD800\u202E]/g, SHOWN);
}

function raw(type: string, data: unknown): NewEvent {
  const commandId = randomUUID();
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      actor: { id: 'intruder', role: 'certifier', organizationId: PROVIDER_ID },
      commandId,
      correlationId: commandId,
      causationId: commandId,
      occurredAt: '2019-02-01T00:00:00.000Z',
      recordedAt: new Date().toISOString(),
      schemaVersion: type in EVENT_REGISTRY ? schemaVersionOf(type as LedgerEventType) : 1,
    },
  };
}
