import { isStorageOutage } from '@ledger/platform';
import type { FieldProblem } from './problem';

/**
 * What the API answers for an error, decided without any framework types so
 * the mapping is a pure function that unit tests can cover case by case.
 */
export interface ErrorAnswer {
  status: number;
  code: string;
  title: string;
  detail: string;
  errors?: FieldProblem[];
  headers?: Record<string, string>;
  /** Programmer errors are logged with their stack; client errors are not worth a log line. */
  unexpected: boolean;
  /** The event store or the database could not be reached: logged as a warning, without a stack. */
  outage?: boolean;
}

const STATUS_OF_DOMAIN_KIND: Readonly<Record<string, number>> = {
  validation: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule: 422,
};

/** Codes for HTTP errors that carry none of their own (Nest's built-in exceptions, body-parser). */
const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  431: 'REQUEST_HEADERS_TOO_LARGE',
  503: 'SERVICE_UNAVAILABLE',
};

const TITLE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleOf(status: number): string {
  return TITLE_OF_STATUS[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

type Mapper = (error: unknown) => ErrorAnswer | undefined;

/**
 * Ordered from the most specific shape to the most general; the first mapper
 * that recognises the error answers. Errors are recognised by their stable
 * `code`/`kind`/`status` fields (duck typing) rather than by class, so an
 * error class from another library (the read side's ProjectionLagError, an
 * event-store adapter) needs no import here.
 */
const MAPPERS: readonly Mapper[] = [fromDomainError, fromEventStoreConflict, fromProjectionLag, fromRateLimit, fromStoreOutage, fromBodyParser, fromUndecodablePath, fromHttpException];

export function answerFor(error: unknown): ErrorAnswer {
  for (const map of MAPPERS) {
    const answer = map(error);
    if (answer) return answer;
  }
  return { status: 500, code: 'INTERNAL_ERROR', title: titleOf(500), detail: 'An unexpected error occurred; it has been logged with the correlation id', unexpected: true };
}

function fieldOf(error: object, key: string): unknown {
  return (error as Record<string, unknown>)[key];
}

function fromDomainError(error: unknown): ErrorAnswer | undefined {
  if (!(error instanceof Error)) return undefined;
  const kind = fieldOf(error, 'kind');
  const code = fieldOf(error, 'code');
  if (typeof kind !== 'string' || typeof code !== 'string' || !(kind in STATUS_OF_DOMAIN_KIND)) return undefined;
  const status = STATUS_OF_DOMAIN_KIND[kind];
  const answer: ErrorAnswer = { status, code, title: titleOf(status), detail: error.message, unexpected: false };
  const details = fieldOf(error, 'details') as Record<string, unknown> | undefined;
  if (kind === 'validation') {
    const field = typeof details?.field === 'string' ? details.field : '';
    answer.errors = [{ field, code, message: error.message }];
  }
  return answer;
}

function fromEventStoreConflict(error: unknown): ErrorAnswer | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = fieldOf(error, 'code');
  if (code === 'WRONG_EXPECTED_REVISION') {
    return { status: 409, code: 'CONCURRENT_MODIFICATION', title: titleOf(409), detail: 'The ledger changed while the command ran; send it again', unexpected: false };
  }
  if (code === 'DUPLICATE_EVENT_ID') {
    return { status: 409, code: 'DUPLICATE_COMMAND', title: titleOf(409), detail: 'This command was already applied with other content', unexpected: false };
  }
  return undefined;
}

function fromProjectionLag(error: unknown): ErrorAnswer | undefined {
  if (!(error instanceof Error) || fieldOf(error, 'code') !== 'PROJECTION_LAG') return undefined;
  const seconds = Number(fieldOf(error, 'retryAfterSeconds'));
  const retryAfter = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 1;
  return {
    status: 503,
    code: 'PROJECTION_LAG',
    title: titleOf(503),
    detail: error.message || 'The read models have not caught up yet',
    headers: { 'Retry-After': String(retryAfter) },
    unexpected: false,
  };
}

/** A client address over its budget (platform/rate-limit): the client may come back after Retry-After. */
function fromRateLimit(error: unknown): ErrorAnswer | undefined {
  if (!(error instanceof Error) || fieldOf(error, 'code') !== 'RATE_LIMITED') return undefined;
  const seconds = Number(fieldOf(error, 'retryAfterSeconds'));
  const retryAfter = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 60;
  return {
    status: 429,
    code: 'RATE_LIMITED',
    title: titleOf(429),
    detail: error.message || 'Too many requests from this address',
    headers: { 'Retry-After': String(retryAfter) },
    unexpected: false,
  };
}

/**
 * The event store or the database is down or restarting: nothing was
 * decided, so the client may retry the same command (with its
 * Idempotency-Key) a little later.
 */
function fromStoreOutage(error: unknown): ErrorAnswer | undefined {
  if (!isStorageOutage(error)) return undefined;
  return {
    status: 503,
    code: 'STORE_UNAVAILABLE',
    title: titleOf(503),
    detail: 'The ledger cannot reach its storage right now; retry later',
    headers: { 'Retry-After': '5' },
    unexpected: false,
    outage: true,
  };
}

/**
 * Errors raised by Express's body-parser before any route runs (`type` names
 * the failure). Nest wraps them in an HttpException with the original as `cause`.
 */
function fromBodyParser(error: unknown): ErrorAnswer | undefined {
  if (!(error instanceof Error)) return undefined;
  const cause = fieldOf(error, 'cause');
  const source = typeof fieldOf(error, 'type') === 'string' || !(cause instanceof Error) ? error : cause;
  const type = fieldOf(source, 'type');
  if (type === 'entity.parse.failed') {
    return { status: 400, code: 'MALFORMED_JSON', title: titleOf(400), detail: 'The request body is not valid JSON (or uses a forbidden key such as __proto__)', unexpected: false };
  }
  if (type === 'entity.too.large') {
    return { status: 413, code: 'PAYLOAD_TOO_LARGE', title: titleOf(413), detail: 'The request body is too large', unexpected: false };
  }
  const status = fieldOf(source, 'status');
  if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
    // Other body-parser failures (encoding, charset, aborted request): the client's fault.
    return { status, code: CODE_OF_STATUS[status] ?? 'BAD_REQUEST', title: titleOf(status), detail: 'The request body could not be read', unexpected: false };
  }
  return undefined;
}

/**
 * A path whose percent-encoding does not decode (`%0`, `%FF`, an encoded
 * unpaired surrogate): Express's router fails on it while matching routes, so
 * neither the route nor the parameter's name is known yet, and Nest wraps its
 * URIError in a 400. Like a body that is not JSON, the request as a whole is
 * malformed; the detail does not repeat the path, which may hold personal data.
 */
function fromUndecodablePath(error: unknown): ErrorAnswer | undefined {
  if (!(error instanceof Error)) return undefined;
  const cause = fieldOf(error, 'cause');
  const source = error instanceof URIError ? error : cause instanceof URIError ? cause : undefined;
  if (source === undefined || fieldOf(source, 'status') !== 400) return undefined;
  return { status: 400, code: 'MALFORMED_PATH', title: titleOf(400), detail: 'The path holds a percent-encoding that is not UTF-8', unexpected: false };
}

/** Nest's HttpException and our ProblemException: keep the status. */
function fromHttpException(error: unknown): ErrorAnswer | undefined {
  if (!(error instanceof Error)) return undefined;
  const getStatus = fieldOf(error, 'getStatus');
  if (typeof getStatus !== 'function') return undefined;
  const status = Number(getStatus.call(error));
  if (!Number.isInteger(status) || status < 400 || status > 599) return undefined;
  const ownCode = fieldOf(error, 'code');
  const code = typeof ownCode === 'string' ? ownCode : (CODE_OF_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'));
  const errors = fieldOf(error, 'errors') as FieldProblem[] | undefined;
  const headers = fieldOf(error, 'headers') as Record<string, string> | undefined;
  return {
    status,
    code,
    title: titleOf(status),
    detail: status >= 500 ? 'The server could not answer this request' : error.message,
    ...(errors ? { errors } : {}),
    ...(headers ? { headers: { ...headers } } : {}),
    unexpected: status >= 500,
  };
}
