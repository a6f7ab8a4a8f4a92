import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { takeCorrelationId } from '../logging/correlation-id';
import { labelRoute } from '../metrics/route-label';
import type { Middleware } from '../rate-limit/rate-limits';
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

/**
 * Sends a body as the controller of a public route does through Express's
 * res.json, with the headers the route's interceptors set (name, value, …);
 * a text body of another type (a CSV) as res.send sends it, with its type.
 */
export type JsonSender = (request: IncomingMessage, response: ServerResponse, body: string | object, routeHeaders?: readonly string[], contentType?: string) => void;

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** A body as sent: its JSON text, byte length and ETag. */
interface SentBody {
  readonly text: string;
  readonly length: string;
  readonly etag: string | undefined;
}


/**
 * The answer of a public route's controller, header for header: the
 * security headers of the same helmet (taken once), the Cache-Control the
 * auth guard gives a public route (no-cache asked without a token, no-store
 * with one), the correlation id, and the body as Express's res.json sends it
 * (a string, its Content-Type and Content-Length, Express's own ETag
 * function; an object is the JSON of it, or its text as `textOf` gives it:
 * a frozen one's text, length and ETag are worked out once), status 200. All in one
 * writeHead, then one write of head and body together: setting a dozen
 * headers one by one cost a fifth of an inclusion proof's CPU time.
 */
export function sendAsExpressWould(express: ExpressApplication, route: string, textOf: (body: object) => string = JSON.stringify): JsonSender {
  const etagOf = express.get('etag fn') as ((body: string) => string | undefined) | undefined;
  // The fast path writes them with the rest in one writeHead.
  const securityHeaders = Object.entries(securityHeadersForRawAnswers()).flatMap(([name, value]) => (name.toLowerCase() === 'cache-control' ? [] : [name, value]));
  // Kept answers (frozen, shared by every request that gets them) are serialised once, with this application's ETag:
  // a page of fifty certificates is 35 KB of JSON to write and hash, and answering it again from memory should not cost that again.
  const sentBodies = new WeakMap<object, SentBody>();
  const bodyOf = (text: string): SentBody => ({ text, length: String(Buffer.byteLength(text, 'utf8')), etag: etagOf?.(text) });
  const sentBodyOf = (body: string | object): SentBody => {
    if (typeof body === 'string') return bodyOf(body);
    const known = sentBodies.get(body);
    if (known) return known;
    const sent = bodyOf(textOf(body));
    if (Object.isFrozen(body)) sentBodies.set(body, sent);
    return sent;
  };
  return (request, response, body, routeHeaders = [], contentType = JSON_CONTENT_TYPE) => {
    labelRoute(request, route);
    const sent = sentBodyOf(body);
    const headers = [
      ...securityHeaders,
      ...routeHeaders,
      'Cache-Control',
      request.headers.authorization === undefined ? PUBLIC_CACHE_CONTROL : AUTHENTICATED_CACHE_CONTROL,
      'X-Correlation-Id',
      takeCorrelationId(request),
      'Content-Type',
      contentType,
      'Content-Length',
      sent.length,
    ];
    if (sent.etag) headers.push('ETag', sent.etag);
    response.writeHead(200, headers);
    response.end(sent.text, 'utf8');
  };
}

/** The verdict of the public rate limiter on a request a fast path already counted. */
const COUNTED = Symbol('counted by a fast path');
interface Counted {
  [COUNTED]?: { readonly refusal: unknown };
}

/**
 * The public rate limiter as the Express chain runs it: a request a fast
 * path counted already (then handed on, as it could not answer it) is not
 * counted again; its verdict, a refusal included, is passed on.
 */
export function countedOnce(limiter: Middleware): Middleware {
  return (request, response, next) => {
    const counted = (request as IncomingMessage & Counted)[COUNTED];
    if (counted) return next(counted.refusal);
    limiter(request, response, next);
  };
}

/**
 * The public routes' limiter as a fast path runs it, counting a request
 * exactly as the Express chain would (its client address is Express's
 * `request.ip`, trust proxy honoured): `answer` when the request is within
 * its budget, `onward` when it is not, where countedOnce passes the refusal
 * on, so that a 429 is still Nest's problem+json. No limiter (the limit is
 * off): `answer` at once.
 */
export function countedAhead(
  express: ExpressApplication,
  limiter: Middleware | undefined,
): (request: IncomingMessage, response: ServerResponse, onward: () => void, answer: () => void) => void {
  if (!limiter) return (_request, _response, _onward, answer) => answer();
  const expressRequest = Object.getPrototypeOf(express.request) as object;
  const ipOf = Object.getOwnPropertyDescriptor(expressRequest, 'ip')?.get;
  if (!ipOf) throw new Error("Express's request has no ip getter: a fast path cannot count requests as the rate limiter does");
  const limiterView = (request: IncomingMessage): IncomingMessage =>
    Object.create(request, {
      app: { value: express },
      ip: {
        get(this: IncomingMessage) {
          return ipOf.call(this);
        },
      },
    }) as IncomingMessage;
  return (request, response, onward, answer) =>
    limiter(limiterView(request), response, (refusal) => {
      (request as IncomingMessage & Counted)[COUNTED] = { refusal };
      if (refusal !== undefined) return onward();
      answer();
    });
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
