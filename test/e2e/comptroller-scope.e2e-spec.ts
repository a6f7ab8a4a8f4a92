import request from 'supertest';
import { callersFor, enrollmentBody, EVIDENCE, nextPerson, post, seedReferenceData, type Callers } from './support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from './support/ledger-modes';
import type { LedgerServer } from './support/ledger-server';
import { signToken } from './support/tokens';

jest.setTimeout(180_000);

interface Issued {
  readonly processId: string;
  readonly subjectId: string;
  readonly folio: string;
  readonly position: string;
}

/**
 * Scoped comptrollers, on the real ledger: a comptroller whose token carries
 * `jurisdiction: QR` sees Quintana Roo only, in every query route a
 * comptroller may call, while a comptroller without the claim sees the whole
 * country. The ledger holds certifications in Quintana Roo and in Jalisco;
 * each route is asked by both, and every answer of the scoped one is checked
 * to hold nothing from Jalisco (and nothing from the national registries,
 * which belong to no state). The last case lists the comptroller's GET routes
 * from the OpenAPI document, so that a route added later without a case here
 * fails this suite.
 */
describe('a comptroller scoped to a state (jurisdiction claim)', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;
  let national: string;
  let quintanaRoo: string;
  let inQuintanaRoo: Issued;
  let inJalisco: Issued;
  let revokedInQuintanaRoo: Issued;
  let minPosition: string;

  async function certify(state: string, municipality: string): Promise<Issued> {
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(nextPerson(state), { jurisdiction: { state, municipality } }));
    expect(enrolled.status).toBe(201);
    const { processId, subjectId } = enrolled.body as { processId: string; subjectId: string };
    const evaluated = await post(server, `/v1/enrollments/${processId}/evaluations`, callers.evaluator, {
      result: 'competent',
      evidenceDigest: EVIDENCE,
      evaluatedAt: '2018-11-01T16:00:00Z',
    });
    expect(evaluated.status).toBe(201);
    const issued = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T18:00:00Z' });
    expect(issued.status).toBe(201);
    const { folio, position } = issued.body as { folio: string; position: string };
    return { processId, subjectId, folio, position };
  }

  function get(path: string, token: string) {
    const separator = path.includes('?') ? '&' : '?';
    return request(server.baseUrl).get(`${path}${separator}minPosition=${minPosition}`).set('Authorization', token);
  }

  beforeAll(async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'comptroller_scope' });
    server = ledger.server;
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    inQuintanaRoo = await certify('QR', 'Benito Juárez');
    inJalisco = await certify('JC', 'Guadalajara');
    revokedInQuintanaRoo = await certify('QR', 'Othón P. Blanco');
    const revoked = await post(server, `/v1/certificates/${revokedInQuintanaRoo.folio}/revocation`, callers.authority, { reason: 'Evidencia apócrifa' });
    expect(revoked.status).toBe(201);
    minPosition = (revoked.body as { position: string }).position;
    national = callers.comptroller;
    quintanaRoo = `Bearer ${signToken(server.secrets.tokenKey, { sub: 'auditor-qroo', role: 'comptroller', org: 'SECOGEQROO' }, 3600, { jurisdiction: 'QR' })}`;
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  const folios = (body: unknown) => ((body as { items: { folio: string }[] }).items ?? []).map((item) => item.folio).sort();

  it('lists and finds only its state’s certificates; another state’s folio is not found', async () => {
    const scoped = await get('/v1/certificates?limit=100', quintanaRoo);
    const everyone = await get('/v1/certificates?limit=100', national);
    expect([scoped.status, everyone.status]).toEqual([200, 200]);
    expect(folios(scoped.body)).toEqual([inQuintanaRoo.folio, revokedInQuintanaRoo.folio].sort());
    expect(folios(everyone.body)).toEqual(expect.arrayContaining([inQuintanaRoo.folio, inJalisco.folio, revokedInQuintanaRoo.folio]));
    // Asking for another state by filter gives nothing, never that state's rows.
    expect(folios((await get('/v1/certificates?state=JC', quintanaRoo)).body)).toEqual([]);

    expect((await get(`/v1/certificates/${inQuintanaRoo.folio}`, quintanaRoo)).status).toBe(200);
    const elsewhere = await get(`/v1/certificates/${inJalisco.folio}`, quintanaRoo);
    expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'CERTIFICATE_NOT_FOUND']);
    expect((await get(`/v1/certificates/${inJalisco.folio}`, national)).status).toBe(200);
  });

  it('lists and follows only its state’s programs; another state’s program is not found', async () => {
    const program = (programId: string, state: string) => ({
      programId, name: `Programa ${state}`, jurisdiction: { state }, standards: ['EC0105'], startsOn: '2018-01-01', endsOn: '2018-12-31', target: { count: 10 },
    });
    expect((await post(server, '/v1/programs', callers.authority, program('qroo-2018', 'QR'))).status).toBe(201);
    const launched = await post(server, '/v1/programs', callers.authority, program('jalisco-2018', 'JC'));
    expect(launched.status).toBe(201);
    const at = (launched.body as { position: string }).position;
    const getAt = (path: string, token: string) => request(server.baseUrl).get(path).set('Authorization', token);
    const ids = (body: unknown) => (body as { items: { programId: string }[] }).items.map((item) => item.programId);
    expect(ids((await getAt(`/v1/programs?minPosition=${at}`, quintanaRoo)).body)).toEqual(['qroo-2018']);
    expect(ids((await getAt(`/v1/programs?minPosition=${at}`, national)).body)).toEqual(['qroo-2018', 'jalisco-2018']);
    const own = await getAt(`/v1/programs/qroo-2018/progress?minPosition=${at}&asOf=2018-12-31`, quintanaRoo);
    // Both Quintana Roo certificates of 2018 count as of its end; the revocation came later.
    expect([own.status, own.body.certified]).toEqual([200, 2]);
    const elsewhere = await getAt(`/v1/programs/jalisco-2018/progress?minPosition=${at}`, quintanaRoo);
    expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'PROGRAM_NOT_FOUND']);
    expect((await getAt(`/v1/programs/jalisco-2018/progress?minPosition=${at}&asOf=2018-12-31`, national)).body.certified).toBe(1);
  });

  it('counts its state only in the stats, and the whole country without the claim', async () => {
    const scoped = await get('/v1/stats/certifications?groupBy=state,municipality', quintanaRoo);
    const everyone = await get('/v1/stats/certifications?groupBy=state,municipality', national);
    expect([scoped.status, everyone.status]).toEqual([200, 200]);
    const groups = (body: unknown) => JSON.stringify(body);
    expect(groups(scoped.body)).not.toContain('"JC"');
    expect(groups(scoped.body)).toContain('"QR"');
    expect(groups(everyone.body)).toContain('"JC"');
    // The scope is the state filter: the same numbers as the national comptroller's answer filtered by Quintana Roo.
    const filtered = await get('/v1/stats/certifications?groupBy=state,municipality&state=QR', national);
    const { position: _a, ...scopedCounts } = scoped.body as Record<string, unknown>;
    const { position: _b, ...filteredCounts } = filtered.body as Record<string, unknown>;
    expect(scopedCounts).toEqual(filteredCounts);
  });

  it('gets the transparency report of its state: the same bytes as everyone’s report filtered by that state', async () => {
    const path = `/v1/reports/transparency?asOf=2019-01-01&atPosition=${minPosition}`;
    const scoped = await get(path, quintanaRoo);
    const filtered = await get(`${path}&state=QR`, national);
    const everyone = await get(path, national);
    expect([scoped.status, filtered.status, everyone.status]).toEqual([200, 200, 200]);
    expect(scoped.text).toBe(filtered.text);
    expect(scoped.text).toContain(inQuintanaRoo.folio);
    expect(scoped.text).not.toContain(inJalisco.folio);
    expect(everyone.text).toContain(inJalisco.folio);
    const csv = await get(`${path}&format=csv`, quintanaRoo);
    expect(csv.status).toBe(200);
    expect(csv.text).not.toContain(inJalisco.folio);
  });

  it('reads an audit trail of its state only: its processes, their folios and their people, no registry and nothing from elsewhere', async () => {
    const streams: string[] = [];
    for (let cursor: string | undefined, pages = 0; pages < 50; pages += 1) {
      const page = await get(`/v1/audit/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`, quintanaRoo);
      expect(page.status).toBe(200);
      const body = page.body as { items: { stream: string }[]; nextCursor?: string | null };
      streams.push(...body.items.map((item) => item.stream));
      cursor = body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    const allowed = new Set(
      [inQuintanaRoo, revokedInQuintanaRoo].flatMap((issued) => [`certification-${issued.processId}`, `folio-${issued.folio}`, `person-${issued.subjectId}`]),
    );
    expect(streams.length).toBeGreaterThan(0);
    expect(streams.filter((stream) => !allowed.has(stream))).toEqual([]);
    for (const stream of allowed) expect(streams).toContain(stream);

    const everyone = (await get('/v1/audit/events?limit=500', national)).body as { items: { stream: string }[] };
    const nationalStreams = new Set(everyone.items.map((item) => item.stream));
    expect(nationalStreams.has(`certification-${inJalisco.processId}`)).toBe(true);
    expect([...nationalStreams].some((stream) => stream.startsWith('provider-'))).toBe(true);

    // Filters still apply inside the scope: another state's stream asked by name gives nothing.
    const asked = await get(`/v1/audit/events?streamId=certification-${inJalisco.processId}`, quintanaRoo);
    expect([asked.status, (asked.body as { items: unknown[] }).items]).toEqual([200, []]);
  });

  it('sees provenance, timelines and processes of its state, and “not found” for another state’s', async () => {
    const cases: [string, string, string][] = [
      [`/v1/audit/certificates/${inQuintanaRoo.folio}/provenance`, `/v1/audit/certificates/${inJalisco.folio}/provenance`, 'CERTIFICATE_NOT_FOUND'],
      [`/v1/people/${inQuintanaRoo.subjectId}/timeline`, `/v1/people/${inJalisco.subjectId}/timeline`, 'PERSON_NOT_FOUND'],
      [`/v1/enrollments/${inQuintanaRoo.processId}`, `/v1/enrollments/${inJalisco.processId}`, 'PROCESS_NOT_FOUND'],
    ];
    for (const [own, other, code] of cases) {
      const mine = await get(own, quintanaRoo);
      expect({ own, status: mine.status }).toEqual({ own, status: 200 });
      const theirs = await get(other, quintanaRoo);
      expect({ other, status: theirs.status, code: theirs.body.code }).toEqual({ other, status: 404, code });
      expect({ other, national: (await get(other, national)).status }).toEqual({ other, national: 200 });
    }
    // A timeline in scope holds its state's events only.
    const timeline = (await get(`/v1/people/${inQuintanaRoo.subjectId}/timeline`, quintanaRoo)).body as { items: { stream: string }[] };
    expect(new Set(timeline.items.map((item) => item.stream))).toEqual(
      new Set([`person-${inQuintanaRoo.subjectId}`, `certification-${inQuintanaRoo.processId}`, `folio-${inQuintanaRoo.folio}`]),
    );
  });

  it('reads the access log of its state: entries that showed its people, each with those subjects only', async () => {
    const mine = new Set([inQuintanaRoo.subjectId, revokedInQuintanaRoo.subjectId]);
    // Both read both states' certificates; entries are written a few milliseconds after the answer.
    for (const token of [national, quintanaRoo]) expect((await get('/v1/certificates?limit=100', token)).status).toBe(200);
    const everyone = async () => {
      const answer = await get('/v1/audit/access?limit=100', national);
      expect(answer.status).toBe(200);
      return (answer.body as { items: { subjectIds: string[] }[] }).items;
    };
    const deadline = Date.now() + 10_000;
    while (!(await everyone()).some((entry) => entry.subjectIds.includes(inJalisco.subjectId))) {
      if (Date.now() > deadline) throw new Error('the access log never showed the Jalisco read');
      await new Promise((resolve) => setImmediate(resolve));
    }
    const scoped = await get('/v1/audit/access?limit=100', quintanaRoo);
    expect(scoped.status).toBe(200);
    const entries = (scoped.body as { items: { subjectIds: string[] }[] }).items;
    expect(entries.length).toBeGreaterThan(0);
    const shown = entries.flatMap((entry) => entry.subjectIds);
    expect(shown.filter((subjectId) => !mine.has(subjectId))).toEqual([]);
    expect(entries.every((entry) => entry.subjectIds.length > 0)).toBe(true);
    // Asking for a Jalisco subject by filter gives nothing.
    const asked = await get(`/v1/audit/access?subjectId=${inJalisco.subjectId}`, quintanaRoo);
    expect([asked.status, (asked.body as { items: unknown[] }).items]).toEqual([200, []]);
  });

  it('refuses a jurisdiction that is not a state, never widening it to the whole country', async () => {
    for (const jurisdiction of ['ZZ', 'qr', '', 'QR ', 7, ['QR'], null]) {
      const token = `Bearer ${signToken(server.secrets.tokenKey, { sub: 'auditor-x', role: 'comptroller', org: 'SECOGEF' }, 3600, { jurisdiction })}`;
      const answer = await get('/v1/certificates', token);
      expect({ jurisdiction, status: answer.status }).toEqual({ jurisdiction, status: 401 });
    }
  });

  /**
   * Every GET route a comptroller may call, from the OpenAPI document: each
   * is covered above, or named here with the reason it is the same for every
   * comptroller.
   */
  it('leaves no comptroller query route unscoped: each is covered here or says why it is national', async () => {
    const covered = new Set([
      '/v1/certificates',
      '/v1/certificates/{folio}',
      '/v1/stats/certifications',
      '/v1/reports/transparency',
      '/v1/audit/events',
      '/v1/audit/certificates/{folio}/provenance',
      '/v1/people/{subjectId}/timeline',
      '/v1/enrollments/{processId}',
      '/v1/audit/access',
      '/v1/programs',
      '/v1/programs/{programId}/progress',
      // Scoped by the states of the candidates involved: test/e2e/findings.e2e-spec.ts holds the history that shows it.
      '/v1/audit/findings',
    ]);
    const nationalRoutes = new Map([
      // The registry of evaluators and their accreditations: national by nature (CONOCER's), no person's data by state.
      ['/v1/evaluators/{evaluatorId}/accreditations', 'the national registry of accreditations'],
      // The verifiable log is one log for the country; its entries are what every checkpoint signs.
      ['/v1/log/entries/{position}', 'the verifiable log is one log'],
    ]);
    const document = (await request(server.baseUrl).get('/docs-json')).body as { paths: Record<string, Record<string, { security?: unknown[]; description?: string; summary?: string }>> };
    const comptrollerRoutes = Object.entries(document.paths)
      .filter(([path, operations]) => operations.get && !path.startsWith('/v1/public/') && path.startsWith('/v1/'))
      .map(([path]) => path)
      .filter((path) => !/^\/v1\/log\/(checkpoint|key|tile|proofs)/.test(path));
    for (const path of [...covered, '/v1/evaluators/{evaluatorId}/accreditations']) expect(comptrollerRoutes).toContain(path);
    // Which of them a comptroller may call: asked with a token, anything but 403 (and 401) says the role is allowed.
    const unaccounted: string[] = [];
    for (const path of comptrollerRoutes) {
      const probe = path.replace(/\{[^}]+\}/g, '0');
      const status = (await request(server.baseUrl).get(probe).set('Authorization', national)).status;
      if (status === 403 || status === 401) continue;
      if (!covered.has(path) && !nationalRoutes.has(path)) unaccounted.push(path);
    }
    expect(unaccounted).toEqual([]);
  });
});
