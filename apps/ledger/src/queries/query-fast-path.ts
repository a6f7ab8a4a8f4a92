import type { ArgumentMetadata, PipeTransform, Type } from '@nestjs/common';
import type { Actor, Role } from '@ledger/domain';
import { deepFreeze, readWithPosition } from '@ledger/read-models';
import { takeCorrelationId } from '../platform/logging/correlation-id';
import { hasBody, isConditional, sendAsExpressWould, type ExpressApplication, type FastPath } from '../platform/http/fast-lane';
import { LEDGER_POSITION_HEADER } from './ledger-position.interceptor';

/**
 * Query strings whose reading a route keeps: dashboards ask the same few
 * again and again, and report pages (a day of an agency in a state) are a
 * few thousand; up to 2 KB each.
 */
const KEPT_QUERIES = 4_096;
/** Longer query strings are Nest's to read (and, past the header limits, to refuse). */
const MAX_QUERY_LENGTH = 2_048;

/**
 * An authenticated query route as its controller answers it, for the fast
 * lane: where it is, who may ask, how its validated query becomes what the
 * query service takes, the service call, and, for a route that shows
 * personal data, the read the access log records.
 */
export interface QueryRoute<Q, A> {
  /** The path exactly, as the controller declares it (`/v1/stats/certifications`). */
  readonly path: string;
  /** The route's roles (its @QueryEndpoint). */
  readonly roles: readonly Role[];
  /** The query's DTO, as the controller's @QueryParameters() validates it. */
  readonly dto: Type<{ minPosition?: string }>;
  /** What the controller makes of the validated query; throws what it refuses. */
  readonly read: (query: never) => Q;
  /** Whether the fast lane answers a query at all (default: every one); the others go onward, to the controller. */
  readonly inLane?: (query: Q) => boolean;
  /** The controller's call of its query service. */
  readonly answer: (query: Q, actor: Actor) => Promise<A>;
  /** Records the read as the route's @RecordsAccess does; throws when it cannot (the access log's 503). */
  readonly record?: (answer: A, actor: Actor, correlationId: string) => void;
  /**
   * What is sent for an answer, when it is not the JSON of the answer
   * itself: a body (text or an object to send as JSON), the route's own
   * headers (name, value, …), its Content-Type; undefined for an answer the
   * controller must give (then nothing is recorded here, and the request
   * goes onward).
   */
  readonly sent?: (answer: A) => { readonly body: string | object; readonly headers: readonly string[]; readonly contentType: string } | undefined;
  /** The text of a body object `sent` gives, when it is not the object's JSON (a kept report: its rendered text, whose length and ETag are then worked out once). */
  readonly textOf?: (body: object) => string;
}

/**
 * Reads a route's query string exactly as its controller gets it: parsed by
 * Express's own query parser, validated and transformed by the
 * application's validation pipe against the route's DTO, then read by the
 * route. Undefined when any of them refuses it, or when it asks to wait
 * (`minPosition`): such requests are Nest's, which answers them as it
 * always did. A reading is a pure function of the query string, so the last
 * KEPT_QUERIES are kept, frozen.
 */
export class QueryStringReader<Q> {
  private readonly kept = new Map<string, Q | null>();

  constructor(
    private readonly parseQuery: (query: string) => unknown,
    private readonly validation: PipeTransform,
    private readonly dto: Type<{ minPosition?: string }>,
    private readonly readQuery: (query: never) => Q,
  ) {}

  async read(queryString: string): Promise<Q | undefined> {
    const known = this.kept.get(queryString);
    if (known !== undefined) return known ?? undefined;
    const reading = await this.readAnew(queryString);
    if (this.kept.size >= KEPT_QUERIES) this.kept.delete(this.kept.keys().next().value as string);
    this.kept.set(queryString, reading);
    return reading ?? undefined;
  }

  private async readAnew(queryString: string): Promise<Q | null> {
    try {
      const metadata: ArgumentMetadata = { type: 'query', metatype: this.dto, data: undefined };
      const query = (await this.validation.transform(this.parseQuery(queryString), metadata)) as { minPosition?: string };
      if (query.minPosition !== undefined) return null;
      return deepFreeze(this.readQuery(query as never));
    } catch {
      return null;
    }
  }
}

export interface QueryFastPathOptions {
  /** The token check the auth guard makes (TokenVerifier.authenticate). */
  readonly authenticate: (header: string | undefined) => Promise<Actor>;
  /** Express's query parser (`query parser fn`) and the application's validation pipe: what Nest reads queries with. */
  readonly parseQuery: (query: string) => unknown;
  readonly validation: PipeTransform;
  /** The application Nest runs: its ETag function. */
  readonly express: ExpressApplication;
}

/**
 * An authenticated query route answered ahead of Express (the fast lane),
 * for a caller whose token the auth guard would accept, in one of the
 * route's roles, asking a query the controller would read as it stands
 * (QueryStringReader): the same query service, called as the controller
 * calls it, its read recorded in the access log as @RecordsAccess records
 * it (before the answer is sent), the answer sent as the controller's is,
 * with Ledger-Position as LedgerPositionInterceptor sets it. Everything else
 * goes onward untouched, where Nest answers it as before: no token or a bad
 * one (401, counted against the address by the guard), another role (403),
 * a query to refuse (400) or to wait for (minPosition), a read the access
 * log cannot take (503), and any failure of the query service.
 *
 * Like the other fast paths it writes no request log line; metrics count it
 * by its route.
 */
export function queryFastPath<Q, A>(route: QueryRoute<Q, A>, options: QueryFastPathOptions): FastPath {
  const send = sendAsExpressWould(options.express, route.path, route.textOf);
  const queries = new QueryStringReader<Q>(options.parseQuery, options.validation, route.dto, route.read);
  return (request, response, onward) => {
    const url = request.url ?? '';
    if (request.method !== 'GET' || !url.startsWith(route.path)) return onward();
    const rest = url.slice(route.path.length);
    if ((rest !== '' && !rest.startsWith('?')) || rest.length > MAX_QUERY_LENGTH) return onward();
    const authorization = request.headers.authorization;
    if (authorization === undefined || hasBody(request) || isConditional(request)) return onward();
    void answer(rest.slice(1), authorization).then(
      (answered) => answered ?? onward(),
      () => onward(),
    );

    async function answer(queryString: string, header: string): Promise<true | undefined> {
      const [query, actor] = await Promise.all([queries.read(queryString), options.authenticate(header)]);
      if (query === undefined || !route.roles.includes(actor.role) || (route.inLane && !route.inLane(query))) return undefined;
      const { answer: answered, position } = await readWithPosition(() => route.answer(query, actor));
      if (position === undefined) return undefined;
      const sent = route.sent ? route.sent(answered) : { body: answered as object, headers: [], contentType: undefined };
      if (!sent) return undefined;
      route.record?.(answered, actor, takeCorrelationId(request));
      send(request, response, sent.body, [...sent.headers, LEDGER_POSITION_HEADER, position.toString()], sent.contentType);
      return true;
    }
  };
}
