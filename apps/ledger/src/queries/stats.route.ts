import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import type { Actor } from '@ledger/domain';
import { parseGroupBy, withReadPositionSink, type CertificateFilters, type CertificationStatsQueries, type StatsDimension } from '@ledger/read-models';
import { hasBody, isConditional, sendAsExpressWould, type ExpressApplication, type FastPath } from '../platform/http/fast-lane';
import { certificateFiltersOf, CertificationStatsQuery } from './dto/certificate-filters.query.dto';
import { LEDGER_POSITION_HEADER } from './ledger-position.interceptor';
import { certificateViewerOf } from './viewers';

/** The route as the controller declares it (`v1/stats` + `certifications`). */
const STATS_PATH = '/v1/stats/certifications';
/** The roles StatsHttpController's route allows (@QueryEndpoint('comptroller')). */
const STATS_ROLES: readonly string[] = ['comptroller'];
/** Query strings whose reading is kept: a dashboard asks the same few again and again. */
const KEPT_QUERIES = 1_000;
/** Longer query strings are Nest's to read (and, past the header limits, to refuse). */
const MAX_QUERY_LENGTH = 2_048;

/** A stats query as the controller reads it: the dimensions, and the filters. */
export interface PlainStatsQuery {
  readonly groupBy: readonly StatsDimension[];
  readonly filters: CertificateFilters;
}

/**
 * Reads the query string of `GET /v1/stats/certifications` exactly as the
 * controller gets it: parsed by Express's own query parser, validated and
 * transformed by the application's validation pipe against
 * CertificationStatsQuery, then parseGroupBy and certificateFiltersOf.
 * Undefined when any of them refuses it, or when it asks to wait
 * (`minPosition`): such requests are Nest's, which answers them as it
 * always did. Readings are pure functions of the query string, so the
 * last KEPT_QUERIES are kept.
 */
export class StatsQueryReader {
  private readonly kept = new Map<string, PlainStatsQuery | null>();

  constructor(
    private readonly parseQuery: (query: string) => unknown,
    private readonly validation: PipeTransform,
  ) {}

  async read(queryString: string): Promise<PlainStatsQuery | undefined> {
    const known = this.kept.get(queryString);
    if (known !== undefined) return known ?? undefined;
    const reading = await this.readAnew(queryString);
    if (this.kept.size >= KEPT_QUERIES) this.kept.delete(this.kept.keys().next().value as string);
    this.kept.set(queryString, reading);
    return reading ?? undefined;
  }

  private async readAnew(queryString: string): Promise<PlainStatsQuery | null> {
    try {
      const metadata: ArgumentMetadata = { type: 'query', metatype: CertificationStatsQuery, data: undefined };
      const query = (await this.validation.transform(this.parseQuery(queryString), metadata)) as CertificationStatsQuery;
      if (query.minPosition !== undefined) return null;
      return Object.freeze({ groupBy: Object.freeze(parseGroupBy(query.groupBy)), filters: Object.freeze(certificateFiltersOf(query)) });
    } catch {
      return null;
    }
  }
}

export interface StatsFastPathOptions {
  readonly stats: CertificationStatsQueries;
  /** The token check the auth guard makes (TokenVerifier.authenticate). */
  readonly authenticate: (header: string | undefined) => Promise<Actor>;
  readonly queries: StatsQueryReader;
  /** The application Nest runs: its ETag function. */
  readonly express: ExpressApplication;
}

/**
 * Certificate counts ahead of Express (the fast lane), for a comptroller
 * whose token the auth guard would accept, asking a query the controller
 * would read as it stands (StatsQueryReader): the same query service the
 * controller calls (CertificationStatsQueries.count, which keeps answers
 * while the certification projection cannot have moved), the same viewer
 * (a state comptroller sees its state), the answer sent as the controller's
 * is, with Ledger-Position. Everything else goes onward untouched, where
 * Nest answers it as before: no token or a bad one (401, counted against
 * the address by the guard), another role (403), a query to refuse (400)
 * or to wait for (minPosition), and any failure of the query service.
 *
 * Like the other fast paths it writes no request log line; metrics count it
 * by its route. Stats show no person, so no read is recorded in the access log.
 */
export function statsFastPath(options: StatsFastPathOptions): FastPath {
  const send = sendAsExpressWould(options.express, STATS_PATH);
  return (request, response, onward) => {
    const url = request.url ?? '';
    if (request.method !== 'GET' || !url.startsWith(STATS_PATH)) return onward();
    const rest = url.slice(STATS_PATH.length);
    if ((rest !== '' && !rest.startsWith('?')) || rest.length > MAX_QUERY_LENGTH) return onward();
    const authorization = request.headers.authorization;
    if (authorization === undefined || hasBody(request) || isConditional(request)) return onward();
    void answer(rest.slice(1), authorization).then(
      (answered) => answered ?? onward(),
      () => onward(),
    );

    async function answer(queryString: string, header: string): Promise<true | undefined> {
      const [query, actor] = await Promise.all([options.queries.read(queryString), options.authenticate(header)]);
      if (!query || !STATS_ROLES.includes(actor.role)) return undefined;
      let position: bigint | undefined;
      const sink = {
        record(at: bigint): void {
          if (position === undefined || at < position) position = at;
        },
      };
      const stats = await withReadPositionSink(sink, () => options.stats.count(query.groupBy, query.filters, certificateViewerOf(actor)));
      if (position === undefined) return undefined;
      send(request, response, JSON.stringify(stats), [LEDGER_POSITION_HEADER, position.toString()]);
      return true;
    }
  };
}
