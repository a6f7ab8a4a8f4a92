import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { securityHeadersMiddleware } from '../platform/http/security-headers';
import { correlationIdMiddleware } from '../platform/logging/correlation-id';
import { publicRoutesLimiter, type Middleware } from '../platform/rate-limit/rate-limits';
import { RateLimitedError } from '../platform/rate-limit/rate-limited.error';
import { answerFirst, countedOnce, type ExpressApplication } from '../platform/http/fast-lane';
import { inclusionProofFastPath, plainInclusionQuery } from './inclusion-proof.route';
import type { LogAnswers } from './log-answers';
import type { InclusionProofResponse } from './log.dto';

/** Express ships no types; only what this spec calls. */
type ExpressApp = ExpressApplication &
  ((request: IncomingMessage, response: ServerResponse) => void) & {
    use(...handlers: unknown[]): void;
    get(path: string, handler: (request: IncomingMessage, response: ServerResponse & { json(body: unknown): void }) => void): void;
    disable(setting: string): void;
  };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const express = require('express') as () => ExpressApp;

const PROOF: InclusionProofResponse = {
  position: '1042',
  leafIndex: 41,
  treeSize: 1_000,
  leafHash: Buffer.alloc(32, 7).toString('base64'),
  hashes: [Buffer.alloc(32, 1).toString('base64'), Buffer.alloc(32, 2).toString('base64')],
};

/**
 * The inclusion proofs' fast path, on a real HTTP server in front of an
 * Express application mounted as createLedgerApp mounts the edge (security
 * headers, correlation id, the public limiter through countedOnce), whose
 * route answers as Nest's controller does (res.json of the proof, with the
 * public Cache-Control): what the fast path answers must be that answer,
 * and what it does not answer must reach Express as if it were not there.
 */
describe('the inclusion proofs fast path', () => {
  let server: Server | undefined;
  let base: string;
  /** What the cache holds: the fast path answers these, hands the rest on. */
  let cached: (of: { position: bigint } | { leafIndex: number }, treeSize?: number) => InclusionProofResponse | undefined;
  let onward: number;

  async function serve(limit: number | 'off'): Promise<void> {
    const app = express();
    app.disable('x-powered-by');
    const limiter: Middleware = publicRoutesLimiter(limit, { warn: () => undefined });
    app.use(securityHeadersMiddleware);
    app.use(correlationIdMiddleware);
    app.use(countedOnce(limiter));
    app.get('/v1/log/proofs/inclusion', (request, response) => {
      onward += 1;
      if (request.headers.authorization === undefined) response.setHeader('Cache-Control', 'no-cache');
      response.json(PROOF);
    });
    // As the problem filter answers a RateLimitedError (its body is not the point here).
    app.use((error: unknown, _request: IncomingMessage, response: ServerResponse, _next: unknown) => {
      response.statusCode = error instanceof RateLimitedError ? 429 : 500;
      response.setHeader('Content-Type', 'application/problem+json');
      response.end(JSON.stringify({ code: error instanceof RateLimitedError ? error.code : 'UNEXPECTED' }));
    });
    const answers = { cachedInclusionProof: async (of: { position: bigint } | { leafIndex: number }, treeSize?: number) => cached(of, treeSize) } as unknown as LogAnswers;
    const listening = createServer(app);
    server = listening;
    answerFirst(listening, inclusionProofFastPath({ answers, express: app, limiter: limit === 'off' ? undefined : limiter }));
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  }

  beforeEach(() => {
    cached = () => PROOF;
    onward = 0;
  });

  afterEach(async () => {
    const running = server;
    server = undefined;
    if (running) await new Promise((resolve) => running.close(resolve));
  });

  /** A GET with only the headers given (fetch adds Cache-Control: no-cache to conditional requests, which turns freshness off). */
  function plainGet(path: string, headers: Record<string, string>): Promise<number | undefined> {
    return new Promise((resolve, reject) => {
      get(`${base}${path}`, { headers }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      }).on('error', reject);
    });
  }

  /** Headers as a client gets them, but those that differ per answer. */
  function comparable(response: Response): Record<string, string> {
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!['date', 'x-correlation-id', 'ratelimit'].includes(name)) headers[name] = value;
    });
    return headers;
  }

  it('reads only plainly valid queries of the exact path, as the controller’s validation would accept them', () => {
    expect(plainInclusionQuery('/v1/log/proofs/inclusion?position=1042')).toEqual({ of: { position: 1042n } });
    expect(plainInclusionQuery('/v1/log/proofs/inclusion?treeSize=7&position=0')).toEqual({ of: { position: 0n }, treeSize: 7 });
    expect(plainInclusionQuery('/v1/log/proofs/inclusion?leafIndex=41&treeSize=1000')).toEqual({ of: { leafIndex: 41 }, treeSize: 1000 });
    expect(plainInclusionQuery('/v1/log/proofs/inclusion?position=9223372036854775807')).toEqual({ of: { position: 2n ** 63n - 1n } });
    for (const url of [
      '/v1/log/proofs/inclusion',
      '/v1/log/proofs/inclusion?',
      '/v1/log/proofs/inclusion/?position=1',
      '/V1/log/proofs/inclusion?position=1',
      '/v1/log/proofs/inclusionx?position=1',
      '/v1/log/proofs/inclusion?position=1&position=2',
      '/v1/log/proofs/inclusion?position=1&leafIndex=1',
      '/v1/log/proofs/inclusion?treeSize=3',
      '/v1/log/proofs/inclusion?position=01',
      '/v1/log/proofs/inclusion?position=%31',
      '/v1/log/proofs/inclusion?position=1+',
      '/v1/log/proofs/inclusion?position=-1',
      '/v1/log/proofs/inclusion?position=9223372036854775808',
      '/v1/log/proofs/inclusion?leafIndex=9007199254740992',
      '/v1/log/proofs/inclusion?position=1&treeSize=',
      '/v1/log/proofs/inclusion?position=1&treeSize=1e3',
      '/v1/log/proofs/inclusion?position=1&sort=1',
      '/v1/log/proofs/inclusion?position=1&',
      '/v1/log/proofs/inclusion?position',
      '/v1/log/proofs/inclusion?position[]=1',
      '/v1/log/proofs/inclusion?__proto__=1&position=1',
    ]) {
      expect([url, plainInclusionQuery(url)]).toEqual([url, undefined]);
    }
  });

  it('answers what the cache holds exactly as the Express route answers it: status, body, every header but the date and the correlation id', async () => {
    await serve('off');
    const fast = await fetch(`${base}/v1/log/proofs/inclusion?position=1042`, { headers: { 'X-Correlation-Id': 'fast-1' } });
    expect(onward).toBe(0);
    cached = () => undefined;
    const routed = await fetch(`${base}/v1/log/proofs/inclusion?position=1042`);
    expect(onward).toBe(1);
    expect(fast.status).toBe(200);
    expect(routed.status).toBe(200);
    expect(await fast.text()).toBe(await routed.text());
    expect(comparable(fast)).toEqual(comparable(routed));
    expect(fast.headers.get('x-correlation-id')).toBe('fast-1');
    expect(comparable(fast)).toMatchObject({ 'cache-control': 'no-cache', 'content-type': 'application/json; charset=utf-8', 'x-frame-options': 'DENY', etag: expect.stringMatching(/^W\/"/) });
    // With an Authorization header a public answer stays no-store, as the auth guard leaves it.
    cached = () => PROOF;
    const withToken = await fetch(`${base}/v1/log/proofs/inclusion?position=1042`, { headers: { Authorization: 'Bearer x.y.z' } });
    expect(withToken.headers.get('cache-control')).toBe('no-store');
    expect(onward).toBe(1);
  });

  it('hands on, untouched, what it must not answer: other methods, bodies, conditional requests (Express gives the 304), other queries', async () => {
    await serve('off');
    const etag = (await fetch(`${base}/v1/log/proofs/inclusion?leafIndex=41`)).headers.get('etag') as string;
    expect(onward).toBe(0);
    expect([await plainGet('/v1/log/proofs/inclusion?leafIndex=41', { 'If-None-Match': etag }), onward]).toEqual([304, 1]);
    expect((await fetch(`${base}/v1/log/proofs/inclusion?leafIndex=41`, { method: 'HEAD' })).status).toBe(200);
    expect(onward).toBe(2);
    await fetch(`${base}/v1/log/proofs/inclusion?leafIndex=41`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
    await fetch(`${base}/v1/log/proofs/inclusion?leafIndex=41&sort=1`);
    await fetch(`${base}/v1/log/proofs/inclusion/?leafIndex=41`);
    expect(onward).toBe(4);
    // What the cache declines goes on too, with the query the caller sent.
    const asked: unknown[] = [];
    cached = (of, treeSize) => {
      asked.push([of, treeSize]);
      return undefined;
    };
    expect((await fetch(`${base}/v1/log/proofs/inclusion?position=5&treeSize=9`)).status).toBe(200);
    expect(asked).toEqual([[{ position: 5n }, 9]]);
    expect(onward).toBe(5);
  });

  it('counts each request once against the public limit, answered here or handed on, and leaves the 429 to the Express chain', async () => {
    await serve(6);
    const statuses: number[] = [];
    for (let n = 0; n < 8; n += 1) {
      // Every other request is one the cache cannot answer.
      cached = () => (n % 2 === 0 ? PROOF : undefined);
      const response = await fetch(`${base}/v1/log/proofs/inclusion?position=${n}`);
      statuses.push(response.status);
      if (response.status === 200) expect(response.headers.get('ratelimit-policy')).toBe('6;w=60');
      if (response.status === 429) expect(await response.json()).toEqual({ code: 'RATE_LIMITED' });
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    expect(onward).toBe(3);
  });
});
