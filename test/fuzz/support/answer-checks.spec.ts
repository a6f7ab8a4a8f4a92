import { violationsOf, type Exchange } from './answer-checks';
import type { RequestPlan } from './request-plans';

const QUERY_PLAN: RequestPlan = {
  operationId: 'listCertificates',
  kind: 'query',
  method: 'GET',
  routeMethod: 'GET',
  target: '/v1/certificates?limit=5',
  headers: [],
  malformed: [],
  fields: ['limit', 'minPosition', 'body'],
  emptyPathSegment: false,
};
const COMMAND_PLAN: RequestPlan = { ...QUERY_PLAN, operationId: 'registerStandard', kind: 'command', method: 'POST', routeMethod: 'POST', target: '/v1/standards', fields: ['code', 'title'] };

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  const contentType = status >= 400 ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8';
  return { status, headers: { 'content-type': contentType, ...headers }, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) };
}

function exchange(overrides: Partial<Exchange>): Exchange {
  return { plan: QUERY_PLAN, headBefore: 10n, headAfter: 10n, isolated: true, positionsAsked: [], ...overrides };
}

const problem = (status: number, code: string, extra: object = {}) => ({ type: 'urn:x', title: 'T', status, detail: 'd', code, ...extra });
const positioned = { 'ledger-position': '10' };

describe('what every answer of the ledger must be', () => {
  it('takes well-formed answers as they are', () => {
    expect(violationsOf(exchange({ answer: answer(200, { items: [] }, positioned) }))).toEqual([]);
    expect(violationsOf(exchange({ answer: answer(404, problem(404, 'CERTIFICATE_NOT_FOUND'), positioned) }))).toEqual([]);
    expect(violationsOf(exchange({ answer: answer(400, problem(400, 'VALIDATION_FAILED', { errors: [{ field: 'limit', code: 'IS_PAGE_SIZE', message: 'm' }] })) }))).toEqual([]);
    expect(violationsOf(exchange({ answer: answer(400, problem(400, 'MALFORMED_JSON')) }))).toEqual([]);
    expect(violationsOf(exchange({ plan: COMMAND_PLAN, answer: answer(401, problem(401, 'UNAUTHENTICATED')) }))).toEqual([]);
    expect(violationsOf(exchange({ answer: answer(503, problem(503, 'STORE_UNAVAILABLE'), { 'retry-after': '5' }) }))).toEqual([]);
  });

  it('refuses no answer, a 5xx, and a 503 without Retry-After', () => {
    expect(violationsOf(exchange({ failure: 'no answer within 10000 ms' }))).toEqual(['no answer: no answer within 10000 ms']);
    expect(violationsOf(exchange({ answer: answer(500, problem(500, 'INTERNAL_ERROR')) }))).toEqual(['a 500 INTERNAL_ERROR']);
    expect(violationsOf(exchange({ answer: answer(503, problem(503, 'STORE_UNAVAILABLE')) }))).toEqual([expect.stringContaining('without a Retry-After')]);
  });

  it('takes PROJECTION_LAG only for a well-formed request asking for a position past the head', () => {
    const lag = answer(503, problem(503, 'PROJECTION_LAG'), { 'retry-after': '1', ...positioned });
    expect(violationsOf(exchange({ answer: lag, positionsAsked: [11n] }))).toEqual([]);
    expect(violationsOf(exchange({ answer: lag, positionsAsked: [10n] }))).toEqual([expect.stringContaining('no position asked (10) was past the head (10)')]);
    expect(violationsOf(exchange({ answer: lag, positionsAsked: [99n], plan: { ...QUERY_PLAN, malformed: ['limit: not a page size'] } }))).toEqual([
      expect.stringContaining('a malformed request answered 503 PROJECTION_LAG'),
    ]);
  });

  it('wants every 4xx as problem+json with its status, code and title, and a 400 naming fields the request has', () => {
    expect(violationsOf(exchange({ plan: COMMAND_PLAN, answer: { ...answer(404, 'Not Found'), headers: { 'content-type': 'text/html' } } }))).toEqual([
      'a 404 of type text/html, not application/problem+json',
      'a 404 whose body is not a JSON object',
    ]);
    expect(violationsOf(exchange({ plan: COMMAND_PLAN, answer: answer(409, { status: 400, code: '', title: '' }) }))).toEqual([
      'a 409 whose problem says status 400',
      'a 409 without a code',
      'a 409 without a title',
    ]);
    expect(violationsOf(exchange({ answer: answer(400, problem(400, 'BAD_REQUEST')) }))).toEqual(['a 400 BAD_REQUEST without an errors array naming fields']);
    expect(violationsOf(exchange({ answer: answer(400, problem(400, 'VALIDATION_FAILED', { errors: [{ field: '(body)', code: 'X', message: 'm' }] })) }))).toEqual([
      expect.stringContaining('naming "(body)"'),
    ]);
    expect(violationsOf(exchange({ answer: answer(429, problem(429, 'RATE_LIMITED')) }))).toEqual(['a 429 without a Retry-After in seconds']);
  });

  it('wants the head of the log where it was after a refusal, when nothing else could have moved it', () => {
    const refused = answer(400, problem(400, 'MALFORMED_JSON'));
    expect(violationsOf(exchange({ plan: COMMAND_PLAN, answer: refused, headAfter: 11n }))).toEqual([expect.stringContaining('moved the head of the log from 10 to 11')]);
    expect(violationsOf(exchange({ plan: COMMAND_PLAN, answer: refused, headAfter: 11n, isolated: false }))).toEqual([]);
    expect(violationsOf(exchange({ plan: COMMAND_PLAN, answer: answer(201, { position: '11' }), headAfter: 11n }))).toEqual([]);
  });

  it('wants Ledger-Position on query answers that read (success, 404, PROJECTION_LAG), a decimal the log has reached', () => {
    expect(violationsOf(exchange({ answer: answer(200, {}) }))).toEqual(['a query answer (200) without Ledger-Position']);
    expect(violationsOf(exchange({ answer: answer(404, problem(404, 'PROCESS_NOT_FOUND')) }))).toEqual(['a query answer (404 PROCESS_NOT_FOUND) without Ledger-Position']);
    expect(violationsOf(exchange({ answer: answer(403, problem(403, 'ROLE_NOT_ALLOWED')) }))).toEqual([]);
    expect(violationsOf(exchange({ answer: answer(200, {}, { 'ledger-position': '0x1' }) }))).toEqual(['Ledger-Position "0x1" is not a decimal integer']);
    expect(violationsOf(exchange({ answer: answer(200, {}, { 'ledger-position': '12' }) }))).toEqual(['Ledger-Position 12 is past the head of the log (10)']);
    // Another method or an empty path segment reaches another route, or none.
    expect(violationsOf(exchange({ plan: { ...QUERY_PLAN, method: 'PUT', malformed: ['method'] }, answer: answer(404, problem(404, 'NOT_FOUND')) }))).toEqual([]);
    expect(violationsOf(exchange({ plan: { ...QUERY_PLAN, emptyPathSegment: true }, answer: answer(404, problem(404, 'NOT_FOUND')) }))).toEqual([]);
  });

  it('refuses a malformed request answered with a success, and a JSON success that is not JSON', () => {
    expect(violationsOf(exchange({ plan: { ...QUERY_PLAN, malformed: ['unknown query parameter sort'] }, answer: answer(200, {}, positioned) }))).toEqual([
      'a malformed request answered 200: unknown query parameter sort',
    ]);
    expect(violationsOf(exchange({ answer: answer(200, '{"items":[', positioned) }))).toEqual([expect.stringContaining('whose body is not JSON')]);
  });
});
