import fc from 'fast-check';
import { FixturePools, materialize } from './fuzz-session';
import type { Route } from './openapi-routes';
import { percentEncode, requestPlans, type RequestPlan } from './request-plans';

const REPORT: Route = {
  operationId: 'getReport',
  method: 'GET',
  template: '/v1/reports/{processId}',
  kind: 'query',
  isPublic: false,
  roles: ['comptroller'],
  pathParameters: [{ name: 'processId', required: true, schema: { type: 'string', format: 'uuid' } }],
  queryParameters: [
    { name: 'asOf', required: true, schema: { type: 'string' } },
    { name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 500 } },
  ],
  headerParameters: [],
};
const ENROLL: Route = {
  operationId: 'enroll',
  method: 'POST',
  template: '/v1/enrollments',
  kind: 'command',
  isPublic: false,
  roles: ['registrar'],
  pathParameters: [],
  queryParameters: [],
  headerParameters: [{ name: 'Idempotency-Key', required: false, schema: { type: 'string' } }],
  body: {
    required: true,
    mediaTypes: ['application/json'],
    schema: {
      type: 'object',
      properties: {
        curp: { type: 'string' },
        employment: { type: 'string', enum: ['base', 'other'] },
        jurisdiction: { type: 'object', properties: { state: { type: 'string' } }, required: ['state'] },
      },
      required: ['curp', 'employment', 'jurisdiction'],
    },
  },
};

function queryPairs(plan: RequestPlan): string[] {
  const query = plan.target.includes('?') ? plan.target.slice(plan.target.indexOf('?') + 1) : '';
  return query.split('&').filter((pair) => pair !== '');
}

function parsed(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return 'not JSON';
  }
}

describe('requests planned for a route', () => {
  it('percent-encodes text as UTF-8 (unpaired surrogates as WTF-8), keeping unreserved characters and markers', () => {
    expect(percentEncode('a-b_c.d~e')).toBe('a-b_c.d~e');
    expect(percentEncode('a b/c?d#e&f=g+h%')).toBe('a%20b%2Fc%3Fd%23e%26f%3Dg%2Bh%25');
    expect(percentEncode('é😀')).toBe('%C3%A9%F0%9F%98%80');
    expect(percentEncode('\ud800x\udc00')).toBe('%ED%A0%80x%ED%B0%80');
    expect(percentEncode('\u0000⟦folio#3⟧ ⟦head+1⟧')).toBe('%00⟦folio#3⟧%20⟦head+1⟧');
  });

  it('says a query is malformed when a required parameter is missing or one is given twice, as the target finally stands', () => {
    fc.assert(
      fc.property(requestPlans(REPORT, [REPORT]), (plan) => {
        const names = queryPairs(plan).map((pair) => pair.split('=')[0]);
        if (!names.includes('asOf')) expect(plan.malformed).toContain('required query parameter asOf missing');
        for (const name of ['asOf', 'limit']) {
          const count = names.filter((n) => n === name).length;
          if (count > 1) expect(plan.malformed).toContain(`query parameter ${name} given ${count} times`);
        }
        if (plan.malformed.length === 0) expect(plan.method).toBe('GET');
      }),
      { numRuns: 400, seed: 11 },
    );
  });

  it('says a body is malformed when it is not JSON, lacks a required field or has one the schema does not know', () => {
    fc.assert(
      fc.property(requestPlans(ENROLL, [ENROLL]), (plan) => {
        if (plan.malformed.length > 0) return;
        // A request it may take: a JSON object with every required field and no other, sent as JSON, with a token.
        const body = parsed(plan.body) as Record<string, unknown>;
        expect(typeof body === 'object' && body !== null && !Array.isArray(body)).toBe(true);
        expect(Object.keys(body).every((key) => ['curp', 'employment', 'jurisdiction'].includes(key))).toBe(true);
        expect(['curp', 'employment', 'jurisdiction'].every((key) => key in body)).toBe(true);
        expect(['base', 'other']).toContain(body.employment);
        expect(plan.headers.find(([name]) => name === 'Content-Type')?.[1]).toMatch(/json/i);
        expect(plan.headers.find(([name]) => name === 'Authorization')).toBeDefined();
      }),
      { numRuns: 400, seed: 12 },
    );
  });

  it('plans only markers the session can fill', () => {
    const pools = new FixturePools();
    for (const pool of ['processId', 'folio', 'subjectId'] as const) pools.add(pool, `${pool}-1`);
    const tokens = new Proxy({}, { get: (_, name) => `Bearer ${String(name)}` }) as Record<string, string>;
    fc.assert(
      fc.property(fc.oneof(requestPlans(REPORT, [REPORT]), requestPlans(ENROLL, [ENROLL])), (plan) => {
        const request = materialize(plan, pools, tokens, 5n);
        expect(`${request.target} ${request.headers.map(([, value]) => value).join(' ')} ${request.body?.toString('latin1') ?? ''}`).not.toMatch(/⟦/);
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});
