import type { EventStore } from '@ledger/event-store';
import request from 'supertest';
import { Callers, callersFor, competentProcess, enrollmentBody, EVIDENCE, nextPerson, post, PROVIDER_ID, seedReferenceData } from './support/ledger-client';
import { eventStoreDbMode, POSTGRES_MODE, type LedgerMode, type LedgerUnderTest } from './support/ledger-modes';
import { LedgerServer } from './support/ledger-server';

const SOME_UUID = 'e3b0c442-98fc-4c14-9afb-f4c8996fb924';

interface BadBody {
  name: string;
  path: () => string;
  caller: keyof Callers;
  body: unknown;
  /** Every field the answer must name. */
  fields: string[];
  code?: string;
}

/**
 * Bad requests are answered 400 (or 413) with problem+json naming each
 * offending field, and write nothing; no request of any shape gets a 500.
 * Once per event store: PostgreSQL, and EventStoreDB (the test server) with
 * its read models and idempotency records at DATABASE_URL ("nothing written"
 * is the adapter's headPosition, which skips the node's own events).
 */
describe.each<LedgerMode>([POSTGRES_MODE, eventStoreDbMode('DATABASE_URL')])('request validation and fuzzing: $name', (mode) => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let store: EventStore;
  let callers: Callers;
  let processId: string;

  beforeAll(async () => {
    ledger = await mode.start({ databasePrefix: 'validation' });
    ({ server, store } = ledger);
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    processId = await competentProcess(server, callers);
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  const standard = { code: 'EC0217', version: '01', title: 'Impartición de cursos', validityYears: 3 };
  const provider = { providerId: 'OC-555', kind: 'OC', name: 'OC', accreditationCode: 'OC-555', standards: ['EC0105'], validFrom: '2018-01-01', validUntil: '2030-12-31' };
  const badBodies: BadBody[] = [
    { name: 'empty standard', path: () => '/v1/standards', caller: 'authority', body: {}, fields: ['code', 'version', 'title', 'validityYears'] },
    { name: 'validityYears as text', path: () => '/v1/standards', caller: 'authority', body: { ...standard, validityYears: '5' }, fields: ['validityYears'] },
    { name: 'validityYears 11', path: () => '/v1/standards', caller: 'authority', body: { ...standard, validityYears: 11 }, fields: ['validityYears'] },
    { name: 'unknown field', path: () => '/v1/standards', caller: 'authority', body: { ...standard, admin: true }, fields: ['admin'], code: 'VALIDATION_FAILED' },
    { name: 'malformed standard code', path: () => '/v1/standards', caller: 'authority', body: { ...standard, code: 'XX12' }, fields: ['code'], code: 'STANDARD_CODE_FORMAT' },
    { name: 'title too long', path: () => '/v1/standards', caller: 'authority', body: { ...standard, title: 'x'.repeat(501) }, fields: ['title'] },
    { name: 'provider kind', path: () => '/v1/providers', caller: 'authority', body: { ...provider, kind: 'XYZ' }, fields: ['kind'] },
    { name: 'standards not a list', path: () => '/v1/providers', caller: 'authority', body: { ...provider, standards: 'EC0105' }, fields: ['standards'] },
    { name: 'validFrom in another format', path: () => '/v1/providers', caller: 'authority', body: { ...provider, validFrom: '01/02/2018' }, fields: ['validFrom'] },
    { name: 'validUntil not a real date', path: () => '/v1/providers', caller: 'authority', body: { ...provider, validUntil: '2030-02-30' }, fields: ['validUntil'], code: 'INVALID_DATE' },
    { name: 'providerId with spaces', path: () => '/v1/providers', caller: 'authority', body: { ...provider, providerId: 'OC 555' }, fields: ['providerId'] },
    {
      name: 'CURP check digit',
      path: () => '/v1/evaluators',
      caller: 'certifier',
      body: { evaluatorId: 'eval-x', curp: wrongCheckDigit(nextPerson().curp), fullName: 'N', providerId: PROVIDER_ID, standards: ['EC0105'], credentialFolio: 'C', validUntil: '2030-12-31' },
      fields: ['curp'],
      code: 'CURP_CHECK_DIGIT',
    },
    { name: 'enrollment without jurisdiction', path: () => '/v1/enrollments', caller: 'registrar', body: { ...enrollmentBody(), jurisdiction: undefined }, fields: ['jurisdiction'] },
    { name: 'jurisdiction.state a number', path: () => '/v1/enrollments', caller: 'registrar', body: enrollmentBody(undefined, { jurisdiction: { state: 5 } }), fields: ['jurisdiction.state'] },
    { name: 'unknown nested field', path: () => '/v1/enrollments', caller: 'registrar', body: enrollmentBody(undefined, { jurisdiction: { state: 'BC', zip: '22000' } }), fields: ['jurisdiction.zip'] },
    { name: 'employment', path: () => '/v1/enrollments', caller: 'registrar', body: enrollmentBody(undefined, { employment: 'contractor' }), fields: ['employment'] },
    { name: 'enrolledAt words', path: () => '/v1/enrollments', caller: 'registrar', body: enrollmentBody(undefined, { enrolledAt: 'yesterday' }), fields: ['enrolledAt'] },
    { name: 'enrolledAt impossible', path: () => '/v1/enrollments', caller: 'registrar', body: enrollmentBody(undefined, { enrolledAt: '2018-13-45T00:00:00Z' }), fields: ['enrolledAt'], code: 'INVALID_DATE' },
    { name: 'unknown state', path: () => '/v1/enrollments', caller: 'registrar', body: enrollmentBody(undefined, { jurisdiction: { state: 'ZZ' } }), fields: ['jurisdiction.state'], code: 'STATE_CODE_UNKNOWN' },
    { name: 'hours as text', path: () => `/v1/enrollments/${processId}/trainings`, caller: 'registrar', body: { trainerId: 't', hours: '20', completedAt: '2018-10-15T00:00:00Z' }, fields: ['hours'] },
    { name: 'negative hours', path: () => `/v1/enrollments/${processId}/trainings`, caller: 'registrar', body: { trainerId: 't', hours: -1, completedAt: '2018-10-15T00:00:00Z' }, fields: ['hours'] },
    { name: 'result', path: () => `/v1/enrollments/${processId}/evaluations`, caller: 'evaluator', body: { result: 'maybe', evidenceDigest: EVIDENCE, evaluatedAt: '2018-11-01T00:00:00Z' }, fields: ['result'] },
    { name: 'evidence digest', path: () => `/v1/enrollments/${processId}/evaluations`, caller: 'evaluator', body: { result: 'competent', evidenceDigest: 'md5:abc', evaluatedAt: '2018-11-01T00:00:00Z' }, fields: ['evidenceDigest'], code: 'EVIDENCE_DIGEST_FORMAT' },
    { name: 'issuedAt a number', path: () => `/v1/enrollments/${processId}/certificate`, caller: 'certifier', body: { issuedAt: 20181113 }, fields: ['issuedAt'] },
    { name: 'process id not a UUID', path: () => '/v1/enrollments/not-a-uuid/certificate', caller: 'certifier', body: {}, fields: ['processId'] },
    { name: 'batch of non-UUIDs', path: () => '/v1/certificate-batches', caller: 'certifier', body: { processIds: ['x'] }, fields: ['processIds'] },
    { name: 'empty batch', path: () => '/v1/certificate-batches', caller: 'certifier', body: { processIds: [] }, fields: ['processIds'] },
    { name: 'batch with duplicates', path: () => '/v1/certificate-batches', caller: 'certifier', body: { processIds: [SOME_UUID, SOME_UUID] }, fields: ['processIds'] },
    { name: 'revocation without reason', path: () => '/v1/certificates/0000-0000-0000-0/revocation', caller: 'authority', body: {}, fields: ['reason'] },
    { name: 'folio with a typo', path: () => '/v1/certificates/0000-0000-0000-1/revocation', caller: 'authority', body: { reason: 'r' }, fields: ['folio'], code: 'FOLIO_CHECK' },
    { name: 'evaluator id with spaces', path: () => '/v1/evaluators/a%20b/revocations', caller: 'authority', body: { standardCode: 'EC0105', reason: 'r' }, fields: ['evaluatorId'] },
  ];

  it.each(badBodies.map((bad) => [bad.name, bad] as const))('answers 400 naming the fields, writing nothing: %s', async (_, bad) => {
    const head = await store.headPosition();
    const response = await post(server, bad.path(), callers[bad.caller], bad.body);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 400, code: bad.code ?? expect.any(String), type: expect.any(String), title: 'Bad Request', instance: expect.stringContaining('/v1/') });
    const named = (response.body.errors as { field: string }[]).map((error) => error.field);
    expect(new Set(named)).toEqual(new Set(bad.fields));
    expect(await store.headPosition()).toBe(head);
  });

  const routes = (): { path: string; caller: keyof Callers }[] => [
    { path: '/v1/standards', caller: 'authority' },
    { path: '/v1/providers', caller: 'authority' },
    { path: '/v1/evaluators', caller: 'certifier' },
    { path: '/v1/evaluators/eval-0007/revocations', caller: 'authority' },
    { path: '/v1/enrollments', caller: 'registrar' },
    { path: `/v1/enrollments/${processId}/trainings`, caller: 'registrar' },
    { path: `/v1/enrollments/${processId}/evaluations`, caller: 'evaluator' },
    { path: `/v1/enrollments/${processId}/certificate`, caller: 'certifier' },
    { path: '/v1/certificate-batches', caller: 'certifier' },
    { path: '/v1/certificates/0000-0000-0000-0/revocation', caller: 'authority' },
  ];

  it('answers malformed, oversized and oddly typed bodies on every route without a 5xx, writing nothing', async () => {
    const head = await store.headPosition();
    const raw = (path: string, caller: keyof Callers, contentType: string, payload: string) =>
      request(server.baseUrl).post(path).set('Authorization', callers[caller]).set('Content-Type', contentType).send(payload);
    for (const { path, caller } of routes()) {
      const cases: [string, () => Promise<request.Response>, number, string?][] = [
        ['bad JSON', () => raw(path, caller, 'application/json', '{"code": "EC0105",'), 400, 'MALFORMED_JSON'],
        ['JSON scalar', () => raw(path, caller, 'application/json', '"EC0105"'), 400],
        ['JSON null', () => raw(path, caller, 'application/json', 'null'), 400],
        ['JSON array', () => raw(path, caller, 'application/json', '[{"code":"EC0105"}]'), 400],
        ['text body', () => raw(path, caller, 'text/plain', 'code=EC0105'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
        ['form body', () => raw(path, caller, 'application/x-www-form-urlencoded', 'processIds=1'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
        ['huge body', () => raw(path, caller, 'application/json', JSON.stringify({ title: 'x'.repeat(2_000_000) })), 413, 'PAYLOAD_TOO_LARGE'],
        ['prototype pollution', () => raw(path, caller, 'application/json', '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}'), 400, 'MALFORMED_JSON'],
        ['deep nesting', () => raw(path, caller, 'application/json', `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`), 400],
      ];
      for (const [name, send, status, code] of cases) {
        const response = await send();
        const summary = { path, name, status: response.status, code: response.body?.code };
        expect(summary).toEqual({ path, name, status, code: code ?? expect.any(String) });
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
    }
    expect(await store.headPosition()).toBe(head);
  });

  it('survives random values in every field of every route (no 5xx, server healthy)', async () => {
    const random = seededRandom(20181113);
    const oddValues: unknown[] = [null, true, 0, -1, 1e308, -0.5, '', ' ', 'x'.repeat(10_000), '\u0000', '💥', '2018-02-30', '../../etc/passwd', "'; DROP TABLE events; --", [], [null], {}, { $gt: '' }, ['EC0105', 42], '9'.repeat(400)];
    const fields = ['code', 'version', 'title', 'validityYears', 'providerId', 'kind', 'name', 'accreditationCode', 'standards', 'validFrom', 'validUntil', 'parentProviderId', 'evaluatorId', 'curp', 'fullName', 'credentialFolio', 'standardCode', 'reason', 'agency', 'jurisdiction', 'employment', 'enrolledAt', 'trainerId', 'hours', 'completedAt', 'result', 'evidenceDigest', 'evaluatedAt', 'issuedAt', 'processIds', 'revokedAt'];
    const statuses = new Map<number, number>();
    for (const { path, caller } of routes()) {
      for (let round = 0; round < 12; round += 1) {
        const body: Record<string, unknown> = {};
        for (const field of fields) if (random() < 0.4) body[field] = oddValues[Math.floor(random() * oddValues.length)];
        const response = await post(server, path, callers[caller], body);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect([path, body, response.status < 500]).toEqual([path, body, true]);
      }
    }
    expect([...statuses.keys()].every((status) => status >= 200 && status < 500)).toBe(true);
    expect((await request(server.baseUrl).get('/health')).status).toBe(200);
  });

  it('answers unknown routes and methods with problem+json', async () => {
    const missing = await post(server, '/v1/nowhere', callers.authority, {});
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    const badEncoding = await request(server.baseUrl).post('/v1/evaluators/%E0%A4%A/revocations').set('Authorization', callers.authority).send({ standardCode: 'EC0105', reason: 'r' });
    expect(badEncoding.status).toBe(400);
  });
});

function wrongCheckDigit(curp: string): string {
  const digit = Number(curp[17]);
  return curp.slice(0, 17) + String((digit + 1) % 10);
}

/** A small deterministic PRNG (mulberry32), so a failing fuzz case can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
