import request from 'supertest';
import { Callers, callersFor, competentProcess, enrollmentBody, EVALUATOR_ID, nextPerson, post, PROVIDER_ID, seedReferenceData } from '../e2e/support/ledger-client';
import { eventStoreDbMode, POSTGRES_MODE, type LedgerMode, type LedgerUnderTest } from '../e2e/support/ledger-modes';
import type { LedgerServer } from '../e2e/support/ledger-server';
import { eventually } from '../support/eventually';

/**
 * The query half of API.md over HTTP, on the real ledger process: write
 * through the command routes, read through the query routes with the
 * position each command answered (read-your-writes), on both event stores.
 */
describe.each<LedgerMode>([POSTGRES_MODE, eventStoreDbMode('DATABASE_URL')])('read side over HTTP: $name', (mode) => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;
  const person = nextPerson();
  let processId: string;
  let subjectId: string;
  let folio: string;
  let issuedPosition: string;

  const get = (path: string, authorization?: string) => {
    const call = request(server.baseUrl).get(path);
    return authorization ? call.set('Authorization', authorization) : call;
  };

  beforeAll(async () => {
    ledger = await mode.start({ databasePrefix: 'read_side_http' });
    server = ledger.server;
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(person, { enrolledAt: '2018-10-01T15:00:00Z' }));
    ({ processId, subjectId } = enrolled.body);
    await post(server, `/v1/enrollments/${processId}/evaluations`, callers.evaluator, {
      result: 'competent',
      evidenceDigest: `sha256:${'cd'.repeat(32)}`,
      evaluatedAt: '2018-11-01T16:00:00Z',
    });
    const issued = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T18:00:00Z' });
    expect(issued.status).toBe(201);
    ({ folio, position: issuedPosition } = issued.body);
  });
  afterAll(async () => {
    await ledger?.stop();
  });

  it('answers a certificate just issued, with minPosition, in the shape API.md gives', async () => {
    const response = await get(`/v1/certificates/${folio}?minPosition=${issuedPosition}`, callers.comptroller);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      folio,
      status: 'expired',
      standardCode: 'EC0105',
      holderName: person.fullName,
      subjectId,
      providerId: PROVIDER_ID,
      evaluatorId: EVALUATOR_ID,
      agency: 'Secretaría de Hacienda',
      jurisdiction: { state: 'BC', municipality: 'Tijuana' },
      employment: 'base',
      issuedAt: '2018-11-13T18:00:00.000Z',
      validUntil: '2023-11-13T18:00:00.000Z',
      position: issuedPosition,
    });
    expect((await get(`/v1/certificates/${folio}`, callers.certifier)).status).toBe(200);
    expect((await get(`/v1/certificates/${folio}`, callers.otherCertifier)).status).toBe(404);
    expect((await get(`/v1/certificates/${folio}`, callers.registrar)).status).toBe(403);
    expect((await get(`/v1/certificates/${folio}`)).status).toBe(401);
  });

  it('verifies publicly without a token and never shows the CURP; a typo is FOLIO_CHECK, an unknown folio 404', async () => {
    const response = await get(`/v1/public/certificates/${folio.toLowerCase()}?minPosition=${issuedPosition}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ folio, holderName: person.fullName, standardCode: 'EC0105', providerId: PROVIDER_ID, status: 'expired' });
    expect(JSON.stringify(response.body)).not.toContain(person.curp);
    expect(JSON.stringify(response.body)).not.toContain(subjectId);
    const typo = await get(`/v1/public/certificates/${folio.slice(0, -1)}${folio.endsWith('0') ? '1' : '0'}`);
    expect(typo.status).toBe(400);
    expect(typo.body.code).toBe('FOLIO_CHECK');
    expect(typo.headers['content-type']).toContain('application/problem+json');
    const unknown = await get('/v1/public/certificates/0000-0000-0000-0');
    expect(unknown.status).toBe(404);
  });

  it('lists certificates with filters and cursors, a certifier its own only', async () => {
    const others = await competentProcess(server, callers);
    const second = await post(server, `/v1/enrollments/${others}/certificate`, callers.certifier, {});
    const page = await get(`/v1/certificates?limit=1&providerId=${PROVIDER_ID}&minPosition=${second.body.position}`, callers.comptroller);
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await get(`/v1/certificates?limit=1&providerId=${PROVIDER_ID}&cursor=${page.body.nextCursor}`, callers.comptroller);
    expect(next.body.items[0].folio).not.toBe(page.body.items[0].folio);
    expect((await get('/v1/certificates?status=valid', callers.otherCertifier)).body.items).toEqual([]);
    expect((await get('/v1/certificates?status=unknown', callers.comptroller)).status).toBe(400);
  });

  it('shows the process with its steps, the timeline, the audit trail and the provenance', async () => {
    const process = await get(`/v1/enrollments/${processId}?minPosition=${issuedPosition}`, callers.registrar);
    expect(process.status).toBe(200);
    expect(process.body).toMatchObject({ processId, subjectId, status: 'certified', folio });
    expect(process.body.steps.map((step: { type: string }) => step.type)).toEqual(['CandidateEnrolled', 'EvaluationRecorded', 'CertificateIssued']);
    const timeline = await get(`/v1/people/${subjectId}/timeline`, callers.comptroller);
    expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['PersonRegistered', 'EnrollmentOpened', 'CandidateEnrolled', 'EvaluationRecorded', 'CertificateIssued']),
    );
    expect(JSON.stringify(timeline.body)).not.toContain(person.curp);
    const audit = await get('/v1/audit/events?type=CertificateIssued&limit=50', callers.comptroller);
    expect(audit.body.items[0]).toEqual({
      position: expect.stringMatching(/^\d+$/),
      type: 'CertificateIssued',
      stream: expect.stringMatching(/^certification-/),
      occurredAt: expect.any(String),
      recordedAt: expect.any(String),
      actor: { id: 'certifier-1', role: 'certifier', organizationId: PROVIDER_ID },
      commandId: expect.any(String),
      correlationId: expect.any(String),
      causationId: expect.any(String),
    });
    const provenance = await get(`/v1/audit/certificates/${folio}/provenance`, callers.comptroller);
    expect(provenance.body.enrollment.actor).toMatchObject({ role: 'registrar' });
    expect(provenance.body.evaluations[0].accreditation).toMatchObject({ evaluatorId: EVALUATOR_ID, credentialFolio: 'CED-2018-000123', inForce: true });
    expect(provenance.body.issuance.position).toBe(issuedPosition);
    const standing = await get(`/v1/evaluators/${EVALUATOR_ID}/accreditations?standard=EC0105&on=2018-11-01`, callers.comptroller);
    expect(standing.body).toMatchObject({ accredited: true, accreditation: { credentialFolio: 'CED-2018-000123' } });
  });

  it('reports as of a date and a position, the same bytes every time, and counts what the log holds', async () => {
    const revoked = await post(server, `/v1/certificates/${folio}/revocation`, callers.authority, { reason: 'Evidencia apócrifa', revokedAt: '2019-02-18T17:00:00Z' });
    expect(revoked.status).toBe(201);
    const at = revoked.body.position;
    const before = await get(`/v1/reports/transparency?asOf=2019-01-01&atPosition=${at}&format=json`, callers.comptroller);
    const after = await get(`/v1/reports/transparency?asOf=2019-03-01&atPosition=${at}`, callers.comptroller);
    const earlier = await get(`/v1/reports/transparency?asOf=2019-03-01&atPosition=${issuedPosition}`, callers.comptroller);
    const row = (body: { certificates: { folio: string; status: string }[] }) => body.certificates.find((c) => c.folio === folio);
    expect(row(before.body)?.status).toBe('valid');
    expect(row(after.body)?.status).toBe('revoked');
    expect(row(earlier.body)?.status).toBe('valid');
    expect(after.body).toMatchObject({ asOf: '2019-03-01', position: at });
    expect(JSON.stringify(after.body)).not.toContain(person.curp);
    const csv = await get(`/v1/reports/transparency?asOf=2019-03-01&atPosition=${at}&format=csv`, callers.comptroller);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['x-report-position']).toBe(at);
    expect(csv.text.split('\n')[0]).toBe('\uFEFFfolio,holderName,standardCode,providerId,agency,state,municipality,employment,issuedAt,validUntil,status'); // BOM first, for spreadsheets
    expect((await get(`/v1/reports/transparency?asOf=2019-03-01&atPosition=${at}&format=csv`, callers.comptroller)).text).toBe(csv.text);
    expect((await get('/v1/reports/transparency', callers.comptroller)).status).toBe(400);

    const stats = await get(`/v1/stats/certifications?groupBy=state,employment&minPosition=${at}`, callers.comptroller);
    expect(stats.status).toBe(200);
    const all = await get('/v1/certificates?limit=500', callers.comptroller);
    expect(stats.body.groups).toEqual([{ key: { state: 'BC', employment: 'base' }, count: all.body.items.length }]);
    expect(BigInt(stats.body.position)).toBeGreaterThanOrEqual(BigInt(at));
    const revokedOnly = await get('/v1/stats/certifications?groupBy=month&status=revoked', callers.comptroller);
    expect(revokedOnly.body.groups).toEqual([{ key: { month: '2018-11' }, count: 1 }]);
  });

  it('answers the same counts again until a certificate changes them, read-your-writes included', async () => {
    const count = (body: { groups: { count: number }[] }) => body.groups.reduce((sum, group) => sum + group.count, 0);
    const issue = async () => {
      const processId = await competentProcess(server, callers);
      const issued = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T18:00:00Z' });
      expect(issued.status).toBe(201);
      return issued.body.position as string;
    };
    const settled = await issue();
    const first = await get(`/v1/stats/certifications?groupBy=state&minPosition=${settled}`, callers.comptroller);
    const again = await get('/v1/stats/certifications?groupBy=state', callers.comptroller);
    expect(again.body).toEqual(first.body);
    expect(again.headers['ledger-position']).toBe(first.headers['ledger-position']);
    const next = await issue();
    // Waiting for its own write, a caller never gets the counts from before it.
    const mine = await get(`/v1/stats/certifications?groupBy=state&minPosition=${next}`, callers.comptroller);
    expect(count(mine.body)).toBe(count(first.body) + 1);
    expect(BigInt(mine.body.position)).toBeGreaterThanOrEqual(BigInt(next));
    // And without waiting, the counts move once the projection has folded it.
    await eventually(async () => {
      const counted = count((await get('/v1/stats/certifications?groupBy=state', callers.comptroller)).body);
      return counted === count(first.body) + 1 ? counted : undefined;
    });
  });

  it('answers 503 with Retry-After when the read models cannot reach minPosition in time', async () => {
    const response = await get('/v1/stats/certifications?minPosition=999999999999999', callers.comptroller);
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('PROJECTION_LAG');
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });
});
