import { rateLimit } from 'express-rate-limit';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RateLimit } from '@ledger/platform';
import { RateLimitedError } from './rate-limited.error';

/** An address's count starts over this long after its first counted request. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * The routes anyone may call without a token (API.md), as path prefixes:
 * what a scraper or a flood reaches without credentials, so each client
 * address gets a budget of requests per window on them. Routes added later
 * under these prefixes are counted with no change here. Health checks, the
 * OpenAPI pages and the console's static files are left out: load balancers
 * and browsers fetch them often, and they say nothing about anyone.
 */
export const RATE_LIMITED_PUBLIC_PATHS: readonly string[] = ['/v1/public/', '/v1/log/checkpoint', '/v1/log/key', '/v1/log/tile/', '/v1/log/proofs/', '/verify/'];

export type Middleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/** Where the limiter reports a misconfiguration it notices (a proxy header with trust proxy off, say). */
export interface RateLimitLogger {
  warn(message: string): void;
}

/** Routing ignores case, so the comparison does too: `/V1/PUBLIC/…` reaches the same controller. */
export function isRateLimitedPublicPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0].toLowerCase();
  return RATE_LIMITED_PUBLIC_PATHS.some((prefix) => path.startsWith(prefix));
}

/**
 * Failed authentications an address may have per window: a tenth of its
 * public budget. A client with a working token almost never fails; one that
 * keeps failing is guessing, replaying or broken.
 */
export function failedAuthenticationBudget(limit: number): number {
  return Math.max(1, Math.ceil(limit / 10));
}

function messageOf(error: unknown): string {
  return `Rate limiter: ${error instanceof Error ? error.message : String(error)}`;
}

function secondsUntil(resetTime: Date | undefined): number {
  const seconds = resetTime ? Math.ceil((resetTime.getTime() - Date.now()) / 1000) : RATE_LIMIT_WINDOW_MS / 1000;
  return Math.max(1, seconds);
}

/**
 * express-rate-limit with the ledger's answer: past the budget it hands a
 * RateLimitedError to `next`, which the problem filter answers as 429
 * problem+json with Retry-After. Counts are kept in this process's memory
 * (per ledger instance), keyed by the client address Express names
 * (`request.ip`, which honours `trust proxy`), IPv6 grouped by /56.
 */
function limiterOf(limit: number, counted: string, logger: RateLimitLogger, skip?: (request: IncomingMessage) => boolean): Middleware {
  return rateLimit({
    windowMs: RATE_LIMIT_WINDOW_MS,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    ...(skip ? { skip } : {}),
    handler: (request: { rateLimit?: { resetTime?: Date } }, _response: unknown, next: (error: unknown) => void) => {
      next(new RateLimitedError(`Too many ${counted} from this address; retry after the seconds in Retry-After`, secondsUntil(request.rateLimit?.resetTime)));
    },
    logger: { warn: (error: unknown) => logger.warn(messageOf(error)), error: (error: unknown) => logger.warn(messageOf(error)) },
  }) as unknown as Middleware;
}

/**
 * Counts every request to a public route per address, except those that
 * carry a valid token: a comptroller's auditor walking every leaf of the log,
 * or a provider checking its own certificates, is a known caller, and a
 * request with a valid token is never throttled. With the limit off, lets
 * everything through.
 */
export function publicRoutesLimiter(limit: RateLimit, logger: RateLimitLogger, carriesValidToken: (request: IncomingMessage) => boolean = () => false): Middleware {
  if (limit === 'off') return (_request, _response, next) => next();
  return limiterOf(limit, 'requests to the public routes', logger, (request) => !isRateLimitedPublicPath(request.url) || carriesValidToken(request));
}

/**
 * Failed authentications per address. Only failures are counted and only
 * failures are refused: a request with a valid token always passes, so one
 * broken client behind an agency's shared address cannot lock out its
 * colleagues, and a provider's batch is never throttled.
 */
export class FailedAuthentications {
  private readonly limiter?: Middleware;

  constructor(limit: RateLimit, logger: RateLimitLogger) {
    this.limiter = limit === 'off' ? undefined : limiterOf(failedAuthenticationBudget(limit), 'failed authentications', logger);
  }

  /** Counts one failure of the request's address; rejects with RateLimitedError once the address is over its budget. */
  record(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const limiter = this.limiter;
    if (!limiter) return Promise.resolve();
    return new Promise((resolve, reject) => limiter(request, response, (error) => (error === undefined ? resolve() : reject(error))));
  }
}
