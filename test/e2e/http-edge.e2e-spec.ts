import { makeCurpPerson } from '@ledger/domain/testing';
import { Callers, callersFor, competentProcess, enrollmentBody, seedReferenceData } from './support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from './support/ledger-modes';
import type { LedgerServer } from './support/ledger-server';
import { signToken } from './support/tokens';
import { eventually } from '../support/eventually';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** What every answer of the ledger carries, whatever its route or status. */
function edgeHeadersOf(answer: Answer): Record<string, unknown> {
  return {
    nosniff: answer.headers.get('x-content-type-options'),
    frameOptions: answer.headers.get('x-frame-options'),
    frameAncestors: /(^|;)\s*frame-ancestors 'none'\s*(;|$)/.test(answer.headers.get('content-security-policy') ?? ''),
    referrer: answer.headers.get('referrer-policy'),
  };
}
const EDGE_HEADERS = { nosniff: 'nosniff', frameOptions: 'DENY', frameAncestors: true, referrer: 'no-referrer' };

function directivesOf(policy: string | null): Map<string, string[]> {
  return new Map((policy ?? '').split(';').map((part) => part.trim().split(/\s+/)).filter(([name]) => name).map(([name, ...values]) => [name, values]));
}

/**
 * Sends `send` up to `total` times, `parallel` at a time, and stops at the
 * first 429: the test needs to see the limit bite, not to push every request.
 */
async function sendUntilRefused(total: number, parallel: number, send: () => Promise<Answer>): Promise<{ sent: number; statuses: Map<number, number>; refused?: Answer }> {
  let sent = 0;
  let refused: Answer | undefined;
  const statuses = new Map<number, number>();
  const worker = async () => {
    while (sent < total && !refused) {
      sent += 1;
      const answer = await send();
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status === 429) refused ??= answer;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { sent, statuses, refused };
}

/**
 * The HTTP edge of a public service, on one real ledger with the default
 * limits: JSON bodies of every +json type, security and cache headers on
 * every answer, rate limits per client address on the public routes and on
 * failed authentications, problem+json for headers Node cannot parse, and
 * logs that name routes by their template, never by the path a caller typed.
 */
describe('the HTTP edge', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;

  const call = async (path: string, init: RequestInit = {}): Promise<Answer> => {
    const response = await fetch(`${server.baseUrl}${path}`, init);
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  const json = (answer: Answer) => JSON.parse(answer.text);

  beforeAll(async () => {
    // LOG_LEVEL=info, so that every request's log line is in the output the log test reads.
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'http_edge', server: { env: { LOG_LEVEL: 'info' } } });
    server = ledger.server;
    callers = callersFor(server);
    await seedReferenceData(server, callers);
  });
  afterAll(async () => {
    await ledger?.stop();
  });

  it('reads an application/vnd.api+json (or any +json) command body as JSON: its business date counts and its unknown fields are refused; text/plain is 415', async () => {
    const dated = await competentProcess(server, callers);
    const issued = await call(`/v1/enrollments/${dated}/certificate`, {
      method: 'POST',
      headers: { Authorization: callers.certifier, 'Content-Type': 'application/vnd.api+json' },
      body: JSON.stringify({ issuedAt: '2018-11-13T17:00:00Z' }),
    });
    expect(issued.status).toBe(201);
    // Five years of EC0105 from the business date in the body, not from today.
    expect(json(issued).validUntil).toMatch(/^2023-11-13/);

    const other = await competentProcess(server, callers);
    const unknownField = await call(`/v1/enrollments/${other}/certificate`, {
      method: 'POST',
      headers: { Authorization: callers.certifier, 'Content-Type': 'application/merge-patch+json; charset=utf-8' },
      body: JSON.stringify({ issuedAt: '2018-11-13T17:00:00Z', issuedBy: 'someone else' }),
    });
    expect(unknownField.status).toBe(400);
    expect(json(unknownField)).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ field: 'issuedBy', code: 'UNKNOWN_FIELD' })] });

    const text = await call(`/v1/enrollments/${other}/certificate`, {
      method: 'POST',
      headers: { Authorization: callers.certifier, 'Content-Type': 'text/plain' },
      body: JSON.stringify({ issuedAt: '2018-11-13T17:00:00Z' }),
    });
    expect([text.status, text.headers.get('content-type'), json(text).code]).toEqual([415, expect.stringContaining('application/problem+json'), 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('puts nosniff, frame protection, a Content-Security-Policy and Referrer-Policy on successes, errors, unknown routes, /health and /docs', async () => {
    const answers: Record<string, Answer> = {
      command: await call('/v1/enrollments', { method: 'POST', headers: { Authorization: callers.registrar, 'Content-Type': 'application/json' }, body: JSON.stringify(enrollmentBody()) }),
      health: await call('/health'),
      unauthenticated: await call('/v1/certificates'),
      validation: await call('/v1/standards', { method: 'POST', headers: { Authorization: callers.authority, 'Content-Type': 'application/json' }, body: '{}' }),
      malformed: await call('/v1/standards', { method: 'POST', headers: { Authorization: callers.authority, 'Content-Type': 'application/json' }, body: '{"code":' }),
      unknownRoute: await call('/v1/nowhere'),
      docs: await call('/docs'),
      document: await call('/docs-json'),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, answer.status]))).toEqual({
      command: 201, health: 200, unauthenticated: 401, validation: 400, malformed: 400, unknownRoute: 404, docs: 200, document: 200,
    });
    for (const [name, answer] of Object.entries(answers)) expect([name, edgeHeadersOf(answer)]).toEqual([name, EDGE_HEADERS]);
    // An API answer is never rendered as a page: nothing may load from it.
    expect(directivesOf(answers.command.headers.get('content-security-policy')).get('default-src')).toEqual(["'none'"]);
  });

  it('answers GET /health ahead of Express exactly as the controller answers it (a conditional GET goes to the controller)', async () => {
    const comparable = (answer: Answer) => ({
      status: answer.status,
      body: answer.text,
      headers: Object.fromEntries([...answer.headers].filter(([name]) => !['date', 'x-correlation-id', 'connection', 'keep-alive'].includes(name))),
    });
    const fast = await call('/health');
    // A tag that does not match: Express's freshness rules run, and the controller answers in full.
    const throughNest = await call('/health', { headers: { 'If-None-Match': '"another"' } });
    expect(comparable(fast)).toEqual(comparable(throughNest));
    expect(comparable(fast)).toMatchObject({ status: 200, body: '{"status":"ok"}', headers: { 'cache-control': 'no-cache', etag: expect.any(String) } });
    const withToken = await call('/health', { headers: { Authorization: callers.comptroller } });
    expect([withToken.status, withToken.headers.get('cache-control')]).toEqual([200, 'no-store']);
    const given = await call('/health', { headers: { 'X-Correlation-Id': 'probe-7' } });
    expect(given.headers.get('x-correlation-id')).toBe('probe-7');
    // A correlation id that is not harmless (spaces, too long) is never echoed: the answer carries one of its own.
    for (const hostile of ['probe 7', 'x'.repeat(129), '<script>']) {
      const answer = await call('/health', { headers: { 'X-Correlation-Id': hostile } });
      expect([answer.status, answer.headers.get('x-correlation-id')]).toEqual([200, expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    }
    expect((await call('/health/')).status).toBe(200);
    // Not the route: a query, another method, a trailing slash go to Nest, which answers as it always did.
    expect((await call('/health?verbose=1')).status).toBe(200);
    expect((await call('/health', { method: 'POST' })).status).toBe(404);
  });

  it('serves /docs under a Content-Security-Policy that lets the Swagger UI load everything it uses from this origin, with no inline script', async () => {
    const docs = await call('/docs');
    const policy = directivesOf(docs.headers.get('content-security-policy'));
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('img-src')).toEqual(expect.arrayContaining(["'self'", 'data:']));
    expect(policy.get('connect-src')).toEqual(["'self'"]);

    const scripts = [...docs.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      // Every script is a file from this origin: an inline one would be blocked by script-src 'self'.
      expect([attributes, body.trim()]).toEqual([expect.stringMatching(/\bsrc=["']\.?\/[^"':]+["']/), '']);
    }
    // Inline <style> blocks and style attributes are there, so the policy must allow them.
    if (/<style\b|\sstyle=/.test(docs.text)) expect(policy.get('style-src')).toEqual(expect.arrayContaining(["'self'", "'unsafe-inline'"]));

    const assets = [...docs.text.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)=["']([^"']+)["']/g)].map(([, url]) => url);
    expect(assets).toEqual(expect.arrayContaining([expect.stringContaining('swagger-ui-bundle.js'), expect.stringContaining('swagger-ui.css'), expect.stringContaining('swagger-ui-init.js')]));
    for (const asset of assets) {
      const url = new URL(asset, `${server.baseUrl}/docs`);
      expect(url.origin).toBe(server.baseUrl);
      const answer = await call(url.pathname);
      expect([asset, answer.status, answer.headers.get('x-content-type-options')]).toEqual([asset, 200, 'nosniff']);
      expect([asset, answer.headers.get('content-type')]).toEqual([asset, expect.stringMatching(/javascript|css|image\/png/)]);
    }
    // The OpenAPI document travels inside swagger-ui-init.js: the UI fetches nothing from elsewhere (no validator badge either).
    expect((await call('/docs/swagger-ui-init.js')).text).toContain('"swaggerDoc"');
  });

  it('answers everything asked with a token (or needing one) with Cache-Control: no-store, public answers with no-cache', async () => {
    const processId = await competentProcess(server, callers);
    const issued = await call(`/v1/enrollments/${processId}/certificate`, { method: 'POST', headers: { Authorization: callers.certifier, 'Content-Type': 'application/json' }, body: '{}' });
    const { folio, position } = json(issued);
    const withNames = await call(`/v1/certificates/${folio}?minPosition=${position}`, { headers: { Authorization: callers.comptroller } });
    expect(json(withNames).holderName).toEqual(expect.any(String));
    const cacheControl = {
      command: issued.headers.get('cache-control'),
      certificateWithNames: withNames.headers.get('cache-control'),
      missingToken: (await call(`/v1/certificates/${folio}`)).headers.get('cache-control'),
      wrongRole: (await call(`/v1/certificates/${folio}`, { headers: { Authorization: callers.registrar } })).headers.get('cache-control'),
      publicWithToken: (await call(`/v1/public/certificates/${folio}`, { headers: { Authorization: callers.comptroller } })).headers.get('cache-control'),
      publicVerification: (await call(`/v1/public/certificates/${folio}`)).headers.get('cache-control'),
      health: (await call('/health')).headers.get('cache-control'),
    };
    expect(cacheControl).toEqual({
      command: 'no-store',
      certificateWithNames: 'no-store',
      missingToken: 'no-store',
      wrongRole: 'no-store',
      publicWithToken: 'no-store',
      publicVerification: 'no-cache',
      health: 'no-cache',
    });
  });

  it('answers a request whose headers pass 16 KB with a 431 problem+json, and keeps serving', async () => {
    const answer = await call('/health', { headers: { 'X-Padding': 'a'.repeat(20_000) } });
    expect([answer.status, answer.headers.get('content-type')]).toEqual([431, 'application/problem+json']);
    expect(json(answer)).toMatchObject({ status: 431, code: 'REQUEST_HEADERS_TOO_LARGE' });
    expect(edgeHeadersOf(answer)).toEqual(EDGE_HEADERS);
    expect((await call('/health')).status).toBe(200);
  });

  it('logs the route template and the correlation id of a request, never a CURP the caller percent-encoded into the URL', async () => {
    const { curp } = makeCurpPerson(4242);
    // The first letter as %XX: the rest no longer looks like a CURP to the log's scrubber.
    const encoded = `%${curp.charCodeAt(0).toString(16).toUpperCase()}${curp.slice(1)}`;
    const routed = await call(`/v1/people/${encoded}/timeline`, { headers: { Authorization: callers.comptroller, 'X-Correlation-Id': 'edge-log-routed' } });
    const unmatched = await call(`/v1/nowhere/${encoded}`, { headers: { 'X-Correlation-Id': 'edge-log-unmatched' } });
    expect([routed.status, unmatched.status]).toEqual([expect.any(Number), 404]);

    const lineOf = (correlationId: string) => server.output().split('\n').find((line) => line.includes(`"correlationId":"${correlationId}"`) && line.includes('request completed'));
    await eventually(() => Boolean(lineOf('edge-log-routed') && lineOf('edge-log-unmatched')), 10_000, 50, 'both requests in the access log');
    expect(JSON.parse(lineOf('edge-log-routed') ?? '{}')).toMatchObject({ route: '/v1/people/:subjectId/timeline', req: { method: 'GET' } });
    const unmatchedLine = JSON.parse(lineOf('edge-log-unmatched') ?? '{}');
    expect(unmatchedLine).toMatchObject({ correlationId: 'edge-log-unmatched', res: { statusCode: 404 } });
    // Nest answers unmatched requests through its catch-all route: a fixed template, never the path.
    expect([undefined, '{/*splat}']).toContain(unmatchedLine.route);

    const output = server.output();
    expect(output).not.toContain(curp.slice(1));
    expect(output).not.toContain(encoded);
    expect(output).not.toContain('/v1/nowhere');
  });

  // The two rate-limit tests use up 127.0.0.1's budgets for the rest of the minute: they come last.
  it('answers the public routes 429 problem+json with Retry-After before 2,000 verifications from one address, and never throttles a command', async () => {
    const processId = await competentProcess(server, callers);
    const { folio, position } = json(await call(`/v1/enrollments/${processId}/certificate`, { method: 'POST', headers: { Authorization: callers.certifier, 'Content-Type': 'application/json' }, body: '{}' }));
    expect((await call(`/v1/public/certificates/${folio}?minPosition=${position}`)).status).toBe(200);
    const started = Date.now();
    const { sent, statuses, refused } = await sendUntilRefused(2_000, 16, () => call(`/v1/public/certificates/${folio}`));
    expect(refused).toBeDefined();
    expect(sent).toBeLessThan(2_000);
    expect([...statuses.keys()].sort()).toEqual([200, 429]);
    expect(refused!.headers.get('content-type')).toContain('application/problem+json');
    expect(json(refused!)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused!.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(edgeHeadersOf(refused!)).toEqual(EDGE_HEADERS);
    process.stdout.write(`public verifications: ${statuses.get(200)} answered, first 429 after ${sent} sent, ${Date.now() - started} ms\n`);

    // The same address, with a token, writes on, and reads the public routes on: a known caller is never throttled.
    const enrolled = await call('/v1/enrollments', { method: 'POST', headers: { Authorization: callers.registrar, 'Content-Type': 'application/json' }, body: JSON.stringify(enrollmentBody()) });
    expect(enrolled.status).toBe(201);
    expect((await call(`/v1/public/certificates/${folio}`)).status).toBe(429);
    const known = await Promise.all(Array.from({ length: 50 }, () => call(`/v1/public/certificates/${folio}`, { headers: { Authorization: callers.comptroller } })));
    expect(new Set(known.map((answer) => answer.status))).toEqual(new Set([200]));
    // A forged token is no way around the limit.
    const forged = `Bearer ${signToken('not-the-ledger-key-'.repeat(3), { sub: 'scraper', role: 'comptroller', org: 'SECOGEF' })}`;
    expect((await call(`/v1/public/certificates/${folio}`, { headers: { Authorization: forged } })).status).toBe(429);
  });

  it('answers an address that keeps sending bad tokens 429 before 1,000 of them, while its valid tokens still work', async () => {
    const forged = `Bearer ${signToken('not-the-ledger-key-'.repeat(3), { sub: 'intruder', role: 'authority', org: 'CONOCER' })}`;
    const { sent, statuses, refused } = await sendUntilRefused(1_000, 16, () =>
      call('/v1/standards', { method: 'POST', headers: { Authorization: forged, 'Content-Type': 'application/json' }, body: '{}' }),
    );
    expect(refused).toBeDefined();
    expect(sent).toBeLessThan(1_000);
    expect([...statuses.keys()].sort()).toEqual([401, 429]);
    expect(json(refused!)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused!.headers.get('cache-control')).toBe('no-store');
    process.stdout.write(`bad tokens: ${statuses.get(401)} answered 401, first 429 after ${sent} sent\n`);

    const enrolled = await call('/v1/enrollments', { method: 'POST', headers: { Authorization: callers.registrar, 'Content-Type': 'application/json' }, body: JSON.stringify(enrollmentBody()) });
    expect(enrolled.status).toBe(201);
    expect((await call('/v1/standards', { method: 'POST', headers: { Authorization: forged, 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(429);
  });
});
