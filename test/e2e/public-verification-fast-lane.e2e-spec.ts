import request from 'supertest';
import { comparable, fetchAnswer, type Answer } from './support/http-answers';
import { FOLIO_ALPHABET, folioCheckSymbol } from '@ledger/domain';
import { callersFor, competentProcess, post, seedReferenceData, type Callers } from './support/ledger-client';
import { POSTGRES_MODE, type LedgerUnderTest } from './support/ledger-modes';
import type { LedgerServer } from './support/ledger-server';
import { eventually } from '../support/eventually';

/**
 * Public verification as the ledger answers it ahead of Express (the fast
 * lane, with the answers CertificateQueries keeps): each answer is the one
 * Nest's controller gives for the same folio (reached through a spelling the
 * fast lane leaves alone, a trailing slash, which Nest routes to the same
 * handler), every header included, Ledger-Position among them; what it
 * cannot answer goes to Nest as before; a revocation is seen at once with
 * minPosition and soon without it; and the public rate limit counts every
 * request once, whichever lane answers it.
 */
describe('public verification in the fast lane', () => {
  let ledger: LedgerUnderTest;
  let server: LedgerServer;
  let callers: Callers;
  let folio: string;
  let issuedAt: string;

  const call = (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> => fetchAnswer(server.baseUrl, path, headers, method);

  async function issue(): Promise<{ folio: string; position: string }> {
    const processId = await competentProcess(server, callers);
    const issued = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, {});
    expect(issued.status).toBe(201);
    return issued.body as { folio: string; position: string };
  }

  beforeAll(async () => {
    // LOG_LEVEL=info: Nest writes a line per request it answers, the fast lane none, which tells them apart.
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'public_fast_lane', server: { env: { LOG_LEVEL: 'info', LEDGER_RATE_LIMIT: 'off' } } });
    server = ledger.server;
    callers = callersFor(server);
    await seedReferenceData(server, callers);
    const issued = await issue();
    folio = issued.folio;
    // Settled: both lanes read the same folded state from here on.
    const settled = await call(`/v1/public/certificates/${folio}?minPosition=${issued.position}`);
    expect(settled.status).toBe(200);
    issuedAt = (JSON.parse(settled.text) as { issuedAt: string }).issuedAt;
  });

  afterAll(async () => {
    await ledger?.stop();
  });

  it('answers as the controller does, header for header, the first time and when the answer is kept, and logs no line', async () => {
    for (const round of [1, 2, 3]) {
      const fast = await call(`/v1/public/certificates/${folio}`, { 'X-Correlation-Id': `public-fast-${round}` });
      const routed = await call(`/v1/public/certificates/${folio}/`, { 'X-Correlation-Id': `public-nest-${round}` });
      expect({ round, fast: fast.status, routed: routed.status }).toEqual({ round, fast: 200, routed: 200 });
      expect(fast.text).toBe(routed.text);
      expect(comparable(fast)).toEqual(comparable(routed));
      expect(fast.headers.get('x-correlation-id')).toBe(`public-fast-${round}`);
    }
    const answer = await call(`/v1/public/certificates/${folio}`);
    expect(JSON.parse(answer.text)).toMatchObject({ folio, status: 'valid', issuedAt, standardCode: 'EC0105' });
    expect(answer.text).not.toMatch(/curp|subjectId/i);
    expect(comparable(answer)).toMatchObject({
      'cache-control': 'no-cache',
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'ledger-position': expect.stringMatching(/^\d+$/),
      etag: expect.stringMatching(/^W\/"/),
    });
    // The folio as a person may type it: lower case, without hyphens.
    const typed = await call(`/v1/public/certificates/${folio.toLowerCase().replace(/-/g, '')}`);
    expect({ status: typed.status, text: typed.text }).toEqual({ status: 200, text: answer.text });
    const output = () => server.output();
    await eventually(() => output().includes('"correlationId":"public-nest-3"'));
    expect(output()).not.toContain('"correlationId":"public-fast-');
  });

  it('leaves to Nest what it cannot answer as the controller would: unknown and mistyped folios, queries, tokens, conditions, other methods', async () => {
    const body = folio.replace(/-/g, '').slice(0, 12);
    // Every wrong check symbol: a typo, 400 FOLIO_CHECK.
    for (const check of FOLIO_ALPHABET) {
      const candidate = `${body}${check}`;
      if (candidate === folio.replace(/-/g, '')) continue;
      const answer = await call(`/v1/public/certificates/${candidate}`);
      expect({ candidate, status: answer.status, code: (JSON.parse(answer.text) as { code: string }).code }).toEqual({ candidate, status: 400, code: 'FOLIO_CHECK' });
    }
    // A well-formed folio of another body: the registry holds no such certificate (one in 2^60 it would).
    const otherBody = `${body.slice(0, 11)}${body[11] === '0' ? '1' : '0'}`;
    const wellFormedNotHeld = await call(`/v1/public/certificates/${otherBody}${folioCheckSymbol(otherBody)}`);
    expect(wellFormedNotHeld.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.parse(wellFormedNotHeld.text)).toMatchObject({ status: 404, code: 'CERTIFICATE_NOT_FOUND' });
    expect(wellFormedNotHeld.headers.get('ledger-position')).toMatch(/^\d+$/);

    const control = await call(`/v1/public/certificates/%01${folio}`);
    expect(control.status).toBe(400);
    expect((await call(`/v1/public/certificates/${'A'.repeat(5_000)}`)).status).toBe(400);
    expect(JSON.parse((await call(`/v1/public/certificates/${folio}?curp=XEXX010101HNEXXXA4`)).text)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });

    const withToken = await call(`/v1/public/certificates/${folio}`, { Authorization: callers.comptroller });
    expect({ status: withToken.status, cache: withToken.headers.get('cache-control') }).toEqual({ status: 200, cache: 'no-store' });
    const etag = (await call(`/v1/public/certificates/${folio}`)).headers.get('etag')!;
    // Through supertest: fetch adds Cache-Control: no-cache to a conditional request, which Express then never answers 304.
    expect((await request(server.baseUrl).get(`/v1/public/certificates/${folio}`).set('If-None-Match', etag)).status).toBe(304);
    const head = await call(`/v1/public/certificates/${folio}`, {}, 'HEAD');
    expect({ status: head.status, text: head.text }).toEqual({ status: 200, text: '' });
    expect((await call(`/v1/public/certificates/${folio}`, {}, 'DELETE')).status).toBe(404);
    // A broken token is Nest's to judge too; on a public route it is ignored, as before.
    expect((await call(`/v1/public/certificates/${folio}`, { Authorization: 'Bearer not-a-token' })).status).toBe(200);
  });

  it('answers verifications asked all at once (read together, in one statement) exactly as it answers each alone', async () => {
    const { folio: second, position } = await issue();
    expect((await call(`/v1/public/certificates/${second}?minPosition=${position}`)).status).toBe(200);
    const body = folio.replace(/-/g, '').slice(0, 11);
    // Folios the registry does not hold are never kept: every one of them is read, together with the others of its turn.
    const notHeld = [...'0123456789'].map((last) => `${body}${last}`).filter((candidate) => !folio.replace(/-/g, '').startsWith(candidate));
    const paths = [folio, second, ...notHeld.map((candidate) => `${candidate}${folioCheckSymbol(candidate)}`)].flatMap((asked) => [
      `/v1/public/certificates/${asked}`,
      `/v1/public/certificates/${asked}/`,
    ]);
    // The same correlation id for the same path: a 404's problem+json names it.
    const asked = (index: number) => ({ 'X-Correlation-Id': `verify-${index % paths.length}` });
    const together = await Promise.all([...paths, ...paths].map((path, index) => call(path, asked(index))));
    const alone: Answer[] = [];
    for (const [index, path] of paths.entries()) alone.push(await call(path, asked(index)));
    for (const [index, answer] of together.entries()) {
      const expected = alone[index % paths.length];
      expect({ path: paths[index % paths.length], status: answer.status, text: answer.text }).toEqual({ path: paths[index % paths.length], status: expected.status, text: expected.text });
      expect(comparable(answer)).toEqual(comparable(expected));
    }
    expect(alone.map((answer) => answer.status)).toEqual(paths.map((_, index) => (index < 4 ? 200 : 404)));
  });

  it('shows a revocation at once to a request that waits for it, and soon to any other', async () => {
    const revoked = await post(server, `/v1/certificates/${folio}/revocation`, callers.authority, { reason: 'Evidencia apócrifa' });
    expect(revoked.status).toBe(201);
    const { position } = revoked.body as { position: string };
    const waited = await call(`/v1/public/certificates/${folio}?minPosition=${position}`);
    expect(JSON.parse(waited.text)).toMatchObject({ folio, status: 'revoked' });
    const fast = await eventually(async () => {
      const answer = await call(`/v1/public/certificates/${folio}`);
      return (JSON.parse(answer.text) as { status: string }).status === 'revoked' ? answer : undefined;
    });
    expect(BigInt(fast.headers.get('ledger-position')!)).toBeGreaterThanOrEqual(BigInt(position));
    const routed = await call(`/v1/public/certificates/${folio}/`);
    expect(fast.text).toBe(routed.text);
    expect(comparable(fast)).toEqual(comparable(routed));
  });
});

describe('the public rate limit, over public verifications answered by the fast lane and by Nest alike', () => {
  let ledger: LedgerUnderTest;

  afterAll(async () => {
    await ledger?.stop();
  });

  it('counts each request once, whichever answers it, and refuses past the budget with Nest’s 429', async () => {
    ledger = await POSTGRES_MODE.start({ databasePrefix: 'public_fast_lane_limit', server: { env: { LEDGER_RATE_LIMIT: '30' } } });
    const { server } = ledger;
    const callers = callersFor(server);
    await seedReferenceData(server, callers);
    const processId = await competentProcess(server, callers);
    const issued = await post(server, `/v1/enrollments/${processId}/certificate`, callers.certifier, {});
    const { folio, position } = issued.body as { folio: string; position: string };
    // Settled with a token, so that nothing is counted before the test.
    const settled = await fetch(`${server.baseUrl}/v1/public/certificates/${folio}?minPosition=${position}`, { headers: { Authorization: callers.comptroller } });
    expect(settled.status).toBe(200);
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let n = 0; n < 32; n += 1) {
      const answer = await fetch(`${server.baseUrl}/v1/public/certificates/${folio}${n % 2 === 0 ? '' : '/'}`);
      statuses.push(answer.status);
      if (answer.status === 200) expect(answer.headers.get('ratelimit-policy')).toBe('30;w=60');
      if (answer.status === 429) refused ??= answer;
    }
    expect(statuses).toEqual([...Array.from({ length: 30 }, () => 200), 429, 429]);
    expect(refused?.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused!.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
  });
});
