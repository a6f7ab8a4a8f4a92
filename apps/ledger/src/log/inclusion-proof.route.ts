import { parsePosition } from '@ledger/read-models';
import { countedAhead, hasBody, isConditional, sendAsExpressWould, type ExpressApplication, type FastPath } from '../platform/http/fast-lane';
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

export interface InclusionProofFastPathOptions {
  readonly answers: LogAnswers;
  /** The application Nest runs: its ETag function and its request's `ip` (trust proxy as configured). */
  readonly express: ExpressApplication;
  /** The public routes' limiter, exactly as mounted in the Express chain (which must mount it through countedOnce); none when the limit is off. */
  readonly limiter?: Middleware;
}

/**
 * `GET /v1/log/proofs/inclusion` answered from the proof cache ahead of
 * Express, for the plainly valid requests whose proof the cache holds;
 * `onward` (Express, then Nest) gets every other request, and every one
 * the cache cannot answer, untouched but for what the edge already did.
 *
 * Ahead of Express for the reason fast-lane.ts gives (measured with
 * bench:verify's load: answered from an Express middleware ahead of Nest's
 * router, p99 stayed above 10 ms). What the edge does to a request happens
 * here too, to the same effect: the public rate limiter counts it once
 * (countedOnce passes its verdict on if the request goes onward, so a 429
 * is still Nest's problem+json), and the answer is the controller's, sent
 * as sendAsExpressWould sends it. Conditional requests go onward, where
 * Express's freshness rules answer them (304).
 *
 * It writes no log line: at the default level (info) pino-http's line per
 * request (serialised, CURP-scrubbed, written synchronously to stdout)
 * halved the proofs answered per second and doubled p99. Requests handed
 * onward, every refusal among them, are logged by Nest as before.
 */
export function inclusionProofFastPath(options: InclusionProofFastPathOptions): FastPath {
  const send = sendAsExpressWould(options.express, '/v1/log/proofs/inclusion');
  const counted = countedAhead(options.express, options.limiter);
  return (request, response, onward) => {
    const url = request.url ?? '';
    if (request.method !== 'GET' || !url.startsWith(INCLUSION_PROOF_QUERY)) return onward();
    const query = plainInclusionQuery(url);
    if (!query || hasBody(request) || isConditional(request)) return onward();
    // Onward, Express's chain runs the security headers, the correlation id and (once: countedOnce) the limiter's verdict.
    counted(request, response, onward, () =>
      void options.answers.cachedInclusionProof(query.of, query.treeSize).then(
        (proof) => (proof ? send(request, response, JSON.stringify(proof)) : onward()),
        () => onward(),
      ),
    );
  };
}
