import { DomainError } from '@ledger/domain';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '@ledger/event-store';
import { answerFor } from './error-mapping';

/** Nest's HttpException as the mapper sees it (the class itself is an ES module Jest cannot load). */
class FakeHttpException extends Error {
  constructor(message: string, private readonly status: number, readonly code?: string, override readonly cause?: unknown) {
    super(message);
  }
  getStatus(): number {
    return this.status;
  }
}

describe('answerFor', () => {
  it.each([
    ['CURP_CHECK_DIGIT', 400],
    ['NOT_ENROLLING_PROVIDER', 403],
    ['PROCESS_NOT_FOUND', 404],
    ['ALREADY_ENROLLED', 409],
    ['NOT_COMPETENT', 422],
  ] as const)('maps the domain error %s to %i by its kind', (code, status) => {
    const answer = answerFor(new DomainError(code, 'message', { field: 'curp' }));
    expect(answer).toMatchObject({ status, code, detail: 'message', unexpected: false });
  });

  it('names the field of a domain validation error', () => {
    expect(answerFor(new DomainError('CURP_FORMAT', 'bad', { field: 'curp' })).errors).toEqual([{ field: 'curp', code: 'CURP_FORMAT', message: 'bad' }]);
  });

  it('maps store conflicts to 409', () => {
    expect(answerFor(new WrongExpectedRevisionError('s', 1n, 2n))).toMatchObject({ status: 409, code: 'CONCURRENT_MODIFICATION' });
    expect(answerFor(new DuplicateEventIdError('id', 's'))).toMatchObject({ status: 409, code: 'DUPLICATE_COMMAND' });
  });

  it('maps the read side’s projection lag to 503 with Retry-After, by its code alone', () => {
    const lag = Object.assign(new Error('behind'), { code: 'PROJECTION_LAG', retryAfterSeconds: 2.2 });
    expect(answerFor(lag)).toMatchObject({ status: 503, code: 'PROJECTION_LAG', headers: { 'Retry-After': '3' } });
  });

  it('maps a client over its rate limit to 429 with Retry-After, by its code alone', () => {
    const limited = Object.assign(new Error('Too many requests to the public routes from this address'), { code: 'RATE_LIMITED', retryAfterSeconds: 41 });
    expect(answerFor(limited)).toMatchObject({ status: 429, code: 'RATE_LIMITED', title: 'Too Many Requests', headers: { 'Retry-After': '41' }, unexpected: false });
  });

  it('answers 503 with Retry-After when the store or the database cannot be reached', () => {
    const outages = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }),
      Object.assign(new Error('Deadline exceeded'), { type: 'deadline-exceeded' }),
      Object.assign(new Error('query failed'), { driverError: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }),
    ];
    for (const outage of outages) {
      expect(answerFor(outage)).toMatchObject({ status: 503, code: 'STORE_UNAVAILABLE', headers: { 'Retry-After': '5' }, unexpected: false, outage: true });
    }
    // A query the database refuses for its content is a programmer error, not an outage.
    expect(answerFor(Object.assign(new Error('syntax error at or near "x"'), { code: '42601' })).status).toBe(500);
  });

  it('recognises body-parser failures, also when Nest wrapped them', () => {
    const parse = Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 });
    expect(answerFor(parse)).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    expect(answerFor(new FakeHttpException('Unexpected token', 400, undefined, parse))).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    const large = Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413 });
    expect(answerFor(large)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers a path the router cannot decode as MALFORMED_PATH, without repeating it', () => {
    const undecodable = Object.assign(new URIError("Failed to decode param '%ED%A0%80'"), { status: 400, statusCode: 400 });
    for (const error of [undecodable, new FakeHttpException(undecodable.message, 400, undefined, undecodable)]) {
      const answer = answerFor(error);
      expect(answer).toMatchObject({ status: 400, code: 'MALFORMED_PATH', unexpected: false });
      expect(answer.detail).not.toContain('%');
    }
    // A URIError of the server's own making is no client's fault.
    expect(answerFor(new URIError('URI malformed')).status).toBe(500);
  });

  it('keeps the status of HTTP exceptions, with their own code when they have one', () => {
    expect(answerFor(new FakeHttpException('Cannot POST /x', 404))).toMatchObject({ status: 404, code: 'NOT_FOUND', detail: 'Cannot POST /x' });
    expect(answerFor(new FakeHttpException('reused', 409, 'IDEMPOTENCY_KEY_REUSED'))).toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('answers anything else with a bare 500 that reveals nothing', () => {
    const answer = answerFor(new TypeError('secret internals at /srv/app.ts:42'));
    expect(answer).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', unexpected: true });
    expect(answer.detail).not.toContain('secret');
    expect(answerFor('a thrown string').status).toBe(500);
    expect(answerFor(undefined).status).toBe(500);
  });
});
