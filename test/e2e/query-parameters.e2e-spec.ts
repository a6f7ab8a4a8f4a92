import request from 'supertest';
import { Callers, callersFor, competentProcess, post, seedReferenceData } from './support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from './support/ledger-modes';
import type { LedgerServer } from './support/ledger-server';

/** One past the largest position (PostgreSQL's bigint), and a number far past it. */
const PAST_INT64 = '9223372036854775808';
const FAR_PAST_INT64 = '99999999999999999999';

function cursorAfter(position: string): string {
  return Buffer.from(JSON.stringify({ after: position }), 'utf8').toString('base64url');
}

interface Malformed {
  name: string;
  /** The path and query, once the fixtures exist. */
  path: () => string;
  /** No caller: the public route, without a token. */
  caller?: keyof Callers;
  /** The parameter the answer must name. */
  field: string;
  code?: string;
}

/**
 * Query strings and path parameters of the query routes are strict: every
 * malformed value is a 400 problem+json naming the parameter, never a 500, a
 * 503 or a value silently read another way. Positions and cursors are plain
 * decimal integers within PostgreSQL's bigint; limits are plain decimal
 * integers from 1 to the page size; dates are real, in years 1900 to 2999,
 * with offsets within ±14:00; path parameters have the shape of what they name.
 */
describe('query and path parameters', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;
  let processId: string;
  let subjectId: string;
  let folio: string;

  const get = (path: string, authorization?: string) => {
    const call = request(server.baseUrl).get(path);
    return authorization ? call.set('Authorization', authorization) : call;
  };

  beforeAll(async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'query_parameters' });
    server = ledger.server;
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    processId = await competentProcess(server, callers);
    const issued = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T18:00:00Z' });
    expect(issued.status).toBe(201);
    folio = issued.body.folio;
    const process = await get(`/v1/enrollments/${processId}?minPosition=${issued.body.position}`, callers.comptroller);
    expect(process.status).toBe(200);
    subjectId = process.body.subjectId;
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  const accreditation = '/v1/evaluators/eval-0007/accreditations?standard=EC0105&on=2018-11-01';
  const malformed: Malformed[] = [
    { name: 'limit with a leading space (%205)', path: () => '/v1/certificates?limit=%205', caller: 'comptroller', field: 'limit' },
    { name: 'limit with an exponent (1e2)', path: () => '/v1/certificates?limit=1e2', caller: 'comptroller', field: 'limit' },
    { name: 'limit in hex (0x10)', path: () => '/v1/audit/events?limit=0x10', caller: 'comptroller', field: 'limit' },
    { name: 'limit with a leading zero', path: () => `/v1/people/${subjectId}/timeline?limit=05`, caller: 'comptroller', field: 'limit' },
    { name: 'limit with a sign', path: () => '/v1/certificates?limit=%2B5', caller: 'comptroller', field: 'limit' },
    { name: 'limit of zero', path: () => '/v1/certificates?limit=0', caller: 'comptroller', field: 'limit' },
    { name: 'limit past the page size', path: () => '/v1/certificates?limit=501', caller: 'comptroller', field: 'limit' },
    { name: 'limit given twice', path: () => '/v1/certificates?limit=1&limit=2', caller: 'comptroller', field: 'limit' },
    { name: 'cursor past int64 (certificates)', path: () => `/v1/certificates?cursor=${cursorAfter(FAR_PAST_INT64)}`, caller: 'comptroller', field: 'cursor', code: 'INVALID_CURSOR' },
    { name: 'cursor one past int64 (audit)', path: () => `/v1/audit/events?cursor=${cursorAfter(PAST_INT64)}`, caller: 'comptroller', field: 'cursor', code: 'INVALID_CURSOR' },
    { name: 'cursor past int64 (timeline)', path: () => `/v1/people/${subjectId}/timeline?cursor=${cursorAfter(FAR_PAST_INT64)}`, caller: 'comptroller', field: 'cursor', code: 'INVALID_CURSOR' },
    { name: 'atPosition past int64', path: () => `/v1/reports/transparency?asOf=2019-01-01&atPosition=${FAR_PAST_INT64}`, caller: 'comptroller', field: 'atPosition' },
    { name: 'atPosition one past int64', path: () => `/v1/reports/transparency?asOf=2019-01-01&atPosition=${PAST_INT64}`, caller: 'comptroller', field: 'atPosition' },
    { name: 'atPosition in hex', path: () => '/v1/reports/transparency?asOf=2019-01-01&atPosition=0x10', caller: 'comptroller', field: 'atPosition' },
    { name: 'minPosition past int64', path: () => `/v1/stats/certifications?minPosition=${FAR_PAST_INT64}`, caller: 'comptroller', field: 'minPosition' },
    { name: 'minPosition one past int64 (public)', path: () => `/v1/public/certificates/${folio}?minPosition=${PAST_INT64}`, field: 'minPosition' },
    { name: 'minPosition negative', path: () => `/v1/certificates/${folio}?minPosition=-1`, caller: 'comptroller', field: 'minPosition' },
    { name: 'minPosition with an exponent', path: () => `${accreditation}&minPosition=1e3`, caller: 'comptroller', field: 'minPosition' },
    { name: 'asOf in year 9999', path: () => '/v1/reports/transparency?asOf=9999-01-01', caller: 'comptroller', field: 'asOf' },
    { name: 'issuedTo in year 9999', path: () => '/v1/certificates?issuedTo=9999-12-31', caller: 'comptroller', field: 'issuedTo' },
    { name: 'to in year 9999', path: () => '/v1/audit/events?to=9999-12-31', caller: 'comptroller', field: 'to' },
    { name: 'issuedFrom with a +25:00 offset', path: () => '/v1/stats/certifications?issuedFrom=2018-11-13T18:00:00%2B25:00', caller: 'comptroller', field: 'issuedFrom' },
    { name: 'from with a +25:00 offset', path: () => '/v1/audit/events?from=2018-11-13T18:00:00%2B25:00', caller: 'comptroller', field: 'from' },
    { name: 'on with a +25:00 offset', path: () => '/v1/evaluators/eval-0007/accreditations?standard=EC0105&on=2018-11-01T00:00:00%2B25:00', caller: 'comptroller', field: 'on' },
    { name: '%00 as the folio of a certificate', path: () => '/v1/certificates/%00', caller: 'comptroller', field: 'folio', code: 'FOLIO_FORMAT' },
    { name: '%00 as the folio of a public verification', path: () => '/v1/public/certificates/%00', field: 'folio', code: 'FOLIO_FORMAT' },
    { name: '%00 as the folio of a provenance', path: () => '/v1/audit/certificates/%00/provenance', caller: 'comptroller', field: 'folio', code: 'FOLIO_FORMAT' },
    { name: '%00 inside a folio', path: () => `/v1/certificates/${folio.slice(0, 4)}%00${folio.slice(4)}`, caller: 'comptroller', field: 'folio', code: 'FOLIO_FORMAT' },
    { name: '%00 as the processId', path: () => '/v1/enrollments/%00', caller: 'comptroller', field: 'processId' },
    { name: '%00 inside the processId', path: () => `/v1/enrollments/${processId}%00`, caller: 'registrar', field: 'processId' },
    { name: '%00 as the subjectId', path: () => '/v1/people/%00/timeline', caller: 'comptroller', field: 'subjectId' },
    { name: 'a subjectId in upper case', path: () => `/v1/people/${subjectId.toUpperCase()}/timeline`, caller: 'comptroller', field: 'subjectId' },
    { name: '%00 as the evaluatorId', path: () => '/v1/evaluators/%00/accreditations?standard=EC0105&on=2018-11-01', caller: 'comptroller', field: 'evaluatorId' },
    { name: 'an evaluatorId with a space', path: () => '/v1/evaluators/eval%200007/accreditations?standard=EC0105&on=2018-11-01', caller: 'comptroller', field: 'evaluatorId' },
    { name: '%00 in a filter', path: () => '/v1/certificates?agency=Hacienda%00', caller: 'comptroller', field: 'agency' },
  ];

  it.each(malformed.map((bad) => [bad.name, bad] as const))('answers 400 problem+json naming the parameter: %s', async (_, bad) => {
    const response = await get(bad.path(), bad.caller && callers[bad.caller]);
    expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: bad.code ?? expect.any(String) });
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect((response.body.errors as { field: string }[]).map((error) => error.field)).toContain(bad.field);
  });

  const routes = (): { path: string; caller?: keyof Callers }[] => [
    { path: '/v1/certificates', caller: 'comptroller' },
    { path: `/v1/certificates/${folio}`, caller: 'comptroller' },
    { path: `/v1/public/certificates/${folio}` },
    { path: `/v1/enrollments/${processId}`, caller: 'comptroller' },
    { path: `/v1/people/${subjectId}/timeline`, caller: 'comptroller' },
    { path: '/v1/audit/events', caller: 'comptroller' },
    { path: `/v1/audit/certificates/${folio}/provenance`, caller: 'comptroller' },
    { path: '/v1/stats/certifications', caller: 'comptroller' },
    { path: '/v1/reports/transparency?asOf=2019-01-01', caller: 'comptroller' },
    { path: accreditation, caller: 'comptroller' },
  ];

  it('refuses an unknown query parameter on every query route, naming it', async () => {
    for (const { path, caller } of routes()) {
      const authorization = caller && callers[caller];
      expect({ path, status: (await get(path, authorization)).status }).toEqual({ path, status: 200 });
      const response = await get(`${path}${path.includes('?') ? '&' : '?'}sort=folio`, authorization);
      expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status: 400, code: 'VALIDATION_FAILED' });
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'sort', code: 'UNKNOWN_FIELD' })]);
    }
  });

  it('refuses a malformed request at once, even when it also asks to wait for a position the read models have not reached', async () => {
    const ahead = String((await ledger.store.headPosition()) + 1_000_000n);
    // Waiting first would end in 503 PROJECTION_LAG: the 400 says the request was judged before any wait.
    for (const { path, caller } of routes()) {
      const response = await get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${ahead}&sort=folio`, caller && callers[caller]);
      expect({ path, status: response.status, field: response.body.errors?.[0]?.field }).toEqual({ path, status: 400, field: 'sort' });
    }
    // Also what the query services check themselves (real dates, cursors the ledger wrote), and a report's atPosition.
    const checkedByTheServices = [
      { path: `/v1/certificates?minPosition=${ahead}&issuedTo=9999-12-31`, field: 'issuedTo' },
      { path: `/v1/audit/events?minPosition=${ahead}&cursor=abc`, field: 'cursor' },
      { path: `/v1/stats/certifications?minPosition=${ahead}&groupBy=colour`, field: 'groupBy' },
      // Counts and pages are kept in memory: a malformed one is still judged before the wait, not after it.
      { path: `/v1/stats/certifications?minPosition=${ahead}&issuedTo=9999-12-31`, field: 'issuedTo' },
      { path: `/v1/certificates?minPosition=${ahead}&cursor=abc`, field: 'cursor' },
      { path: `/v1/certificates?minPosition=${ahead}&printedFolio=%3Cscript%3E`, field: 'printedFolio' },
      { path: `/v1/reports/transparency?asOf=2019-01-01&atPosition=${ahead}&issuedTo=9999-12-31`, field: 'issuedTo' },
      { path: `/v1/reports/transparency?asOf=2019-02-29&minPosition=${ahead}`, field: 'asOf' },
    ];
    for (const { path, field } of checkedByTheServices) {
      const response = await get(path, callers.comptroller);
      expect({ path, status: response.status, field: response.body.errors?.[0]?.field }).toEqual({ path, status: 400, field });
    }
  });

  it('refuses parameters named like what every object inherits (constructor, toString, __proto__), as unknown', async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const response = await get(`/v1/certificates?${name}=1`, callers.comptroller);
      expect({ name, status: response.status }).toEqual({ name, status: 400 });
      expect(response.body.errors).toEqual([expect.objectContaining({ field: name, code: 'UNKNOWN_FIELD' })]);
    }
    // The same names in a body were dropped in silence too: one check covers both.
    const head = await ledger.store.headPosition();
    const body = await post(server, '/v1/standards', callers.authority, { code: 'EC0999', version: '01', title: 'Estándar', validityYears: 3, valueOf: 1 });
    expect({ status: body.status, fields: body.body.errors?.map((error: { field: string }) => error.field) }).toEqual({ status: 400, fields: ['valueOf'] });
    expect(await ledger.store.headPosition()).toBe(head);
  });

  it('still reads every well-formed value, at the edges of its range', async () => {
    const page = await get('/v1/audit/events?limit=1', callers.comptroller);
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    const next = await get(`/v1/audit/events?limit=500&cursor=${page.body.nextCursor}`, callers.comptroller);
    expect(next.status).toBe(200);
    expect(next.body.items[0].position).not.toBe(page.body.items[0].position);
    expect((await get(`/v1/audit/events?cursor=${cursorAfter('9223372036854775807')}`, callers.comptroller)).body).toEqual({ items: [], nextCursor: null });
    expect((await get('/v1/certificates?minPosition=0', callers.comptroller)).status).toBe(200);
    expect((await get('/v1/reports/transparency?asOf=2999-12-31&atPosition=0', callers.comptroller)).status).toBe(200);
    expect((await get('/v1/certificates?issuedFrom=1900-01-01T00:00:00-14:00&issuedTo=2999-12-31T23:59:59%2B14:00', callers.comptroller)).status).toBe(200);
    expect((await get(`/v1/public/certificates/${folio.toLowerCase().replace(/-/g, '')}`)).body.folio).toBe(folio);
  });
});
