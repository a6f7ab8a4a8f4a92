import { Client } from 'pg';
import request from 'supertest';
import { eventually } from '../support/eventually';
import { Callers, callersFor, EVIDENCE, enrollmentBody, nextPerson, post, seedReferenceData } from './support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from './support/ledger-modes';
import type { LedgerServer } from './support/ledger-server';
import { signToken } from './support/tokens';

interface Entry {
  entryId: string;
  readAt: string;
  actor: { id: string; role: string; organizationId: string; jurisdiction: string | null };
  route: string;
  correlationId: string;
  subjectIds: string[];
}

interface Person {
  curp: string;
  fullName: string;
  subjectId: string;
  processId: string;
  folio?: string;
}

const COMPTROLLER = { id: 'auditor-1', role: 'comptroller', organizationId: 'SECOGEF', jurisdiction: null };
const CERTIFIER = { id: 'certifier-1', role: 'certifier', organizationId: 'ECE322-18', jurisdiction: null };
const REGISTRAR = { id: 'registrar-1', role: 'registrar', organizationId: 'CECATI-149', jurisdiction: null };

/**
 * The access log records exactly the reads that showed personal data: a
 * known sequence of reads by several callers, some of routes that show no
 * personal data and some refused, then GET /v1/audit/access must hold those
 * entries and no others, findable by each filter and walkable by cursor,
 * with no CURP and no name anywhere in the log.
 */
describe('access log', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;
  let privacy: string;
  const people: Person[] = [];
  let lastPosition = '0';

  const get = (path: string, authorization: string | undefined, correlationId: string) => {
    const call = request(server.baseUrl).get(path).set('X-Correlation-Id', correlationId);
    return authorization ? call.set('Authorization', authorization) : call;
  };

  const accessLog = async (query = '', authorization = callers.comptroller) => {
    const response = await request(server.baseUrl).get(`/v1/audit/access${query}`).set('Authorization', authorization);
    expect(response.status).toBe(200);
    return response.body as { items: Entry[]; nextCursor: string | null };
  };

  /** Every entry, page after page. */
  const wholeLog = async (query = '', limit = 500): Promise<Entry[]> => {
    const entries: Entry[] = [];
    for (let cursor: string | null = null; ; ) {
      const separator = query ? '&' : '?';
      const page = await accessLog(`${query}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`.replace(/^&/, '?'));
      entries.push(...page.items);
      if (!page.nextCursor) return entries;
      cursor = page.nextCursor;
    }
  };

  async function enroll(): Promise<Person> {
    const person = nextPerson();
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(person));
    expect(enrolled.status).toBe(201);
    lastPosition = enrolled.body.position;
    return { ...person, subjectId: enrolled.body.subjectId, processId: enrolled.body.processId };
  }

  async function certify(person: Person): Promise<void> {
    const evaluated = await post(server, `/v1/enrollments/${person.processId}/evaluations`, callers.evaluator, {
      result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: '2018-11-01T16:00:00Z',
    });
    expect(evaluated.status).toBe(201);
    const issued = await post(server, `/v1/enrollments/${person.processId}/certificate`, callers.certifier, { issuedAt: '2018-11-13T18:00:00Z' });
    expect(issued.status).toBe(201);
    person.folio = issued.body.folio;
    lastPosition = issued.body.position;
  }

  beforeAll(async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'access_log' });
    server = ledger.server;
    callers = callersFor(server);
    privacy = `Bearer ${signToken(server.secrets.tokenKey, { sub: 'privacy-1', role: 'privacy', org: 'UT-SECOGEF' })}`;
    await seedReferenceData(server, callers);
    // Two certified holders and one enrolled candidate; nothing read yet.
    for (let n = 0; n < 3; n += 1) people.push(await enroll());
    await certify(people[0]);
    await certify(people[1]);
  }, 180_000);

  afterAll(async () => {
    await ledger?.stop();
  });

  it('holds exactly the reads that showed personal data, in order, and none of the others', async () => {
    const [a, b, c] = people;
    expect((await accessLog()).items).toEqual([]);
    const shown = [
      { call: () => get(`/v1/certificates?limit=1&minPosition=${lastPosition}`, callers.comptroller, 'read-01'), status: 200 },
      { call: async () => get(`/v1/certificates?limit=1&cursor=${(await get('/v1/certificates?limit=1', callers.comptroller, 'read-02a')).body.nextCursor}`, callers.comptroller, 'read-02'), status: 200 },
      { call: () => get(`/v1/certificates/${a.folio}`, callers.certifier, 'read-03'), status: 200 },
      { call: () => get(`/v1/enrollments/${c.processId}`, callers.registrar, 'read-04'), status: 200 },
      { call: () => get(`/v1/people/${a.subjectId}/timeline`, callers.comptroller, 'read-05'), status: 200 },
      { call: () => get(`/v1/audit/certificates/${b.folio}/provenance`, callers.comptroller, 'read-06'), status: 200 },
      { call: () => get('/v1/reports/transparency?asOf=2019-01-01&format=csv', callers.comptroller, 'read-07'), status: 200 },
    ];
    const notShown = [
      { call: () => get('/v1/stats/certifications?groupBy=state', callers.comptroller, 'none-01'), status: 200 },
      { call: () => get('/v1/audit/events', callers.comptroller, 'none-02'), status: 200 },
      { call: () => get(`/v1/public/certificates/${a.folio}`, undefined, 'none-03'), status: 200 },
      { call: () => get('/v1/evaluators/eval-0007/accreditations?standard=EC0105&on=2018-11-01', callers.comptroller, 'none-04'), status: 200 },
      { call: () => get('/v1/certificates?standard=EC9999', callers.comptroller, 'none-05'), status: 200 },
      { call: () => get('/v1/certificates', callers.evaluator, 'refused-01'), status: 403 },
      { call: () => get(`/v1/certificates/${a.folio}`, callers.otherCertifier, 'refused-02'), status: 404 },
      { call: () => get('/v1/certificates', undefined, 'refused-03'), status: 401 },
      { call: () => get('/v1/certificates?limit=abc', callers.comptroller, 'refused-04'), status: 400 },
      { call: () => get(`/v1/people/${'f'.repeat(64)}/timeline`, callers.comptroller, 'refused-05'), status: 404 },
      { call: () => get(`/v1/people/${a.subjectId}/timeline`, privacy, 'refused-06'), status: 403 },
    ];
    for (const read of [...shown.slice(0, 4), ...notShown, ...shown.slice(4)]) {
      const response = await read.call();
      expect({ status: response.status, body: response.body }).toMatchObject({ status: read.status });
    }
    // read-02a is the page read to get a cursor: it showed a subject too.
    const expected = [
      { correlationId: 'read-01', route: '/v1/certificates', actor: COMPTROLLER, subjectIds: [a.subjectId] },
      { correlationId: 'read-02a', route: '/v1/certificates', actor: COMPTROLLER, subjectIds: [a.subjectId] },
      { correlationId: 'read-02', route: '/v1/certificates', actor: COMPTROLLER, subjectIds: [b.subjectId] },
      { correlationId: 'read-03', route: '/v1/certificates/{folio}', actor: CERTIFIER, subjectIds: [a.subjectId] },
      { correlationId: 'read-04', route: '/v1/enrollments/{processId}', actor: REGISTRAR, subjectIds: [c.subjectId] },
      { correlationId: 'read-05', route: '/v1/people/{subjectId}/timeline', actor: COMPTROLLER, subjectIds: [a.subjectId] },
      { correlationId: 'read-06', route: '/v1/audit/certificates/{folio}/provenance', actor: COMPTROLLER, subjectIds: [b.subjectId] },
      { correlationId: 'read-07', route: '/v1/reports/transparency', actor: COMPTROLLER, subjectIds: [a.subjectId, b.subjectId].sort(byFolioOf(people)) },
    ];
    // Written a few milliseconds after each answer, in batches.
    const entries = await eventually(async () => {
      const log = await wholeLog();
      return log.length >= expected.length ? log : undefined;
    });
    expect(entries.map(({ correlationId, route, actor, subjectIds }) => ({ correlationId, route, actor, subjectIds }))).toEqual(expected);
    for (const entry of entries) expect(Date.parse(entry.readAt)).not.toBeNaN();
  });

  it('finds entries by subject, actor, role, organization, route, correlation id and time, each as the whole log says', async () => {
    const log = await wholeLog();
    const [a] = people;
    const pick = (keep: (entry: Entry) => boolean) => log.filter(keep).map((entry) => entry.correlationId);
    const found = async (query: string) => (await wholeLog(query)).map((entry) => entry.correlationId);
    expect(await found(`?subjectId=${a.subjectId}`)).toEqual(pick((entry) => entry.subjectIds.includes(a.subjectId)));
    expect(await found(`?subjectId=${a.subjectId}`)).toEqual(['read-01', 'read-02a', 'read-03', 'read-05', 'read-07']);
    expect(await found('?actorId=certifier-1')).toEqual(['read-03']);
    expect(await found('?role=registrar')).toEqual(['read-04']);
    expect(await found('?organizationId=SECOGEF')).toEqual(pick((entry) => entry.actor.organizationId === 'SECOGEF'));
    expect(await found(`?route=${encodeURIComponent('/v1/certificates/{folio}')}`)).toEqual(['read-03']);
    expect(await found('?route=/v1/certificates')).toEqual(['read-01', 'read-02a', 'read-02']);
    expect(await found('?correlationId=read-06')).toEqual(['read-06']);
    const middle = log[3].readAt;
    expect(await found(`?from=${middle}`)).toEqual(pick((entry) => entry.readAt >= middle));
    expect(await found(`?to=${middle}`)).toEqual(pick((entry) => entry.readAt <= middle));
    expect(await found(`?from=${middle}&to=${middle}&actorId=certifier-1`)).toEqual(pick((entry) => entry.readAt === middle && entry.actor.id === 'certifier-1'));
    expect(await found('?from=2000-01-01&to=2000-12-31')).toEqual([]);
    expect(await found(`?subjectId=${a.subjectId}&actorId=auditor-1&route=/v1/reports/transparency`)).toEqual(['read-07']);
  });

  it('walks the log by cursor: pages of `limit` that add up to the whole log, the last with nextCursor null', async () => {
    const whole = await wholeLog();
    const pages: Entry[][] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await accessLog(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(pages.slice(0, -1).every((page) => page.length === 3)).toBe(true);
    expect(pages.flat()).toEqual(whole);
    const filtered = await accessLog(`?subjectId=${people[0].subjectId}&limit=2`);
    expect(filtered.items.map((entry) => entry.correlationId)).toEqual(['read-01', 'read-02a']);
    const next = await accessLog(`?subjectId=${people[0].subjectId}&limit=2&cursor=${filtered.nextCursor}`);
    expect(next.items.map((entry) => entry.correlationId)).toEqual(['read-03', 'read-05']);
  });

  it('answers the privacy office and comptrollers, and 403 to every other role', async () => {
    expect((await accessLog('', privacy)).items.length).toBeGreaterThan(0);
    for (const role of ['authority', 'certifier', 'registrar', 'evaluator'] as const) {
      const response = await request(server.baseUrl).get('/v1/audit/access').set('Authorization', callers[role]);
      expect({ role, status: response.status, code: response.body.code }).toEqual({ role, status: 403, code: 'ROLE_NOT_ALLOWED' });
    }
    const anonymous = await request(server.baseUrl).get('/v1/audit/access');
    expect(anonymous.status).toBe(401);
  });

  it('refuses hostile query input with 400 problem+json naming the field', async () => {
    const cases: [string, string][] = [
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify({ after: '99999999999999999999' })).toString('base64url')}`, 'cursor'],
      ['limit=100000', 'limit'],
      ['limit=0', 'limit'],
      ['limit=1e2', 'limit'],
      ['limit=1&limit=2', 'limit'],
      [`subjectId=${people[0].curp}`, 'subjectId'],
      [`subjectId=${people[0].subjectId.toUpperCase()}`, 'subjectId'],
      ['subjectId[]=x', 'subjectId[]'],
      [`actorId=${people[0].curp}`, 'actorId'],
      [`actorId=llave%3A${people[0].curp.toLowerCase()}`, 'actorId'],
      ['actorId=%00auditor', 'actorId'],
      ['actorId=a%0Ab', 'actorId'],
      [`actorId=${'x'.repeat(201)}`, 'actorId'],
      ['organizationId=%7F', 'organizationId'],
      ['role=root', 'role'],
      ['route=/v1/certificates/ABCD-EFGH-JKMN-P', 'route'],
      ['route=%2Fv1%2Fcertificates%3Flimit%3D5', 'route'],
      ['correlationId=a%20b', 'correlationId'],
      ['from=yesterday', 'from'],
      ['to=2026-13-45', 'to'],
      ['from[a]=1', 'from[a]'],
      ['unknown=1', 'unknown'],
      ['subjectId=a&subjectId=b', 'subjectId'],
    ];
    for (const [query, field] of cases) {
      const response = await request(server.baseUrl).get(`/v1/audit/access?${query}`).set('Authorization', callers.comptroller);
      expect({ query, status: response.status, type: response.headers['content-type'] }).toEqual({ query, status: 400, type: expect.stringContaining('application/problem+json') });
      expect({ query, fields: (response.body.errors ?? []).map((error: { field: string }) => error.field) }).toEqual({ query, fields: expect.arrayContaining([field]) });
    }
  });

  it('holds no CURP and no name, through the API or in its table', async () => {
    const url = await ledger.postgresUrl();
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT * FROM ledger.access_log');
      expect(rows.length).toBeGreaterThan(0);
      const stored = JSON.stringify(rows);
      const listed = JSON.stringify(await wholeLog());
      for (const person of people) {
        for (const text of [stored, listed]) {
          expect(text.toUpperCase()).not.toContain(person.curp.toUpperCase());
          for (const part of person.fullName.split(' ').filter((word) => word.length > 3)) expect(text.toLowerCase()).not.toContain(part.toLowerCase());
        }
      }
    } finally {
      await client.end();
    }
  });

  it('records a reader named by CURP in its token as subject-<subjectId>, never the CURP', async () => {
    const reader = nextPerson();
    const token = `Bearer ${signToken(server.secrets.tokenKey, { sub: `llave-${reader.curp}`, role: 'comptroller', org: 'SECOGEF' })}`;
    const response = await get(`/v1/certificates/${people[1].folio}`, token, 'read-curp-actor');
    expect(response.status).toBe(200);
    const [entry] = await eventually(async () => {
      const found = (await accessLog('?correlationId=read-curp-actor')).items;
      return found.length > 0 ? found : undefined;
    });
    expect(entry.actor.id).toMatch(/^llave-subject-[0-9a-f]{64}$/);
    expect(JSON.stringify(entry)).not.toContain(reader.curp);
    expect((await wholeLog(`?actorId=${entry.actor.id}`)).map((e) => e.correlationId)).toEqual(['read-curp-actor']);
  });

  it('writes out every acknowledged read on a graceful shutdown', async () => {
    const reads = await Promise.all(
      Array.from({ length: 20 }, (_, n) => get(`/v1/certificates/${people[n % 2].folio}`, callers.comptroller, `before-shutdown-${n}`)),
    );
    expect(reads.map((response) => response.status)).toEqual(Array(20).fill(200));
    await server.kill('SIGTERM');
    const client = new Client({ connectionString: await ledger.postgresUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ correlation_id: string }>("SELECT correlation_id FROM ledger.access_log WHERE correlation_id LIKE 'before-shutdown-%'");
      expect(rows.map((row) => row.correlation_id).sort()).toEqual(Array.from({ length: 20 }, (_, n) => `before-shutdown-${n}`).sort());
    } finally {
      await client.end();
    }
  });
});

/** A transparency report lists certificates by folio: its holders in that order. */
function byFolioOf(people: Person[]): (x: string, y: string) => number {
  const folioOf = (subjectId: string) => people.find((person) => person.subjectId === subjectId)?.folio ?? '';
  return (x, y) => (folioOf(x) < folioOf(y) ? -1 : folioOf(x) > folioOf(y) ? 1 : 0);
}
