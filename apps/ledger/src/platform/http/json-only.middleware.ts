import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProblemException } from '../errors/problem.exception';

/** `application/json` and every `application/…+json` type (`application/vnd.api+json`, `application/merge-patch+json`), with or without parameters. */
const JSON_MEDIA_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/**
 * The one definition of what the API reads as JSON: this middleware lets
 * exactly these bodies through, and the JSON body parser reads exactly these,
 * so no body can pass the one and be skipped by the other.
 */
export function isJsonMediaType(contentType: string | undefined): boolean {
  return JSON_MEDIA_TYPE.test(contentType ?? '');
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The API speaks JSON only. A body of another media type would otherwise be
 * silently ignored (no parser reads it) and a command with only optional
 * fields would run as if it had been sent empty: refuse it with 415 instead.
 * A request with no body at all stays acceptable.
 */
export function jsonOnlyMiddleware(request: IncomingMessage, _response: ServerResponse, next: (error?: unknown) => void): void {
  if (!hasBody(request) || isJsonMediaType(request.headers['content-type'])) return next();
  next(new ProblemException(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json (or an application/*+json type)'));
}
