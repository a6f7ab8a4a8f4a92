import request from 'supertest';
import { Client } from 'pg';
import { EVIDENCE, callersFor, enrollmentBody, nextPerson, post, seedReferenceData, type Callers } from '../e2e/support/ledger-client';
import { eventStoreDbMode, POSTGRES_MODE, type LedgerMode, type LedgerUnderTest } from '../e2e/support/ledger-modes';
import { runCli, type LedgerServer } from '../e2e/support/ledger-server';
import { signToken } from '../e2e/support/tokens';
import { dumpDatabase, formsFound } from './database-dump';

const ERASED_NAME = '[erased]';
const TODAY = new Date().toISOString().slice(0, 10);

/**
 * ARCO over HTTP with a real ledger process, once per event store: lookup,
 * access, rectification and erasure for the privacy office, 403 for every
 * other role, hostile input on every route; after erasure the name reads
 * erased everywhere while folios, dates, statuses and totals stay, a dump of
 * the whole PostgreSQL database holds neither the CURP nor the names in any
 * form (before erasure: no CURP anywhere), the event store holds only
 * ciphertext, `ledger verify` passes, a rebuild gives the same erased view,
 * and the same CURP enrolled again is a new subject.
 */
describe.each<LedgerMode>([POSTGRES_MODE, eventStoreDbMode('embedded')])('privacy office (ARCO): $name', (mode) => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;
  let privacy: string;
  const holder = nextPerson('QR');
  const rectifiedName = `${holder.fullName} Rectificada`;
  const bystander = nextPerson('QR');
  let subjectId: string;
  let folio: string;
  let lastPosition = '0';

  const get = (path: string, authorization?: string) => {
    const call = request(server.baseUrl).get(path);
    return authorization ? call.set('Authorization', authorization) : call;
  };
  const settled = (path: string) => `${path}${path.includes('?') ? '&' : '?'}minPosition=${lastPosition}`;
  const cliEnv = async () => ({
    DATABASE_URL: await ledger.postgresUrl(),
    LEDGER_DATA_DIR: server.dataDir,
    EVENTSTORE_CONNECTION_STRING: ledger.esdb?.connectionString ?? '',
    LEDGER_TOKEN_KEY: server.secrets.tokenKey,
    LEDGER_SUBJECT_KEY: server.secrets.subjectKey,
    LEDGER_FOLIO_KEY: server.secrets.folioKey,
  });

  beforeAll(async () => {
    ledger = await mode.start({ databasePrefix: 'privacy' });
    server = ledger.server;
    callers = callersFor(server);
    privacy = `Bearer ${signToken(server.secrets.tokenKey, { sub: 'ut-privacidad-1', role: 'privacy', org: 'UT-SFP' })}`;
    await seedReferenceData(server, callers);
    for (const person of [holder, bystander]) {
      const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(person, { jurisdiction: { state: 'QR', municipality: 'Chetumal' } }));
      expect(enrolled.status).toBe(201);
      const evaluated = await post(server, `/v1/enrollments/${enrolled.body.processId}/evaluations`, callers.evaluator, { result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: '2018-11-01T16:00:00Z' });
      expect(evaluated.status).toBe(201);
      const issued = await post(server, `/v1/enrollments/${enrolled.body.processId}/certificate`, callers.certifier, {});
      expect(issued.status).toBe(201);
      lastPosition = issued.body.position;
      if (person === holder) folio = issued.body.folio;
    }
  }, 240_000);

  afterAll(async () => {
    await ledger?.stop();
  });

  it('stores the CURP and the name only as ciphertext: no CURP anywhere in PostgreSQL, nor in the event store', async () => {
    const { text, how } = await dumpDatabase(await ledger.postgresUrl());
    process.stdout.write(`database dump by ${how}\n`);
    expect({ how: how.slice(0, 20), found: [...formsFound(text, holder.curp), ...formsFound(text, bystander.curp)] }).toEqual({ how: how.slice(0, 20), found: [] });
    // The key store holds wrapped keys only: one per person registered (two here, and the evaluator's).
    const client = new Client({ connectionString: await ledger.postgresUrl() });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT subject_id, octet_length(wrapped_key) AS bytes FROM ledger.personal_data_keys');
      expect(rows.length).toBeGreaterThanOrEqual(2);
      for (const row of rows) expect(row.bytes).toBe(60);
    } finally {
      await client.end();
    }
    const stored = JSON.stringify((await ledger.store.readAll()).map((event) => event.data));
    for (const value of [holder.curp, holder.fullName, bystander.curp]) expect(formsFound(stored, value)).toEqual([]);
  });

  it('looks a CURP up from the body for the privacy office only, and refuses hostile input', async () => {
    const found = await post(server, '/v1/people/lookup', privacy, { curp: holder.curp.toLowerCase() });
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ subjectId: expect.stringMatching(/^[0-9a-f]{64}$/) });
    subjectId = found.body.subjectId;
    for (const [body, field] of [
      [{}, 'curp'],
      [{ curp: 'LOOA531113' }, 'curp'],
      [{ curp: `${holder.curp.slice(0, 17)}X` }, 'curp'],
      [{ curp: `${holder.curp}\u0000` }, 'curp'],
      [{ curp: 12 }, 'curp'],
      [{ curp: 'A'.repeat(100_000) }, 'curp'],
      [{ curp: holder.curp, extra: 1 }, 'extra'],
    ] as const) {
      const refused = await post(server, '/v1/people/lookup', privacy, body);
      expect({ body, status: refused.status, type: refused.headers['content-type'] }).toEqual({ body, status: 400, type: expect.stringContaining('application/problem+json') });
      expect(JSON.stringify(refused.body)).toContain(field);
      expect(JSON.stringify(refused.body)).not.toContain(holder.curp);
    }
    expect((await post(server, '/v1/people/lookup', privacy, { curp: nextPerson().curp })).status).toBe(404);
    expect((await request(server.baseUrl).post('/v1/people/lookup').send({ curp: holder.curp })).status).toBe(401);
  });

  it('refuses every route to every other role with 403', async () => {
    const others = [callers.authority, callers.certifier, callers.registrar, callers.evaluator, callers.comptroller];
    for (const other of others) {
      expect((await post(server, '/v1/people/lookup', other, { curp: holder.curp })).status).toBe(403);
      expect((await get(`/v1/people/${subjectId}/personal-data`, other)).status).toBe(403);
      expect((await post(server, `/v1/people/${subjectId}/rectifications`, other, { fullName: 'X Y', reason: 'r' })).status).toBe(403);
      expect((await post(server, `/v1/people/${subjectId}/erasure`, other, { reason: 'r', requestFolio: 'F-1' })).status).toBe(403);
    }
  });

  it('gives access to the personal data and every certificate, and takes a rectification as a new event', async () => {
    const access = await get(`/v1/people/${subjectId}/personal-data`, privacy);
    expect(access.status).toBe(200);
    expect(access.body).toMatchObject({ subjectId, status: 'registered', curp: holder.curp, fullName: holder.fullName, rectifications: [] });
    expect(access.body.certificates).toEqual([expect.objectContaining({ standardCode: 'EC0105', status: 'certified', folio })]);
    for (const [body, field] of [
      [{ fullName: '', reason: 'r' }, 'fullName'],
      [{ fullName: 'A\u0007B', reason: 'r' }, 'fullName'],
      [{ fullName: 'X'.repeat(201), reason: 'r' }, 'fullName'],
      [{ fullName: 'Ana López' }, 'reason'],
      [{ fullName: 'Ana López', reason: 'x'.repeat(501) }, 'reason'],
      [{ fullName: 'Ana López', reason: 'a\u202eb' }, 'reason'],
    ] as const) {
      const refused = await post(server, `/v1/people/${subjectId}/rectifications`, privacy, body);
      expect({ body, status: refused.status }).toEqual({ body, status: 400 });
      expect(JSON.stringify(refused.body)).toContain(field);
    }
    expect((await post(server, `/v1/people/${'0'.repeat(64)}/rectifications`, privacy, { fullName: 'Ana López', reason: 'r' })).status).toBe(404);
    expect((await post(server, '/v1/people/NOT-A-SUBJECT/rectifications', privacy, { fullName: 'Ana López', reason: 'r' })).body.errors?.[0]?.field).toBe('subjectId');
    const rectified = await post(server, `/v1/people/${subjectId}/rectifications`, privacy, { fullName: rectifiedName, reason: 'Acta de nacimiento' });
    expect(rectified.status).toBe(201);
    lastPosition = rectified.body.position;
    const after = await get(`/v1/people/${subjectId}/personal-data`, privacy);
    expect(after.body).toMatchObject({ fullName: rectifiedName, rectifications: [{ fullName: rectifiedName, reason: 'Acta de nacimiento', position: rectified.body.position }] });
    const shown = await get(settled(`/v1/public/certificates/${folio}`));
    expect(shown.body.holderName).toBe(rectifiedName);
    expect((await get(`/v1/people/${'0'.repeat(64)}/personal-data`, privacy)).status).toBe(404);
    expect((await get('/v1/people/ZZ/personal-data', privacy)).status).toBe(400);
  });

  it('erases: the key is destroyed, names read erased everywhere, folios, dates, statuses and totals stay', async () => {
    const statsBefore = (await get(settled('/v1/stats/certifications'), callers.comptroller)).body;
    const reportBefore = await get(settled(`/v1/reports/transparency?asOf=${TODAY}`), callers.comptroller);
    for (const [body, field] of [
      [{ reason: 'r' }, 'requestFolio'],
      [{ requestFolio: 'F-1' }, 'reason'],
      [{ reason: 'r', requestFolio: 'F'.repeat(65) }, 'requestFolio'],
      [{ reason: 'r\u0000', requestFolio: 'F-1' }, 'reason'],
      [{ reason: 'r', requestFolio: 'F-1', subjectId: 'x' }, 'subjectId'],
    ] as const) {
      const refused = await post(server, `/v1/people/${subjectId}/erasure`, privacy, body);
      expect({ body, status: refused.status }).toEqual({ body, status: 400 });
      expect(JSON.stringify(refused.body)).toContain(field);
    }
    const erasure = { reason: 'Cancelación solicitada por el titular', requestFolio: 'UT/ARCO/2024/0153' };
    const erased = await post(server, `/v1/people/${subjectId}/erasure`, privacy, erasure, { 'Idempotency-Key': 'arco-0153' });
    expect(erased.status).toBe(201);
    expect(erased.body).toEqual({ position: expect.any(String), subjectId, keyDestroyed: true });
    lastPosition = erased.body.position;
    const replayed = await post(server, `/v1/people/${subjectId}/erasure`, privacy, erasure, { 'Idempotency-Key': 'arco-0153' });
    expect(replayed.status).toBe(201);
    const again = await post(server, `/v1/people/${subjectId}/erasure`, privacy, { ...erasure, requestFolio: 'UT/ARCO/2024/0200' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('PERSON_ALREADY_ERASED');
    expect((await post(server, `/v1/people/${subjectId}/rectifications`, privacy, { fullName: 'Otro Nombre', reason: 'r' })).body.code).toBe('PERSON_ERASED');

    const access = await get(`/v1/people/${subjectId}/personal-data`, privacy);
    expect(access.body).toMatchObject({ status: 'erased', curp: null, fullName: null, erasureRequestFolio: erasure.requestFolio, rectifications: [{ fullName: null, reason: null }] });
    expect(access.body.certificates).toEqual([expect.objectContaining({ folio, status: 'certified' })]);

    const shown = await get(settled(`/v1/public/certificates/${folio}`));
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ folio, holderName: ERASED_NAME, status: 'valid' });
    const listed = await get(settled(`/v1/certificates/${folio}`), callers.comptroller);
    expect(listed.body).toMatchObject({ folio, holderName: ERASED_NAME });
    const { position: _before, ...countsBefore } = statsBefore;
    const { position: _after, ...countsAfter } = (await get(settled('/v1/stats/certifications'), callers.comptroller)).body;
    expect(countsAfter).toEqual(countsBefore);
    const report = await get(settled(`/v1/reports/transparency?asOf=${TODAY}`), callers.comptroller);
    expect(reportBefore.body.totals.valid).toBeGreaterThanOrEqual(2);
    expect(report.body.totals).toEqual(reportBefore.body.totals);
    expect(JSON.stringify(report.body)).toContain(ERASED_NAME);
    expect(JSON.stringify(report.body)).toContain(bystander.fullName);
    for (const value of [holder.fullName, rectifiedName, holder.curp]) expect(JSON.stringify(report.body)).not.toContain(value);
  });

  it('leaves neither the CURP nor any name of the erased person in a dump of the whole database, in any form', async () => {
    const { text } = await dumpDatabase(await ledger.postgresUrl());
    const found = [holder.curp, holder.fullName, rectifiedName].flatMap((value) => formsFound(text, value));
    expect(found).toEqual([]);
    // The bystander's name is still there (the read models show it): the dump is a real one.
    expect(text).toContain(bystander.fullName);
    const stored = JSON.stringify((await ledger.store.readAll()).map((event) => event.data));
    for (const value of [holder.curp, holder.fullName, rectifiedName]) expect(formsFound(stored, value)).toEqual([]);
  });

  it('still verifies the log, and a rebuild of the read models gives the same erased view', async () => {
    const env = await cliEnv();
    const verified = await runCli(['verify', '--quiet'], env);
    expect({ code: verified.code, out: verified.stdout }).toEqual({ code: 0, out: expect.stringContaining('agree') });
    const rebuilt = await runCli(['rebuild', 'people'], env);
    expect({ code: rebuilt.code, err: rebuilt.stderr.slice(0, 500) }).toEqual({ code: 0, err: expect.any(String) });
    const shown = await get(`/v1/public/certificates/${folio}`);
    expect(shown.body).toMatchObject({ folio, holderName: ERASED_NAME });
    expect((await get(`/v1/public/certificates/${folio}`)).body.holderName).toBe(ERASED_NAME);
    const { text } = await dumpDatabase(await ledger.postgresUrl());
    expect([holder.curp, holder.fullName, rectifiedName].flatMap((value) => formsFound(text, value))).toEqual([]);
  });

  it('enrolls the same CURP again as a new subject', async () => {
    const again = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody({ curp: holder.curp, fullName: holder.fullName }, { jurisdiction: { state: 'QR' } }));
    expect(again.status).toBe(201);
    expect(again.body.subjectId).not.toBe(subjectId);
    const found = await post(server, '/v1/people/lookup', privacy, { curp: holder.curp });
    expect(found.body).toEqual({ subjectId: again.body.subjectId });
    const access = await get(`/v1/people/${again.body.subjectId}/personal-data`, privacy);
    expect(access.body).toMatchObject({ status: 'registered', curp: holder.curp, fullName: holder.fullName });
    expect(access.body.certificates).toEqual([expect.objectContaining({ status: 'open', folio: null })]);
    // The old subject stays erased.
    expect((await get(`/v1/people/${subjectId}/personal-data`, privacy)).body.status).toBe('erased');
  });
});
