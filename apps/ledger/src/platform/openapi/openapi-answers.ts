import { getSchemaPath, type ApiResponseOptions, type HeadersObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem';
import { ProblemResponse } from './problem-response';

/**
 * Pieces of the OpenAPI document that command and query routes share: the
 * problem+json body of every error, and the headers that go with some answers.
 * The statuses and codes named here are the ones the exception filter
 * (platform/errors) really answers; keep the two in step.
 */

export const PROBLEM_CONTENT = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemResponse) } } };

const DECIMAL_STRING = { type: 'string', pattern: '^(0|[1-9][0-9]*)$', example: '1042' } as const;

const RETRY_AFTER = { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1, example: 5 } } as const;

/** On every 429 and 503. */
export const RETRY_AFTER_HEADER: HeadersObject = { 'Retry-After': { ...RETRY_AFTER, required: true } };

/** On some answers of a status only (a 409 for an Idempotency-Key still in progress). */
export const RETRY_AFTER_SOMETIMES_HEADER: HeadersObject = { 'Retry-After': RETRY_AFTER };

/** Every query answer names the read position it answers at. */
export const LEDGER_POSITION_HEADER: HeadersObject = {
  'Ledger-Position': { description: 'The position of the log the read models answered at, as a decimal string', required: true, schema: DECIMAL_STRING },
};

/** A query that failed after the read models were read (a 404), or waited for them in vain (PROJECTION_LAG), says where they stood. */
export const LEDGER_POSITION_SOMETIMES_HEADER: HeadersObject = {
  'Ledger-Position': { description: 'Where the read models stood when the query read them or gave up waiting, as a decimal string', schema: DECIMAL_STRING },
};

/** An error answer: problem+json, with headers when the status carries some. */
export function problemAnswer(status: number, description: string, headers?: HeadersObject): ApiResponseOptions {
  return { status, description, content: PROBLEM_CONTENT, ...(headers ? { headers } : {}) };
}

export const UNAUTHENTICATED_ANSWER = problemAnswer(401, 'UNAUTHENTICATED (no token, or not a valid one) or TOKEN_EXPIRED', {
  'WWW-Authenticate': { description: 'The scheme to authenticate with', schema: { type: 'string', example: 'Bearer' } },
});

/** Routes that need a token: only failed authentications count against an address (LEDGER_RATE_LIMIT). */
export const RATE_LIMITED_ANSWER = problemAnswer(
  429,
  'RATE_LIMITED: this client address failed authentication too often; see Retry-After (valid tokens are not limited)',
  RETRY_AFTER_HEADER,
);

/** Public routes: every request counts against the client address (LEDGER_RATE_LIMIT per minute). */
export const PUBLIC_RATE_LIMITED_ANSWER = problemAnswer(429, 'RATE_LIMITED: too many requests from this client address; see Retry-After', RETRY_AFTER_HEADER);

/** Answered by the HTTP server itself, before any route: so every route can give it. */
export const HEADERS_TOO_LARGE_ANSWER = problemAnswer(431, 'REQUEST_HEADERS_TOO_LARGE: the request line and headers together are over 16 KB');
