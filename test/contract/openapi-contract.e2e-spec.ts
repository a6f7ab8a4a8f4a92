import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Callers, callersFor, enrollmentBody, EVIDENCE, nextPerson, PROVIDER_ID, seedReferenceData } from '../e2e/support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from '../e2e/support/ledger-modes';
import type { LedgerServer } from '../e2e/support/ledger-server';
import { conformanceProblems, type Exchange, type OpenApiDocument, type ResponseObject } from './support/openapi-conformance';
import { lintOpenApi } from './support/redocly-lint';
import { generateTypes, typeCheckClient } from './support/typed-client';

/** The query routes of API.md: each answers with the Ledger-Position header. */
const QUERY_ROUTES = [
  '/v1/certificates',
  '/v1/certificates/{folio}',
  '/v1/public/certificates/{folio}',
  '/v1/enrollments/{processId}',
  '/v1/people/{subjectId}/timeline',
  '/v1/audit/events',
  '/v1/audit/certificates/{folio}/provenance',
  '/v1/stats/certifications',
  '/v1/reports/transparency',
  '/v1/evaluators/{evaluatorId}/accreditations',
  '/v1/audit/access',
];

/** What every command can answer besides its success. */
const COMMAND_ERRORS = ['400', '401', '403', '404', '409', '413', '415', '422', '429', '431', '503'];
const QUERY_ERRORS = ['400', '429', '431', '503'];
/** A read that takes its input in a body (a CURP never travels in a URL): no command, so no 409 or 422. */
const READS_BY_POST = ['/v1/people/lookup'];
const READ_BY_POST_ERRORS = ['400', '401', '403', '404', '413', '415', '429', '431', '503'];
const PROBLEM_SCHEMA = { $ref: '#/components/schemas/ProblemResponse' };

/** Public requests per minute per address; a tenth of it in failed authentications. */
const RATE_LIMIT = 60;

/** The routes the client program reads: without their response schemas it must not compile. */
const CLIENT_ROUTES = ['/v1/certificates/{folio}', '/v1/stats/certifications', '/v1/reports/transparency'];

function withoutSuccessSchema(document: OpenApiDocument, path: string): OpenApiDocument {
  const copy = structuredClone(document);
  delete copy.paths[path].get.responses['200'].content;
  return copy;
}

/**
 * The OpenAPI document the running ledger serves at /docs-json is its
 * contract: every route documents its success and error answers with
 * schemas, Redocly's recommended rules find no error in it, a client
 * generated from it compiles, and the routes really answer what it says.
 */
describe('the OpenAPI contract at /docs-json', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;
  let document: OpenApiDocument;

  beforeAll(async () => {
    // A small rate limit, so that the suite also sees the 429 answers it documents.
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'openapi_contract', server: { env: { LEDGER_RATE_LIMIT: String(RATE_LIMIT) } } });
    server = ledger.server;
    callers = callersFor(server);
    const served = await request(server.baseUrl).get('/docs-json');
    expect(served.status).toBe(200);
    document = served.body as OpenApiDocument;
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })));

  it('describes a success answer with a body schema, and error answers as problem+json, for every route', () => {
    const gaps: string[] = [];
    for (const { path, method, operation } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      const answers = Object.entries(operation.responses) as [string, ResponseObject][];
      const successes = answers.filter(([status]) => status.startsWith('2'));
      if (successes.length === 0) gaps.push(`${where}: no success answer`);
      for (const [status, answer] of answers) {
        const schemas = Object.values(answer.content ?? {}).map((media) => media.schema);
        if (schemas.length === 0 || schemas.some((schema) => schema === undefined)) gaps.push(`${where} ${status}: no body schema`);
        const problem = answer.content?.['application/problem+json'];
        if (/^[45]/.test(status) && problem && JSON.stringify(problem.schema) !== JSON.stringify(PROBLEM_SCHEMA)) gaps.push(`${where} ${status}: not the problem schema`);
        if (['429', '503'].includes(status) && problem && !answer.headers?.['Retry-After']?.required) gaps.push(`${where} ${status}: no Retry-After header`);
      }
      const expected = method === 'post' ? (READS_BY_POST.includes(path) ? READ_BY_POST_ERRORS : COMMAND_ERRORS) : QUERY_ROUTES.includes(path) ? QUERY_ERRORS : [];
      for (const status of expected) if (!operation.responses[status]) gaps.push(`${where}: ${status} not documented`);
      if (QUERY_ROUTES.includes(path) && !operation.responses['200']?.headers?.['Ledger-Position']?.required) gaps.push(`${where}: no Ledger-Position header`);
      if (!operation.operationId || /Controller/.test(operation.operationId)) gaps.push(`${where}: no readable operationId (${operation.operationId})`);
    }
    expect(gaps).toEqual([]);
    expect(operations().filter(({ path }) => QUERY_ROUTES.includes(path)).map(({ path }) => path).sort()).toEqual([...QUERY_ROUTES].sort());
  });

  it('passes redocly lint with the recommended rules, without an error', async () => {
    const problems = await lintOpenApi(document);
    expect(problems.filter((problem) => problem.severity === 'error')).toEqual([]);
  });

  it('generates a typed client (openapi-typescript) under which the client program type-checks, strictly', async () => {
    expect(typeCheckClient(await generateTypes(document))).toEqual([]);
  });

  it('fails that type check when a response schema the client reads goes missing', async () => {
    for (const path of CLIENT_ROUTES) {
      const diagnostics = typeCheckClient(await generateTypes(withoutSuccessSchema(document, path)));
      expect({ path, compiles: diagnostics.length === 0 }).toEqual({ path, compiles: false });
    }
  });

  describe('answers as documented', () => {
    const seen: Exchange[] = [];

    /** Calls a route by its template and keeps the answer for the conformance check. */
    async function call(
      method: 'get' | 'post',
      template: string,
      options: { params?: Record<string, string>; query?: string; token?: string; body?: unknown; raw?: { type: string; text: string }; headers?: Record<string, string> } = {},
    ): Promise<request.Response> {
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(options.params?.[name] ?? ''));
      let pending = request(server.baseUrl)[method](`${path}${options.query ? `?${options.query}` : ''}`);
      if (options.token) pending = pending.set('Authorization', options.token);
      for (const [name, value] of Object.entries(options.headers ?? {})) pending = pending.set(name, value);
      if (options.raw) pending = pending.set('Content-Type', options.raw.type).send(options.raw.text);
      else if (options.body !== undefined) pending = pending.send(options.body as object);
      const response = await pending;
      const contentType = response.headers['content-type'] as string | undefined;
      const json = /json/.test(contentType ?? '');
      seen.push({ method, template, status: response.status, contentType, headers: response.headers, body: json ? response.body : response.text });
      return response;
    }

    it('every answer the routes give, success and error, matches its documented status, media type and schema', async () => {
      await call('get', '/health');
      await seedReferenceData(server, callers);
      await call('post', '/v1/standards', { token: callers.authority, body: { code: 'EC0217', version: '01', title: 'Impartición de cursos', validityYears: 3 } });
      const period = { validFrom: '2018-01-01', validUntil: '2030-12-31' };
      await call('post', '/v1/providers', {
        token: callers.authority,
        body: { providerId: 'OC-555', kind: 'OC', name: 'Organismo 555', accreditationCode: 'OC-555', standards: ['EC0105'], ...period },
      });
      const evaluator = { evaluatorId: 'eval-0099', ...nextPerson('QR'), providerId: PROVIDER_ID, standards: ['EC0105'], credentialFolio: 'CED-2018-000999', validUntil: '2030-12-31' };
      await call('post', '/v1/evaluators', { token: callers.certifier, body: evaluator });
      await call('post', '/v1/evaluators/{evaluatorId}/revocations', {
        params: { evaluatorId: 'eval-0099' },
        token: callers.certifier,
        body: { standardCode: 'EC0105', reason: 'Cédula cancelada' },
      });

      const enrolled = await call('post', '/v1/enrollments', { token: callers.registrar, body: enrollmentBody() });
      const { processId, subjectId } = enrolled.body as { processId: string; subjectId: string };
      await call('post', '/v1/enrollments/{processId}/certificate', { params: { processId }, token: callers.certifier, body: {} }); // not yet judged: 422
      await call('post', '/v1/enrollments/{processId}/trainings', {
        params: { processId },
        token: callers.registrar,
        body: { trainerId: 'trainer-1', hours: 20, completedAt: '2018-10-15T00:00:00Z' },
      });
      await call('post', '/v1/enrollments/{processId}/evaluations', {
        params: { processId },
        token: callers.evaluator,
        body: { result: 'competent', evidenceDigest: EVIDENCE, evaluatedAt: '2018-11-01T16:00:00Z' },
      });
      const issued = await call('post', '/v1/enrollments/{processId}/certificate', { params: { processId }, token: callers.certifier, body: { issuedAt: '2018-11-13T18:00:00Z' } });
      const { folio } = issued.body as { folio: string };
      await call('post', '/v1/certificate-batches', { token: callers.certifier, body: { processIds: [processId, randomUUID()] } });
      const revoked = await call('post', '/v1/certificates/{folio}/revocation', {
        params: { folio },
        token: callers.authority,
        body: { reason: 'Evidencia apócrifa', revokedAt: '2019-02-18T17:00:00Z' },
      });
      const at = (revoked.body as { position: string }).position;

      // Command errors, one of each kind.
      await call('post', '/v1/standards', { body: {} });
      await call('post', '/v1/standards', { token: callers.comptroller, body: {} });
      await call('post', '/v1/standards', { token: callers.authority, body: { code: 'EC0217' } });
      await call('post', '/v1/standards', { token: callers.authority, raw: { type: 'text/plain', text: 'code=EC0217' } });
      await call('post', '/v1/standards', { token: callers.authority, raw: { type: 'application/json', text: JSON.stringify({ title: 'x'.repeat(1_100_000) }) } });
      await call('post', '/v1/enrollments/{processId}/certificate', { params: { processId: randomUUID() }, token: callers.certifier, body: {} });
      const key = { 'Idempotency-Key': `contract-${randomUUID()}` };
      await call('post', '/v1/standards', { token: callers.authority, headers: key, body: { code: 'EC0301', version: '01', title: 'Diseño de cursos', validityYears: 3 } });
      await call('post', '/v1/standards', { token: callers.authority, headers: key, body: { code: 'EC0301', version: '01', title: 'Otro título', validityYears: 3 } });

      // Every query route, answering and refusing.
      const minPosition = `minPosition=${at}`;
      await call('get', '/v1/certificates', { token: callers.comptroller, query: `${minPosition}&limit=1` });
      await call('get', '/v1/certificates/{folio}', { params: { folio }, token: callers.comptroller, query: minPosition });
      await call('get', '/v1/public/certificates/{folio}', { params: { folio }, query: minPosition });
      await call('get', '/v1/enrollments/{processId}', { params: { processId }, token: callers.registrar, query: minPosition });
      await call('get', '/v1/people/{subjectId}/timeline', { params: { subjectId }, token: callers.comptroller, query: minPosition });
      await call('get', '/v1/audit/events', { token: callers.comptroller, query: `${minPosition}&limit=500` });
      await call('get', '/v1/audit/certificates/{folio}/provenance', { params: { folio }, token: callers.comptroller, query: minPosition });
      await call('get', '/v1/stats/certifications', { token: callers.comptroller, query: `${minPosition}&groupBy=state,municipality,agency,standard,provider,employment,month` });
      await call('get', '/v1/stats/certifications', { token: callers.comptroller, query: minPosition });
      await call('get', '/v1/reports/transparency', { token: callers.comptroller, query: `asOf=2019-03-01&atPosition=${at}` });
      await call('get', '/v1/reports/transparency', { token: callers.comptroller, query: `asOf=2019-03-01&atPosition=${at}&format=csv` });
      await call('get', '/v1/evaluators/{evaluatorId}/accreditations', { params: { evaluatorId: 'eval-0007' }, token: callers.comptroller, query: 'standard=EC0105&on=2018-11-01' });
      await call('get', '/v1/evaluators/{evaluatorId}/accreditations', { params: { evaluatorId: 'eval-0099' }, token: callers.comptroller, query: 'standard=EC0105&on=2026-01-01' });
      await call('get', '/v1/evaluators/{evaluatorId}/accreditations', { params: { evaluatorId: 'nobody' }, token: callers.comptroller, query: 'standard=EC0105&on=2018-11-01' });
      await call('get', '/v1/certificates', { token: callers.comptroller, query: 'limit=0' });
      await call('get', '/v1/certificates', {});
      await call('get', '/v1/stats/certifications', { token: callers.registrar });
      await call('get', '/v1/certificates/{folio}', { params: { folio: '0000-0000-0000-0' }, token: callers.comptroller });
      await call('get', '/v1/public/certificates/{folio}', { params: { folio: '0000-0000-0000-0' } });
      await call('get', '/v1/enrollments/{processId}', { params: { processId: randomUUID() }, token: callers.comptroller });
      await call('get', '/v1/people/{subjectId}/timeline', { params: { subjectId: '0'.repeat(64) }, token: callers.comptroller });
      await call('get', '/v1/audit/certificates/{folio}/provenance', { params: { folio: '0000-0000-0000-0' }, token: callers.comptroller });
      await call('get', '/v1/stats/certifications', { token: callers.comptroller, query: 'minPosition=9223372036854775807' });
      await call('get', '/v1/certificates', { token: callers.comptroller, headers: { 'X-Padding': 'x'.repeat(20_000) } });

      // Last, as they use up this address's budgets: public verifications, then failed authentications.
      for (let sent = 0; sent <= RATE_LIMIT && (await call('get', '/v1/public/certificates/{folio}', { params: { folio } })).status !== 429; sent += 1);
      for (let sent = 0; sent <= RATE_LIMIT && (await call('get', '/v1/certificates', { token: 'Bearer not-a-token' })).status !== 429; sent += 1);

      expect(seen.flatMap((exchange) => conformanceProblems(document, exchange))).toEqual([]);
      // The statuses each kind of answer was seen with, so a change in what the routes answer shows here.
      const statuses = new Set(seen.map((exchange) => exchange.status));
      expect([...statuses].sort((a, b) => a - b)).toEqual([200, 201, 400, 401, 403, 404, 409, 413, 415, 422, 429, 431, 503]);
    });
  });
});
