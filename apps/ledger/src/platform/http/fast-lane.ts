import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { takeCorrelationId } from '../logging/correlation-id';
import { labelRoute } from '../metrics/route-label';
import { AUTHENTICATED_CACHE_CONTROL, PUBLIC_CACHE_CONTROL, securityHeadersForRawAnswers } from './security-headers';

/**
 * The fast lane: a few hot routes answered ahead of Express, from what the
 * ledger holds in memory, for the plainly valid requests only; everything
 * else goes onward to Express and Nest untouched.
 *
 * Why ahead of Express: Express puts every request through its router and
 * swaps the prototypes of the request and the response, which alone halves
 * what Node's HTTP server answers per second here; an answer from memory
 * costs less than that. So what the edge does to a request happens here
 * too, to the same effect (see sendAsExpressWould), and what a fast path
 * cannot answer exactly as the controller would is handed on.
 */
export type FastPath = (request: IncomingMessage, response: ServerResponse, onward: () => void) => void;

/** The parts of Express's application a fast path uses: the same ETag and client address Express gives a request. */
export interface ExpressApplication {
  get(setting: string): unknown;
  readonly request: object;
}

/** A body on a GET is for the JSON-only check and the body parser to judge (415, 400). */
export function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** A conditional GET is Express's to answer (its freshness rules give the 304). */
export function isConditional(request: IncomingMessage): boolean {
  return request.headers['if-none-match'] !== undefined || request.headers['if-modified-since'] !== undefined;
}

/** Sends a body as the controller of a public route does through Express's res.json. */
export type JsonSender = (request: IncomingMessage, response: ServerResponse, body: string) => void;

/**
 * The answer of a public route's controller, header for header: the
 * security headers of the same helmet (taken once), the Cache-Control the
 * auth guard gives a public route (no-cache asked without a token, no-store
 * with one), the correlation id, and the body as Express's res.json sends it
 * (a string, its Content-Type and Content-Length, Express's own ETag
 * function), status 200. All in one writeHead, then one write of head and
 * body together: setting a dozen headers one by one cost a fifth of an
 * inclusion proof's CPU time.
 */
export function sendAsExpressWould(express: ExpressApplication, route: string): JsonSender {
  const etagOf = express.get('etag fn') as ((body: string) => string | undefined) | undefined;
  // The fast path writes them with the rest in one writeHead.
  const securityHeaders = Object.entries(securityHeadersForRawAnswers()).flatMap(([name, value]) => (name.toLowerCase() === 'cache-control' ? [] : [name, value]));
  return (request, response, body) => {
    labelRoute(request, route);
    const headers = [
      ...securityHeaders,
      'Cache-Control',
      request.headers.authorization === undefined ? PUBLIC_CACHE_CONTROL : AUTHENTICATED_CACHE_CONTROL,
      'X-Correlation-Id',
      takeCorrelationId(request),
      'Content-Type',
      'application/json; charset=utf-8',
      'Content-Length',
      String(Buffer.byteLength(body, 'utf8')),
    ];
    const etag = etagOf?.(body);
    if (etag) headers.push('ETag', etag);
    response.writeHead(200, headers);
    response.end(body, 'utf8');
  };
}

/**
 * Puts the fast paths, in order, in front of whatever answers the server's
 * requests (Nest's Express application, attached when the app was created):
 * each hands on to the next, the last to Express.
 */
export function answerFirst(server: Server, ...fastPaths: FastPath[]): void {
  const listeners = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
  if (listeners.length !== 1) throw new Error(`expected the HTTP server to have one request listener (Express), found ${listeners.length}`);
  const [express] = listeners;
  server.removeListener('request', express);
  const lane = fastPaths.reduceRight<(request: IncomingMessage, response: ServerResponse) => void>(
    (next, fastPath) => (request, response) => fastPath(request, response, () => next(request, response)),
    (request, response) => express.call(server, request, response),
  );
  server.on('request', lane);
}
