import { Folio } from '@ledger/domain';
import { readWithPosition, type CertificateQueries } from '@ledger/read-models';
import { countedAhead, hasBody, isConditional, sendAsExpressWould, type ExpressApplication, type FastPath } from '../platform/http/fast-lane';
import type { Middleware } from '../platform/rate-limit/rate-limits';
import { LEDGER_POSITION_HEADER } from './ledger-position.interceptor';

/** The route as the controller declares it (`v1/public/certificates` + `:folio`). */
const PUBLIC_CERTIFICATE_PATH = '/v1/public/certificates/';
/** The route template the metrics name it by, as Express gives it for Nest's route. */
const PUBLIC_CERTIFICATE_ROUTE = '/v1/public/certificates/:folio';
/** A path segment that is read as it stands (nothing to percent-decode) and is not too long to be a folio. */
const PLAIN_SEGMENT = /^[0-9A-Za-z-]{1,64}$/;

/**
 * The folio of `GET /v1/public/certificates/{folio}` when the request is
 * plainly valid: that path exactly, no query string (`minPosition` and the
 * rest are Nest's to read and wait for), a segment that needs no decoding
 * and that Folio reads. Undefined for anything else, which Nest's router,
 * FolioPipe and problem filter answer as they always did: the fast path
 * never refuses a request, so every 400 and 404 is still theirs.
 */
export function plainPublicFolio(url: string): string | undefined {
  if (!url.startsWith(PUBLIC_CERTIFICATE_PATH)) return undefined;
  const segment = url.slice(PUBLIC_CERTIFICATE_PATH.length);
  if (!PLAIN_SEGMENT.test(segment)) return undefined;
  try {
    return Folio.parse(segment).value;
  } catch {
    return undefined;
  }
}

export interface PublicVerificationFastPathOptions {
  readonly certificates: CertificateQueries;
  /** The application Nest runs: its ETag function and its request's `ip` (trust proxy as configured). */
  readonly express: ExpressApplication;
  /** The public routes' limiter, exactly as mounted in the Express chain (through countedOnce); none when the limit is off. */
  readonly limiter?: Middleware;
}

/**
 * Public verification ahead of Express, for the plainly valid requests
 * (plainPublicFolio), without a token and not conditional: the same query
 * service the controller calls (CertificateQueries.verify, which keeps
 * answers while nothing they were read from changed), the answer sent as
 * the controller's is, with the position it was read at in
 * `Ledger-Position` as LedgerPositionInterceptor sets it. A certificate
 * the registry does not hold, and any failure, goes onward, where Nest
 * answers it (404 CERTIFICATE_NOT_FOUND, 503 …) exactly as before.
 *
 * The edge's work happens here to the same effect, as for the inclusion
 * proofs: security headers, correlation id, the public rate limiter counted
 * once (countedAhead). Like them, it writes no request log line (the reason
 * is given at inclusionProofFastPath); metrics count it by its route
 * template. A request with a token goes onward: the auth guard decides what
 * Cache-Control such an answer carries.
 */
export function publicVerificationFastPath(options: PublicVerificationFastPathOptions): FastPath {
  const send = sendAsExpressWould(options.express, PUBLIC_CERTIFICATE_ROUTE);
  const counted = countedAhead(options.express, options.limiter);
  return (request, response, onward) => {
    const url = request.url ?? '';
    if (request.method !== 'GET' || !url.startsWith(PUBLIC_CERTIFICATE_PATH)) return onward();
    const folio = plainPublicFolio(url);
    if (folio === undefined || request.headers.authorization !== undefined || hasBody(request) || isConditional(request)) return onward();
    counted(request, response, onward, () =>
      void readWithPosition(() => options.certificates.verify(folio)).then(
        ({ answer, position }) => (position === undefined ? onward() : send(request, response, answer, [LEDGER_POSITION_HEADER, position.toString()])),
        () => onward(),
      ),
    );
  };
}
