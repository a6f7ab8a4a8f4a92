import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';

/** Printable, bounded, no spaces: a caller's id is echoed into headers and logs, so it must be harmless. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:@\-]{1,128}$/;

interface WithCorrelation {
  correlationId?: string;
}

/**
 * Takes the caller's `X-Correlation-Id` when it is acceptable, otherwise
 * makes one, and echoes it on the response. Registered before every other
 * middleware so that even a body the parser rejects has a correlation id.
 */
export function correlationIdMiddleware(request: IncomingMessage, response: ServerResponse, next: () => void): void {
  assignCorrelationId(request, response);
  next();
}

export function assignCorrelationId(request: IncomingMessage, response: ServerResponse): string {
  const holder = request as IncomingMessage & WithCorrelation;
  if (holder.correlationId) return holder.correlationId;
  const id = takeCorrelationId(request);
  if (!response.headersSent) response.setHeader('X-Correlation-Id', id);
  return id;
}

/**
 * The request's correlation id as assignCorrelationId gives it, for an
 * answer that writes its headers itself (the inclusion proofs' fast path):
 * the caller's when acceptable, otherwise a new one, kept on the request.
 */
export function takeCorrelationId(request: IncomingMessage): string {
  const holder = request as IncomingMessage & WithCorrelation;
  if (holder.correlationId) return holder.correlationId;
  const offered = request.headers[CORRELATION_HEADER];
  const id = typeof offered === 'string' && ACCEPTABLE_ID.test(offered) ? offered : randomUUID();
  holder.correlationId = id;
  return id;
}

/** The request's correlation id; requests that somehow bypassed the middleware get a fresh one. */
export function correlationIdOf(request: IncomingMessage): string {
  return (request as IncomingMessage & WithCorrelation).correlationId ?? randomUUID();
}
