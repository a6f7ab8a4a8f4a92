import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadLedgerConfig } from '@ledger/platform';
import { FailedAuthentications, failedAuthenticationBudget, isRateLimitedPublicPath, publicRoutesLimiter, type Middleware } from './rate-limits';
import { RateLimitedError } from './rate-limited.error';

/** The parts of an Express request and response the limiter reads. */
function exchange(url: string, ip = '203.0.113.7'): { request: IncomingMessage; response: ServerResponse; headers: Map<string, string> } {
  const headers = new Map<string, string>();
  const request = { url, ip, headers: {}, app: { get: () => false }, socket: { remoteAddress: ip } } as unknown as IncomingMessage;
  const response = { headersSent: false, setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), String(value)) } as unknown as ServerResponse;
  return { request, response, headers };
}

function pass(middleware: Middleware, url: string, ip?: string): Promise<unknown> {
  const { request, response } = exchange(url, ip);
  return new Promise((resolve) => middleware(request, response, (error) => resolve(error)));
}

const quiet = { warn: () => undefined };

describe('rate limits', () => {
  it('count the public routes, in any case, and nothing else', () => {
    for (const path of ['/v1/public/certificates/ABCD-EFGH-JKLM-7', '/V1/Public/certificates/x?minPosition=3', '/v1/log/checkpoint', '/v1/log/checkpoints/12', '/v1/log/tile/0/001', '/verify/ABCD']) {
      expect([path, isRateLimitedPublicPath(path)]).toEqual([path, true]);
    }
    for (const path of ['/v1/certificates/ABCD', '/health', '/docs', '/v1/enrollments', '/v1/log/entries/5', '/v1/publicity']) {
      expect([path, isRateLimitedPublicPath(path)]).toEqual([path, false]);
    }
  });

  it('answer a public request past the budget with RATE_LIMITED and the seconds until the window starts over', async () => {
    const limiter = publicRoutesLimiter(3, quiet);
    for (let i = 0; i < 3; i += 1) expect(await pass(limiter, '/v1/public/certificates/x')).toBeUndefined();
    const refused = await pass(limiter, '/v1/public/certificates/x');
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(60);
    // Another address has its own budget; routes that need a token are not counted here.
    expect(await pass(limiter, '/v1/public/certificates/x', '198.51.100.2')).toBeUndefined();
    expect(await pass(limiter, '/v1/certificates/x')).toBeUndefined();
  });

  it('give an address a tenth of its public budget in failed authentications', async () => {
    expect(failedAuthenticationBudget(1200)).toBe(120);
    expect(failedAuthenticationBudget(5)).toBe(1);
    const failures = new FailedAuthentications(20, quiet);
    const { request, response } = exchange('/v1/enrollments');
    await failures.record(request, response);
    await failures.record(request, response);
    await expect(failures.record(request, response)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('let everything through with LEDGER_RATE_LIMIT=off', async () => {
    const { rateLimit } = loadLedgerConfig({ LEDGER_RATE_LIMIT: 'off' });
    const limiter = publicRoutesLimiter(rateLimit, quiet);
    const failures = new FailedAuthentications(rateLimit, quiet);
    const { request, response } = exchange('/v1/enrollments');
    for (let i = 0; i < 2_000; i += 1) {
      expect(await pass(limiter, '/v1/public/certificates/x')).toBeUndefined();
      await failures.record(request, response);
    }
  });
});
