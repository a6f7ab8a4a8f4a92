import { callersFor, enrollmentBody, nextPerson, post, seedReferenceData, type Callers } from './support/ledger-client';
import { comparable, fetchAnswer, type Answer } from './support/http-answers';
import { POSTGRES_MODE, type LedgerUnderTest } from './support/ledger-modes';
import type { LedgerServer } from './support/ledger-server';
import { signToken } from './support/tokens';
import { eventually } from '../support/eventually';

interface Stats {
  groups: { key: Record<string, string | null>; count: number }[];
  position: string;
}

const total = (answer: Answer) => (JSON.parse(answer.text) as Stats).groups.reduce((sum, group) => sum + group.count, 0);

interface Entry {
  actor: { id: string; role: string };
  route: string;
  subjectIds: string[];
  correlationId: string;
}

/**
 * Certificate counts, pages of certificates and transparency reports
 * rendered whole as the ledger answers them ahead of Express (the fast
 * lane): each answer is the one Nest's controller gives for the same query
 * (reached through a trailing slash, which Nest routes to the same
 * handler), every header included; a state comptroller sees its state only
 * and a certifier its own provider's, as through Nest; a page's or a
 * report's read is in the access log as Nest records it; what the fast lane
 * cannot answer as the controller would (no token, a bad one, another role,
 * a query to refuse or to wait for, a report at a position) goes to Nest;
 * and new certificates are counted, listed and reported.
 */
describe('certificate counts, pages and reports in the fast lane', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;
  let bajaCalifornia: string;
  let lastPosition: string;

  const call = (path: string, headers: Record<string, string> = {}): Promise<Answer> => fetchAnswer(server.baseUrl, path, headers);

  async function certify(state: string): Promise<string> {
    const enrolled = await post(server, '/v1/enrollments', callers.registrar, enrollmentBody(nextPerson(state), { jurisdiction: { state } }));
    expect(enrolled.status).toBe(201);
    const { processId } = enrolled.body as { processId: string };
    const evaluated = await post(server, `/v1/enrollments/${processId}/evaluations`, callers.evaluator, {
      result: 'competent',
      evidenceDigest: `sha256:${'cd'.repeat(32)}`,
      evaluatedAt: '2018-11-01T16:00:00Z',
    });
    expect(evaluated.status).toBe(201);
    const issued = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, {});
    expect(issued.status).toBe(201);
    return (issued.body as { position: string }).position;
  }

  beforeAll(async () => {
    // LOG_LEVEL=info: Nest writes a line per request it answers, the fast lane none, which tells them apart.
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'stats_fast_lane', server: { env: { LOG_LEVEL: 'info' } } });
    server = ledger.server;
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    for (const state of ['BC', 'BC', 'QR']) lastPosition = await certify(state);
    bajaCalifornia = `Bearer ${signToken(server.secrets.tokenKey, { sub: 'auditor-bc', role: 'comptroller', org: 'SECOGEBC' }, 3600, { jurisdiction: 'BC' })}`;
    const settled = await call(`/v1/stats/certifications?groupBy=state&minPosition=${lastPosition}`, { Authorization: callers.comptroller });
    expect(total(settled)).toBe(3);
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  /** Nest logged the requests it answered (the last of them named), and the fast lane none of those it answered. */
  async function expectLoggedByNestOnly(lastNestCorrelationId: string, fastPrefix: string): Promise<void> {
    const output = () => server.output();
    await eventually(() => output().includes(`"correlationId":"${lastNestCorrelationId}"`));
    expect(output()).not.toContain(`"correlationId":"${fastPrefix}`);
  }

  /** Each request answered by Nest's refusal: its status, problem+json, and its code where one is given. */
  async function expectRefused(path: string, cases: [string, Record<string, string>, number, string | undefined][]): Promise<void> {
    for (const [query, headers, status, code] of cases) {
      const answer = await call(`${path}?${query}`, headers);
      expect({ query, status: answer.status, type: answer.headers.get('content-type') }).toEqual({ query, status, type: expect.stringContaining('application/problem+json') });
      if (code) expect({ query, code: (JSON.parse(answer.text) as { code: string }).code }).toEqual({ query, code });
    }
  }

  const accessEntries = async (correlationId: string): Promise<Entry[]> => {
    const answer = await call(`/v1/audit/access?correlationId=${correlationId}`, { Authorization: callers.comptroller });
    expect(answer.status).toBe(200);
    return (JSON.parse(answer.text) as { items: Entry[] }).items;
  };

  /**
   * The access-log entries of the same read answered by each lane, once both are written (one each when it showed
   * anyone, none otherwise), as compared: actor, route and holders (sorted); and the fast lane's first entry as written.
   */
  async function entriesOfBothLanes(fastId: string, nestId: string, shown: number) {
    const [fast, routed] = await eventually(async () => {
      const found = [await accessEntries(fastId), await accessEntries(nestId)];
      return found.every((entries) => entries.length === (shown > 0 ? 1 : 0)) ? found : undefined;
    });
    const strip = (entries: Entry[]) => entries.map(({ actor, route, subjectIds }) => ({ actor, route, subjectIds: [...subjectIds].sort() }));
    return { fast: strip(fast), routed: strip(routed), firstFast: fast[0] };
  }

  it('answers as the controller does, header for header, for the whole country and for a state, and logs no line', async () => {
    const queries = ['groupBy=state', 'groupBy=state,standard', 'groupBy=provider&standard=EC0105', '', 'state=QR&issuedFrom=2018-01-01'];
    for (const [index, query] of queries.entries()) {
      for (const [who, token] of [['country', callers.comptroller], ['state', bajaCalifornia]] as const) {
        const fast = await call(`/v1/stats/certifications?${query}`, { Authorization: token, 'X-Correlation-Id': `stats-fast-${who}-${index}` });
        const routed = await call(`/v1/stats/certifications/?${query}`, { Authorization: token, 'X-Correlation-Id': `stats-nest-${who}-${index}` });
        expect({ query, who, fast: fast.status, routed: routed.status }).toEqual({ query, who, fast: 200, routed: 200 });
        expect(fast.text).toBe(routed.text);
        expect(comparable(fast)).toEqual(comparable(routed));
        expect(fast.headers.get('x-correlation-id')).toBe(`stats-fast-${who}-${index}`);
      }
    }
    const country = await call('/v1/stats/certifications?groupBy=state', { Authorization: callers.comptroller });
    expect((JSON.parse(country.text) as Stats).groups).toEqual([
      { key: { state: 'BC' }, count: 2 },
      { key: { state: 'QR' }, count: 1 },
    ]);
    expect(comparable(country)).toMatchObject({ 'cache-control': 'no-store', 'ledger-position': expect.stringMatching(/^\d+$/), 'content-type': 'application/json; charset=utf-8' });
    const state = await call('/v1/stats/certifications?groupBy=state', { Authorization: bajaCalifornia });
    expect((JSON.parse(state.text) as Stats).groups).toEqual([{ key: { state: 'BC' }, count: 2 }]);
    await expectLoggedByNestOnly(`stats-nest-state-${queries.length - 1}`, 'stats-fast-');
  });

  it('leaves to Nest what it cannot answer as the controller would', async () => {
    const cases: [string, Record<string, string>, number, string | undefined][] = [
      ['groupBy=state', {}, 401, 'UNAUTHENTICATED'],
      ['groupBy=state', { Authorization: 'Bearer not-a-token' }, 401, 'UNAUTHENTICATED'],
      ['groupBy=state', { Authorization: `Bearer ${signToken('another-key-another-key-another-key', { sub: 'x', role: 'comptroller', org: 'X' })}` }, 401, 'UNAUTHENTICATED'],
      ['groupBy=state', { Authorization: callers.certifier }, 403, 'ROLE_NOT_ALLOWED'],
      ['groupBy=state', { Authorization: callers.registrar }, 403, 'ROLE_NOT_ALLOWED'],
      ['groupBy=color', { Authorization: callers.comptroller }, 400, undefined],
      ['groupBy=state,state', { Authorization: callers.comptroller }, 400, undefined],
      ['groupBy=state&curp=PERJ750914HBCXZN39', { Authorization: callers.comptroller }, 400, 'VALIDATION_FAILED'],
      ['groupBy=state&groupBy=standard', { Authorization: callers.comptroller }, 400, 'VALIDATION_FAILED'],
      ['groupBy=%00state', { Authorization: callers.comptroller }, 400, 'VALIDATION_FAILED'],
      ['issuedFrom=2018-02-30', { Authorization: callers.comptroller }, 400, undefined],
      [`groupBy=${'state,'.repeat(500)}`, { Authorization: callers.comptroller }, 400, 'VALIDATION_FAILED'],
      ['minPosition=-1', { Authorization: callers.comptroller }, 400, 'VALIDATION_FAILED'],
    ];
    await expectRefused('/v1/stats/certifications', cases);
    // A token's jurisdiction is the token's: a state comptroller asking for another state counts nothing, as through Nest.
    const elsewhere = await call('/v1/stats/certifications?state=QR', { Authorization: bajaCalifornia });
    expect(elsewhere.text).toBe((await call('/v1/stats/certifications/?state=QR', { Authorization: bajaCalifornia })).text);
    expect(total(elsewhere)).toBe(0);
  });

  it('counts a new certificate at once for a request that waits for it, and soon for any other', async () => {
    const before = total(await call('/v1/stats/certifications?groupBy=state', { Authorization: callers.comptroller }));
    const position = await certify('BC');
    const waited = await call(`/v1/stats/certifications?groupBy=state&minPosition=${position}`, { Authorization: callers.comptroller });
    expect(total(waited)).toBe(before + 1);
    const fast = await eventually(async () => {
      const answer = await call('/v1/stats/certifications?groupBy=state', { Authorization: callers.comptroller });
      return total(answer) === before + 1 ? answer : undefined;
    });
    expect(BigInt(fast.headers.get('ledger-position')!)).toBeGreaterThanOrEqual(BigInt(position));
  });

  it('lists certificates as the controller does, header for header, for each viewer, and records the holders of each page as Nest does', async () => {
    const otherCertifier = callers.otherCertifier;
    const viewers = [['country', callers.comptroller], ['state', bajaCalifornia], ['certifier', callers.certifier], ['other', otherCertifier]] as const;
    const queries = ['', 'limit=2', 'state=QR', 'standard=EC0105&limit=1', 'employment=base'];
    for (const [index, query] of queries.entries()) {
      for (const [who, token] of viewers) {
        const fast = await call(`/v1/certificates?${query}`, { Authorization: token, 'X-Correlation-Id': `list-fast-${who}-${index}` });
        const routed = await call(`/v1/certificates/?${query}`, { Authorization: token, 'X-Correlation-Id': `list-nest-${who}-${index}` });
        expect({ query, who, fast: fast.status, routed: routed.status }).toEqual({ query, who, fast: 200, routed: 200 });
        expect(fast.text).toBe(routed.text);
        expect(comparable(fast)).toEqual(comparable(routed));
      }
    }
    const page = (answer: Answer) => JSON.parse(answer.text) as { items: { folio: string; subjectId: string; jurisdiction: { state: string } }[]; nextCursor: string | null };
    expect(page(await call('/v1/certificates', { Authorization: callers.comptroller })).items.length).toBeGreaterThanOrEqual(4);
    expect(new Set(page(await call('/v1/certificates', { Authorization: bajaCalifornia })).items.map((item) => item.jurisdiction.state))).toEqual(new Set(['BC']));
    expect(page(await call('/v1/certificates', { Authorization: otherCertifier })).items).toEqual([]);
    // The next page, by the cursor the first gave.
    const first = page(await call('/v1/certificates?limit=2', { Authorization: callers.comptroller }));
    const second = await call(`/v1/certificates?limit=2&cursor=${first.nextCursor}`, { Authorization: callers.comptroller });
    expect(second.text).toBe((await call(`/v1/certificates/?limit=2&cursor=${first.nextCursor}`, { Authorization: callers.comptroller })).text);
    expect(page(second).items.map((item) => item.folio)).not.toContain(first.items[0].folio);

    // Each page read is in the access log, the same entry whichever lane answered: actor, route, the page's holders.
    for (const [index] of queries.entries()) {
      for (const [who, token] of viewers) {
        const shown = page(await call(`/v1/certificates?${queries[index]}`, { Authorization: token })).items.map((item) => item.subjectId);
        const { fast, routed, firstFast } = await entriesOfBothLanes(`list-fast-${who}-${index}`, `list-nest-${who}-${index}`, shown.length);
        expect({ query: queries[index], who, fast }).toEqual({ query: queries[index], who, fast: routed });
        if (shown.length > 0) expect(firstFast).toMatchObject({ route: '/v1/certificates', subjectIds: expect.arrayContaining(shown) });
      }
    }
    await expectLoggedByNestOnly(`list-nest-other-${queries.length - 1}`, 'list-fast-');
  });

  it('leaves to Nest the pages it cannot give as the controller would', async () => {
    const cases: [string, Record<string, string>, number, string | undefined][] = [
      ['', {}, 401, 'UNAUTHENTICATED'],
      ['', { Authorization: callers.registrar }, 403, 'ROLE_NOT_ALLOWED'],
      ['', { Authorization: callers.evaluator }, 403, 'ROLE_NOT_ALLOWED'],
      ['limit=0', { Authorization: callers.comptroller }, 400, undefined],
      ['limit=501', { Authorization: callers.comptroller }, 400, undefined],
      ['limit=ten', { Authorization: callers.comptroller }, 400, undefined],
      ['cursor=bm90LW91cnM', { Authorization: callers.comptroller }, 400, 'INVALID_CURSOR'],
      ['printedFolio=%00', { Authorization: callers.comptroller }, 400, undefined],
      ['groupBy=state', { Authorization: callers.comptroller }, 400, 'VALIDATION_FAILED'],
      ['state=B%0AC', { Authorization: callers.comptroller }, 400, undefined],
      ['minPosition=99999999999999999999', { Authorization: callers.comptroller }, 400, undefined],
    ];
    await expectRefused('/v1/certificates', cases);
  });

  it('lists a new certificate at once for a request that waits for it, and soon for any other', async () => {
    const count = async (query = '') => (JSON.parse((await call(`/v1/certificates?limit=500${query}`, { Authorization: callers.comptroller })).text) as { items: unknown[] }).items.length;
    const before = await count();
    const position = await certify('QR');
    expect(await count(`&minPosition=${position}`)).toBe(before + 1);
    await eventually(async () => ((await count()) === before + 1 ? true : undefined));
  });

  it('gives a transparency report as the controller does, header for header, in JSON and CSV, for each viewer, and records its holders as Nest does', async () => {
    const viewers = [['country', callers.comptroller], ['state', bajaCalifornia]] as const;
    const queries = ['asOf=2100-01-01', 'asOf=2100-01-01&format=csv', 'asOf=2100-01-01&state=QR', 'asOf=2100-01-01&status=valid&standard=EC0105', 'asOf=2000-01-01'];
    for (const [index, query] of queries.entries()) {
      for (const [who, token] of viewers) {
        // Twice each: the first reads and keeps the report, the second is the kept one.
        for (const round of [1, 2]) {
          const fast = await call(`/v1/reports/transparency?${query}`, { Authorization: token, 'X-Correlation-Id': `report-fast-${who}-${index}-${round}` });
          const routed = await call(`/v1/reports/transparency/?${query}`, { Authorization: token, 'X-Correlation-Id': `report-nest-${who}-${index}-${round}` });
          expect({ query, who, fast: fast.status, routed: routed.status }).toEqual({ query, who, fast: 200, routed: 200 });
          expect(fast.text).toBe(routed.text);
          expect(comparable(fast)).toEqual(comparable(routed));
        }
      }
    }
    const report = (answer: Answer) => JSON.parse(answer.text) as { totals: Record<string, number>; certificates: { folio: string; jurisdiction: { state: string } }[] };
    const country = await call('/v1/reports/transparency?asOf=2100-01-01', { Authorization: callers.comptroller });
    expect(report(country).certificates.length).toBeGreaterThanOrEqual(4);
    expect(comparable(country)).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'x-report-as-of': '2100-01-01',
      'x-report-position': expect.stringMatching(/^\d+$/),
      'ledger-position': expect.stringMatching(/^\d+$/),
      'cache-control': 'no-store',
    });
    const csv = await call('/v1/reports/transparency?asOf=2100-01-01&format=csv', { Authorization: callers.comptroller });
    expect(comparable(csv)).toMatchObject({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': expect.stringMatching(/^attachment; filename="transparency-2100-01-01-p\d+\.csv"$/) });
    expect(csv.text.trimEnd().split('\n').length - 1).toBe(report(country).certificates.length);
    expect(new Set(report(await call('/v1/reports/transparency?asOf=2100-01-01', { Authorization: bajaCalifornia })).certificates.map((c) => c.jurisdiction.state))).toEqual(new Set(['BC']));

    // Each report read is in the access log, the same entry whichever lane answered it, kept or read anew.
    for (const [index, query] of queries.entries()) {
      for (const [who, token] of viewers) {
        for (const round of [1, 2]) {
          const shown = report(await call(`/v1/reports/transparency?${query.replace('&format=csv', '')}`, { Authorization: token })).certificates.length;
          const { fast, routed, firstFast } = await entriesOfBothLanes(`report-fast-${who}-${index}-${round}`, `report-nest-${who}-${index}-${round}`, shown);
          expect({ query, who, round, fast }).toEqual({ query, who, round, fast: routed });
          if (shown > 0) expect(firstFast).toMatchObject({ route: '/v1/reports/transparency', subjectIds: expect.any(Array) });
          if (shown > 0) expect(firstFast.subjectIds.length).toBe(shown);
        }
      }
    }
    await expectLoggedByNestOnly(`report-nest-state-${queries.length - 1}-2`, 'report-fast-');
  });

  it('leaves to Nest the reports it cannot give as the controller would, and a report at a position', async () => {
    const cases: [string, Record<string, string>, number, string | undefined][] = [
      ['asOf=2100-01-01', {}, 401, 'UNAUTHENTICATED'],
      ['asOf=2100-01-01', { Authorization: 'Bearer not-a-token' }, 401, 'UNAUTHENTICATED'],
      ['asOf=2100-01-01', { Authorization: callers.certifier }, 403, 'ROLE_NOT_ALLOWED'],
      ['asOf=2100-01-01', { Authorization: callers.registrar }, 403, 'ROLE_NOT_ALLOWED'],
      ['', { Authorization: callers.comptroller }, 400, undefined],
      ['asOf=yesterday', { Authorization: callers.comptroller }, 400, undefined],
      ['asOf=2100-02-30', { Authorization: callers.comptroller }, 400, undefined],
      ['asOf=2100-01-01&format=xml', { Authorization: callers.comptroller }, 400, 'VALIDATION_FAILED'],
      ['asOf=2100-01-01&format=json&format=csv', { Authorization: callers.comptroller }, 400, 'VALIDATION_FAILED'],
      ['asOf=2100-01-01&curp=PERJ750914HBCXZN39', { Authorization: callers.comptroller }, 400, 'VALIDATION_FAILED'],
      ['asOf=2100-01-01&state=B%0AC', { Authorization: callers.comptroller }, 400, undefined],
      ['asOf=2100-01-01&atPosition=-1', { Authorization: callers.comptroller }, 400, 'VALIDATION_FAILED'],
      ['asOf=2100-01-01&atPosition=99999999999999999999', { Authorization: callers.comptroller }, 400, 'VALIDATION_FAILED'],
      ['asOf=2100-01-01&atPosition=1e3', { Authorization: callers.comptroller }, 400, 'VALIDATION_FAILED'],
      ['asOf[]=2100-01-01', { Authorization: callers.comptroller }, 400, 'VALIDATION_FAILED'],
      ['asOf=2100-01-01&state[x]=BC', { Authorization: callers.comptroller }, 400, 'VALIDATION_FAILED'],
      ['asOf=2100-01-01%00', { Authorization: callers.comptroller }, 400, undefined],
      ['asOf=99999-01-01', { Authorization: callers.comptroller }, 400, undefined],
      [`asOf=2100-01-01&agency=${'A'.repeat(3_000)}`, { Authorization: callers.comptroller }, 400, undefined],
    ];
    await expectRefused('/v1/reports/transparency', cases);
    // Another state's report, asked by a state comptroller: nothing of it, the same answer in both lanes.
    const elsewhere = await call('/v1/reports/transparency?asOf=2100-01-01&state=QR', { Authorization: bajaCalifornia });
    expect(elsewhere.text).toBe((await call('/v1/reports/transparency/?asOf=2100-01-01&state=QR', { Authorization: bajaCalifornia })).text);
    expect((JSON.parse(elsewhere.text) as { certificates: unknown[] }).certificates).toEqual([]);
    // A report at a position, or one that waits for a position, is the controller's: Nest logs it.
    const at = await call(`/v1/reports/transparency?asOf=2100-01-01&atPosition=${lastPosition}`, { Authorization: callers.comptroller, 'X-Correlation-Id': 'report-at-nest' });
    expect(at.status).toBe(200);
    expect(at.headers.get('x-report-position')).toBe(lastPosition);
    const waited = await call(`/v1/reports/transparency?asOf=2100-01-01&minPosition=${lastPosition}`, { Authorization: callers.comptroller, 'X-Correlation-Id': 'report-wait-nest' });
    expect(waited.status).toBe(200);
    await eventually(() => server.output().includes('"correlationId":"report-at-nest"') && server.output().includes('"correlationId":"report-wait-nest"'));
  });

  it('reports a new certificate at once for a request that waits for it, and soon for any other', async () => {
    const count = async (query = '') =>
      (JSON.parse((await call(`/v1/reports/transparency?asOf=2100-01-01${query}`, { Authorization: callers.comptroller })).text) as { certificates: unknown[] }).certificates.length;
    const before = await count();
    const position = await certify('BC');
    expect(await count(`&minPosition=${position}`)).toBe(before + 1);
    await eventually(async () => ((await count()) === before + 1 ? true : undefined));
  });
});
