import { callersFor, enrollmentBody, nextPerson, post, seedReferenceData, type Callers } from './support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from './support/ledger-modes';
import type { LedgerServer } from './support/ledger-server';
import { signToken } from './support/tokens';
import { eventually } from '../support/eventually';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** Every header but those that differ from one answer to the next. */
function comparable(answer: Answer): Record<string, string> {
  const headers: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (!['date', 'x-correlation-id'].includes(name)) headers[name] = value;
  });
  return headers;
}

interface Stats {
  groups: { key: Record<string, string | null>; count: number }[];
  position: string;
}

const total = (answer: Answer) => (JSON.parse(answer.text) as Stats).groups.reduce((sum, group) => sum + group.count, 0);

/**
 * Certificate counts as the ledger answers them ahead of Express (the fast
 * lane) for a comptroller: each answer is the one Nest's controller gives
 * for the same query (reached through a trailing slash, which Nest routes to
 * the same handler), every header included; a state comptroller sees its
 * state only, as through Nest; what the fast lane cannot answer as the
 * controller would (no token, a bad one, another role, a query to refuse or
 * to wait for) goes to Nest; and new certificates are counted.
 */
describe('certificate counts in the fast lane', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;
  let bajaCalifornia: string;
  let lastPosition: string;

  const call = async (path: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const response = await fetch(`${server.baseUrl}${path}`, { headers });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

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
    const output = () => server.output();
    await eventually(() => output().includes(`"correlationId":"stats-nest-state-${queries.length - 1}"`));
    expect(output()).not.toContain('"correlationId":"stats-fast-');
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
    for (const [query, headers, status, code] of cases) {
      const answer = await call(`/v1/stats/certifications?${query}`, headers);
      expect({ query, status: answer.status, type: answer.headers.get('content-type') }).toEqual({ query, status, type: expect.stringContaining('application/problem+json') });
      if (code) expect({ query, code: (JSON.parse(answer.text) as { code: string }).code }).toEqual({ query, code });
    }
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
});
