import {
  parseGroupBy,
  type CertificateFilters,
  type CertificateQueries,
  type CertificateView,
  type CertificationStats,
  type CertificationStatsQueries,
  type Page,
  type StatsDimension,
} from '@ledger/read-models';
import type { AccessLog } from '../access-log/access-log.service';
import { certificateFiltersOf, CertificationStatsQuery, ListCertificatesQuery } from './dto/certificate-filters.query.dto';
import type { QueryRoute } from './query-fast-path';
import { certificateViewerOf } from './viewers';

/**
 * The authenticated query routes the fast lane answers, each exactly as its
 * controller does (the controller's method is the reference: a change there
 * is a change here, and the end-to-end suites compare the two answers).
 */

/** StatsHttpController.certifications. */
export function certificationStatsRoute(
  stats: CertificationStatsQueries,
): QueryRoute<{ groupBy: readonly StatsDimension[]; filters: CertificateFilters }, CertificationStats> {
  return {
    path: '/v1/stats/certifications',
    roles: ['comptroller'],
    dto: CertificationStatsQuery,
    read: (query: CertificationStatsQuery) => ({ groupBy: parseGroupBy(query.groupBy), filters: certificateFiltersOf(query) }),
    answer: (query, actor) => stats.count(query.groupBy, query.filters, certificateViewerOf(actor)),
  };
}

/** CertificatesHttpController.list, with its @RecordsAccess: every holder on the page. */
export function certificateListRoute(
  certificates: CertificateQueries,
  accessLog: AccessLog,
): QueryRoute<{ filters: CertificateFilters & { printedFolio?: string }; page: { limit?: number; cursor?: string } }, Page<CertificateView>> {
  return {
    path: '/v1/certificates',
    roles: ['comptroller', 'certifier'],
    dto: ListCertificatesQuery,
    read: (query: ListCertificatesQuery) => ({
      filters: { ...certificateFiltersOf(query), printedFolio: query.printedFolio },
      page: { limit: query.limit, cursor: query.cursor },
    }),
    answer: (query, actor) => certificates.list(query.filters, certificateViewerOf(actor), query.page),
    record: (page, actor, correlationId) => accessLog.record({ actor, route: '/v1/certificates', subjectIds: holdersOf(page), correlationId }),
  };
}

/**
 * The holders on a page, in order. A kept page (frozen, shown again and
 * again) gets one frozen list, so that the access log checks and encodes
 * it once rather than at every showing.
 */
function holdersOf(page: Page<CertificateView>): readonly string[] {
  const known = holdersOfPages.get(page);
  if (known) return known;
  const holders = page.items.map((certificate) => certificate.subjectId);
  if (!Object.isFrozen(page)) return holders;
  Object.freeze(holders);
  holdersOfPages.set(page, holders);
  return holders;
}

const holdersOfPages = new WeakMap<Page<CertificateView>, readonly string[]>();
