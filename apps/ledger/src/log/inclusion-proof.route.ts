import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parsePosition } from '@ledger/read-models';
import { AUTHENTICATED_CACHE_CONTROL, PUBLIC_CACHE_CONTROL, securityHeadersForRawAnswers } from '../platform/http/security-headers';
import { takeCorrelationId } from '../platform/logging/correlation-id';
import type { Middleware } from '../platform/rate-limit/rate-limits';
import type { LogAnswers } from './log-answers';
import type { InclusionProofResponse } from './log.dto';
import { parseTreeSize } from './tree-size';

/** The route as the controller declares it (`v1/log` + `proofs/inclusion`), in the one spelling the fast path takes, with its query. */
const INCLUSION_PROOF_QUERY = '/v1/log/proofs/inclusion?';

export interface PlainInclusionQuery {
  readonly of: { position: bigint } | { leafIndex: number };
  readonly treeSize?: number;
}

/**
 * The query of `GET /v1/log/proofs/inclusion` when it is plainly valid:
 * the path exactly so, then only `position` or `leafIndex` (one of them) and
 * an optional `treeSize`, each once, each a value InclusionProofQuery's
 * validation accepts as it stands (decimal digits: nothing to decode).
 * Undefined for anything else, which Nest's router, validation pipe and
 * problem filter then answer as they always did: the fast path never
 * refuses a request, so every 400 is still theirs.
 */
export function plainInclusionQuery(url: string): PlainInclusionQuery | undefined {
  if (!url.startsWith(INCLUSION_PROOF_QUERY)) return undefined;
  let position: string | undefined;
  let leafIndex: string | undefined;
  let treeSize: string | undefined;
  for (const parameter of url.slice(INCLUSION_PROOF_QUERY.length).split('&')) {
    const equals = parameter.indexOf('=');
    if (equals < 0) return undefined;
    const value = parameter.slice(equals + 1);
    switch (parameter.slice(0, equals)) {
      case 'position':
        if (position !== undefined) return undefined;
        position = value;
        break;
      case 'leafIndex':
        if (leafIndex !== undefined) return undefined;
        leafIndex = value;
        break;
      case 'treeSize':
        if (treeSize !== undefined) return undefined;
        treeSize = value;
        break;
      default:
        return undefined;
    }
  }
  if ((position === undefined) === (leafIndex === undefined)) return undefined;
  const size = treeSize === undefined ? undefined : parseTreeSize(treeSize);
  if (size === null) return undefined;
  if (position !== undefined) {
    const parsed = parsePosition(position);
    return parsed === null ? undefined : { of: { position: parsed }, treeSize: size };
  }
  const index = parseTreeSize(leafIndex);
  return index === null ? undefined : { of: { leafIndex: index }, treeSize: size };
}

/** A body on a GET is for the JSON-only check and the body parser to judge (415, 400). */
function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** A conditional GET is Express's to answer (its freshness rules give the 304). */
function isConditional(request: IncomingMessage): boolean {
  return request.headers['if-none-match'] !== undefined || request.headers['if-modified-since'] !== undefined;
}

/** The verdict of the public rate limiter on a request the fast path already counted, for the Express chain to pass on. */
const COUNTED = Symbol('counted by the inclusion proof fast path');
interface Counted {
  [COUNTED]?: { readonly refusal: unknown };
}

/**
 * The public rate limiter as the Express chain runs it: a request the fast
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

/** The parts of Express's application the fast path uses: the same ETag and client address Express gives a request. */
export interface ExpressApplication {
  get(setting: string): unknown;
  readonly request: object;
}

export interface InclusionProofFastPathOptions {
  readonly answers: LogAnswers;
  /** The application Nest runs: its ETag function and its request's `ip` (trust proxy as configured). */
  readonly express: ExpressApplication;
  /** The public routes' limiter, exactly as mounted in the Express chain (which must mount it through countedOnce); none when the limit is off. */
  readonly limiter?: Middleware;
}

export type FastPath = (request: IncomingMessage, response: ServerResponse, onward: () => void) => void;

/**
 * `GET /v1/log/proofs/inclusion` answered from the proof cache ahead of
 * Express, for the plainly valid requests whose proof the cache holds;
 * `onward` (Express, then Nest) gets every other request, and every one
 * the cache cannot answer, untouched but for what the edge already did.
 *
 * Why ahead of Express: Express puts every request through its router and
 * swaps the prototypes of the request and the response, which alone halves
 * what Node's HTTP server answers per second here, and a proof from memory
 * costs less than that (measured with bench:verify's load: answered from an
 * Express middleware ahead of Nest's router, p99 stayed above 10 ms).
 *
 * So what the edge does to a request happens here too, to the same effect:
 * the public rate limiter counts it once (countedOnce passes its verdict on
 * if the request goes onward, so a 429 is still Nest's problem+json), and
 * the answer carries the security headers of the same helmet instance
 * (taken once), the correlation id, the Cache-Control the auth guard gives a
 * public route (no-cache asked without a token; with an Authorization header
 * it stays no-store), and the controller's body, sent as Express's res.json
 * sends it (a string, its Content-Type and Content-Length, Express's own
 * ETag function), all in one writeHead: setting a dozen headers one by one
 * cost a fifth of a proof's CPU time. Conditional requests go onward, where
 * Express's freshness rules answer them (304).
 *
 * It writes no log line: at the default level (info) pino-http's line per
 * request (serialised, CURP-scrubbed, written synchronously to stdout)
 * halved the proofs answered per second and doubled p99. Requests handed
 * onward, every refusal among them, are logged by Nest as before.
 */
export function inclusionProofFastPath(options: InclusionProofFastPathOptions): FastPath {
  const etagOf = options.express.get('etag fn') as ((body: string) => string | undefined) | undefined;
  // The client address Express gives its requests (request.ip, trust proxy honoured), which the limiter keys by.
  const expressRequest = Object.getPrototypeOf(options.express.request) as object;
  const ipOf = Object.getOwnPropertyDescriptor(expressRequest, 'ip')?.get;
  if (!ipOf) throw new Error("Express's request has no ip getter: the fast path cannot count requests as the rate limiter does");
  const limiterView = (request: IncomingMessage): IncomingMessage =>
    Object.create(request, {
      app: { value: options.express },
      ip: {
        get(this: IncomingMessage) {
          return ipOf.call(this);
        },
      },
    }) as IncomingMessage;

  // The security headers of every API answer, the same helmet's, once: the fast path writes them with the rest in one writeHead.
  const securityHeaders = Object.entries(securityHeadersForRawAnswers()).flatMap(([name, value]) => (name.toLowerCase() === 'cache-control' ? [] : [name, value]));

  return (request, response, onward) => {
    const url = request.url ?? '';
    if (request.method !== 'GET' || !url.startsWith(INCLUSION_PROOF_QUERY)) return onward();
    const query = plainInclusionQuery(url);
    if (!query || hasBody(request) || isConditional(request)) return onward();
    // Onward, Express's chain runs the security headers, the correlation id and (once: countedOnce) the limiter's verdict.
    const answer = () =>
      options.answers.cachedInclusionProof(query.of, query.treeSize).then(
        (proof) => (proof ? send(request, response, proof, securityHeaders, etagOf) : onward()),
        () => onward(),
      );
    const limiter = options.limiter;
    if (!limiter) return void answer();
    limiter(limiterView(request), response, (refusal) => {
      (request as IncomingMessage & Counted)[COUNTED] = { refusal };
      if (refusal !== undefined) return onward();
      void answer();
    });
  };
}

/**
 * The controller's answer, header for header: the security headers, the
 * Cache-Control the auth guard gives a public route (no-cache asked without
 * a token, no-store with one), the correlation id, and the body as
 * Express's res.json sends it (a string, its Content-Type, Content-Length
 * and Express's own ETag). All in one writeHead, then one write of head and
 * body together.
 */
function send(
  request: IncomingMessage,
  response: ServerResponse,
  proof: InclusionProofResponse,
  securityHeaders: readonly string[],
  etagOf: ((body: string) => string | undefined) | undefined,
): void {
  const body = JSON.stringify(proof);
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
}

/**
 * Puts the fast path in front of whatever answers the server's requests
 * (Nest's Express application, attached when the app was created).
 */
export function answerFirst(server: Server, fastPath: FastPath): void {
  const listeners = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
  if (listeners.length !== 1) throw new Error(`expected the HTTP server to have one request listener (Express), found ${listeners.length}`);
  const [express] = listeners;
  server.removeListener('request', express);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => fastPath(request, response, () => express.call(server, request, response)));
}
