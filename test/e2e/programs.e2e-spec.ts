import request from 'supertest';
import type { EventStore } from '@ledger/event-store';
import { callersFor, EVIDENCE, enrollmentBody, nextPerson, post, seedReferenceData, type Callers } from './support/ledger-client';
import { eventStoreDbMode, POSTGRES_MODE, type LedgerMode, type LedgerUnderTest } from './support/ledger-modes';
import type { LedgerServer } from './support/ledger-server';
import { signToken } from './support/tokens';

jest.setTimeout(240_000);

interface Progress {
  program: { programId: string; targetCount: number; endsOn: string; target: unknown };
  amendments: { change: string; reason: string }[];
  asOf: string;
  position: string;
  certified: number;
  certificates: number;
  shareOfTarget: number;
  byMonth: { month: string; certified: number; cumulative: number }[];
  pace: { elapsedDays: number; remainingDays: number; projectedAtEnd: number; onTrack: boolean; neededPerDay: number | null } | null;
}

/**
 * Programs and their progress on the real ledger, once per event store:
 * LaunchProgram and its amendments through the command API, and progress
 * read back as it stood on a business date, as known at a position.
 */
describe.each<LedgerMode>([POSTGRES_MODE, eventStoreDbMode('DATABASE_URL')])('programs and their progress: $name', (mode) => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let store: EventStore;
  let callers: Callers;
  let beforeLaunch: string;
  let launchedAt: string;
  let lastWrite: string;
  let revokedFolio: string;

  async function certify(jurisdiction: { state: string; municipality?: string }, dates: { enrolledAt: string; evaluatedAt: string; issuedAt: string }): Promise<{ folio: string; position: string }> {
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(nextPerson(jurisdiction.state), { jurisdiction, enrolledAt: dates.enrolledAt }));
    expect(enrolled.status).toBe(201);
    const { processId } = enrolled.body as { processId: string };
    const evaluated = await post(server, `/v1/enrollments/${processId}/evaluations`, callers.evaluator, { result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: dates.evaluatedAt });
    expect(evaluated.status).toBe(201);
    const issued = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: dates.issuedAt });
    expect(issued.status).toBe(201);
    return issued.body as { folio: string; position: string };
  }

  const in2018 = { enrolledAt: '2018-10-01T15:00:00Z', evaluatedAt: '2018-10-20T16:00:00Z', issuedAt: '2018-11-13T18:00:00Z' };
  const tijuana = {
    programId: 'tijuana-2018',
    name: 'Certificación de servidores públicos del Ayuntamiento de Tijuana 2018',
    jurisdiction: { state: 'BC', municipality: 'TIJUANA' },
    standards: ['EC0105'],
    startsOn: '2018-01-01',
    endsOn: '2018-12-31',
    target: { count: 600 },
  };

  const progress = async (programId: string, query = '', token = callers.comptroller): Promise<{ status: number; body: Progress }> => {
    const response = await request(server.baseUrl).get(`/v1/programs/${programId}/progress?minPosition=${lastWrite}${query}`).set('Authorization', token);
    return { status: response.status, body: response.body as Progress };
  };

  beforeAll(async () => {
    ledger = await mode.start({ databasePrefix: 'programs' });
    ({ server, store } = ledger);
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    beforeLaunch = (await store.headPosition()).toString();
    const launched = await post(server, '/v1/programs', callers.authority, tijuana);
    expect(launched.status).toBe(201);
    launchedAt = (launched.body as { position: string }).position;
    const state = await post(server, '/v1/programs', callers.authority, {
      programId: 'bc-50', name: 'La mitad de la plantilla estatal certificada', jurisdiction: { state: 'BC' }, standards: ['EC0105'],
      startsOn: '2018-01-01', endsOn: '2018-12-31', target: { share: 0.5, workforce: 9 },
    });
    expect(state.status).toBe(201);
    await certify({ state: 'BC', municipality: 'Tijuana' }, in2018);
    await certify({ state: 'BC', municipality: 'Tijuana' }, in2018);
    revokedFolio = (await certify({ state: 'BC', municipality: 'Tijuana' }, in2018)).folio;
    await certify({ state: 'BC', municipality: 'Mexicali' }, in2018);
    await certify({ state: 'QR', municipality: 'Benito Juárez' }, in2018);
    // Issued after the period: counts only once the period is extended.
    await certify({ state: 'BC', municipality: 'Tijuana' }, { enrolledAt: '2018-12-01T15:00:00Z', evaluatedAt: '2019-01-10T16:00:00Z', issuedAt: '2019-01-15T18:00:00Z' });
    const revoked = await post(server, `/v1/certificates/${revokedFolio}/revocation`, callers.authority, { reason: 'Evidencia no atribuible al candidato', revokedAt: '2019-02-18T17:00:00Z' });
    expect(revoked.status).toBe(201);
    lastWrite = (revoked.body as { position: string }).position;
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it('counts the certificates of the period in the municipality, as they stood on asOf', async () => {
    const { status, body } = await progress('tijuana-2018', '&asOf=2018-12-31');
    expect(status).toBe(200);
    expect(body).toMatchObject({ asOf: '2018-12-31', certified: 3, certificates: 3, shareOfTarget: 0.005, program: { programId: 'tijuana-2018', targetCount: 600 } });
    expect(body.byMonth).toHaveLength(12);
    expect(body.byMonth.filter((month) => month.certified > 0)).toEqual([{ month: '2018-11', certified: 3, cumulative: 3 }]);
    expect(body.byMonth.at(-1)).toEqual({ month: '2018-12', certified: 0, cumulative: 3 });
    expect(body.pace).toMatchObject({ elapsedDays: 365, remainingDays: 0, projectedAtEnd: 3, onTrack: false, neededPerDay: null });
  });

  it('leaves out a certificate revoked on or before asOf, and projects the pace mid-period', async () => {
    expect((await progress('tijuana-2018', '&asOf=2019-03-01')).body.certified).toBe(2);
    const midway = (await progress('tijuana-2018', '&asOf=2018-11-30')).body;
    expect(midway.certified).toBe(3);
    // 334 days of 365 gone with 3 certified: 3.28 at the end, rounded.
    expect(midway.pace).toMatchObject({ elapsedDays: 334, remainingDays: 31, projectedAtEnd: 3, onTrack: false });
    expect(midway.pace?.neededPerDay).toBeCloseTo((600 - 3) / 31, 1);
    const before = (await progress('tijuana-2018', '&asOf=2017-12-31')).body;
    expect(before).toMatchObject({ certified: 0, byMonth: [], pace: null });
  });

  it('counts a state program across its municipalities, never another state', async () => {
    const { body } = await progress('bc-50', '&asOf=2018-12-31');
    expect(body).toMatchObject({ certified: 4, program: { targetCount: 5, target: { share: 0.5, workforce: 9 } }, shareOfTarget: 0.8 });
  });

  it('answers as the ledger knew it at an earlier position: no certificates yet, and no program before its launch', async () => {
    const early = await progress('tijuana-2018', `&asOf=2018-12-31&atPosition=${launchedAt}`);
    expect(early.body).toMatchObject({ certified: 0, position: launchedAt });
    expect((await progress('tijuana-2018', `&atPosition=${beforeLaunch}`)).status).toBe(404);
  });

  it('amends the target and the period with a reason; progress reads the terms known at its position', async () => {
    const changed = await post(server, '/v1/programs/tijuana-2018/target-changes', callers.authority, { target: { count: 4 }, reason: 'Plantilla de la unidad piloto' });
    expect(changed.status).toBe(201);
    const extended = await post(server, '/v1/programs/tijuana-2018/period-extensions', callers.authority, { endsOn: '2019-06-30', reason: 'Acuerdo de cabildo' });
    expect(extended.status).toBe(201);
    const amendedAt = (changed.body as { position: string }).position;
    lastWrite = (extended.body as { position: string }).position;
    const now = (await progress('tijuana-2018', '&asOf=2019-06-30')).body;
    expect(now).toMatchObject({ certified: 3, shareOfTarget: 0.75, program: { targetCount: 4, endsOn: '2019-06-30' } });
    expect(now.amendments.map((amendment) => [amendment.change, amendment.reason])).toEqual([
      ['ProgramTargetChanged', 'Plantilla de la unidad piloto'],
      ['ProgramPeriodExtended', 'Acuerdo de cabildo'],
    ]);
    const then = (await progress('tijuana-2018', `&asOf=2019-06-30&atPosition=${amendedAt}`)).body;
    expect(then).toMatchObject({ certified: 2, program: { targetCount: 4, endsOn: '2018-12-31' } });
    expect(then.amendments).toHaveLength(1);
  });

  it('lists the programs with their progress today; a comptroller scoped to another state sees none of them', async () => {
    const list = await request(server.baseUrl).get(`/v1/programs?minPosition=${lastWrite}&limit=1`).set('Authorization', callers.comptroller);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ programId: 'tijuana-2018', certified: 3, targetCount: 4 })]);
    const next = await request(server.baseUrl).get(`/v1/programs?limit=1&cursor=${list.body.nextCursor}`).set('Authorization', callers.comptroller);
    // Today the certificate revoked in 2019 no longer counts.
    expect(next.body).toEqual({ items: [expect.objectContaining({ programId: 'bc-50', certified: 3 })], nextCursor: null });
    const quintanaRoo = `Bearer ${signToken(server.secrets.tokenKey, { sub: 'auditor-qroo', role: 'comptroller', org: 'SECOGEQROO' }, 3600, { jurisdiction: 'QR' })}`;
    const scoped = await request(server.baseUrl).get('/v1/programs').set('Authorization', quintanaRoo);
    expect(scoped.body).toEqual({ items: [], nextCursor: null });
    expect((await progress('tijuana-2018', '', quintanaRoo)).status).toBe(404);
    const certifier = await request(server.baseUrl).get('/v1/programs').set('Authorization', callers.certifier);
    expect(certifier.status).toBe(403);
  });

  it.each([
    ['a share given as a percentage', { target: { share: 50, workforce: 100 } }, 400, 'target.share'],
    ['both kinds of target', { target: { count: 5, share: 0.5, workforce: 10 } }, 400, 'target'],
    ['a target as text', { target: '600' }, 400, 'target'],
    ['a fractional count', { target: { count: 1.5 } }, 400, 'target.count'],
    ['an unknown member of the target', { target: { count: 5, bonus: 1 } }, 400, 'target.bonus'],
    ['a period that ends before it starts', { startsOn: '2018-12-31', endsOn: '2018-01-01' }, 400, 'endsOn'],
    ['a date that does not exist', { startsOn: '2018-02-30' }, 400, 'startsOn'],
    ['a name with a NUL', { name: 'Tijuana\u0000' }, 400, 'name'],
    ['a municipality with a bidi override', { jurisdiction: { state: 'BC', municipality: 'Tij\u202Euana' } }, 400, 'jurisdiction.municipality'],
    ['an unknown state', { jurisdiction: { state: 'XX' } }, 400, 'jurisdiction.state'],
    ['a program id with a space', { programId: 'tij 2018' }, 400, 'programId'],
    ['a program id of 65 characters', { programId: 'p'.repeat(65) }, 400, 'programId'],
    ['a standard never registered', { standards: ['EC9999'] }, 404, ''],
    ['a count past any number', { target: { count: 1e308 } }, 400, 'target.count'],
    ['a workforce given as text', { target: { share: 0.5, workforce: '16270' } }, 400, 'target.workforce'],
    ['fifty-one standards', { standards: Array.from({ length: 51 }, (_, n) => `EC${String(n + 1000).padStart(4, '0')}`) }, 400, 'standards'],
    ['a jurisdiction given as text', { jurisdiction: 'BC' }, 400, 'jurisdiction'],
    ['a period given as numbers', { startsOn: 20180101 }, 400, 'startsOn'],
    ['a name of a megabyte', { name: 'x'.repeat(1_100_000) }, 413, ''],
    ['a program id already launched', {}, 409, ''],
  ])('refuses %s and writes nothing', async (_, change, status, field) => {
    const head = await store.headPosition();
    const response = await post(server, '/v1/programs', callers.authority, { ...tijuana, ...change });
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    if (field) expect(JSON.stringify(response.body.errors ?? [])).toContain(`"field":"${field}`);
    expect(await store.headPosition()).toBe(head);
  });

  it('refuses amendments that are not allowed, from callers that may not, on programs that do not exist', async () => {
    const head = await store.headPosition();
    const cases: [string, string | undefined, unknown, number][] = [
      ['/v1/programs/tijuana-2018/period-extensions', callers.authority, { endsOn: '2019-01-01', reason: 'Acortar' }, 422],
      ['/v1/programs/tijuana-2018/target-changes', callers.authority, { target: { count: 4 }, reason: 'Igual' }, 409],
      ['/v1/programs/tijuana-2018/target-changes', callers.authority, { target: { count: 5 } }, 400],
      ['/v1/programs/tijuana-2018/target-changes', callers.certifier, { target: { count: 5 }, reason: 'x' }, 403],
      ['/v1/programs/tijuana-2018/target-changes', undefined, { target: { count: 5 }, reason: 'x' }, 401],
      ['/v1/programs/nowhere/target-changes', callers.authority, { target: { count: 5 }, reason: 'x' }, 404],
      ['/v1/programs/a%20b/period-extensions', callers.authority, { endsOn: '2020-01-01', reason: 'x' }, 400],
      ['/v1/programs/a%00b/period-extensions', callers.authority, { endsOn: '2020-01-01', reason: 'x' }, 400],
    ];
    for (const [path, token, body, status] of cases) {
      const response = await post(server, path, token, body);
      expect(`${path} ${response.status}`).toBe(`${path} ${status}`);
    }
    expect(await store.headPosition()).toBe(head);
  });

  it('refuses progress queries that cannot be answered, naming the parameter', async () => {
    const ask = (path: string) => request(server.baseUrl).get(path).set('Authorization', callers.comptroller);
    for (const [path, status, field] of [
      ['/v1/programs/tijuana-2018/progress?asOf=2018-02-30', 400, 'asOf'],
      ['/v1/programs/tijuana-2018/progress?asOf=2018-11-13T00:00:00Z', 400, 'asOf'],
      ['/v1/programs/tijuana-2018/progress?atPosition=-1', 400, 'atPosition'],
      ['/v1/programs/tijuana-2018/progress?atPosition=99999999999999999999', 400, 'atPosition'],
      ['/v1/programs/nowhere/progress', 404, ''],
      ['/v1/programs/%E2%80%AE/progress', 400, 'programId'],
      ['/v1/programs?cursor=bm9wZQ', 400, 'cursor'],
    ] as const) {
      const response = await ask(path);
      expect(`${path} ${response.status}`).toBe(`${path} ${status}`);
      if (field) expect(JSON.stringify(response.body)).toContain(field);
    }
  });
});
