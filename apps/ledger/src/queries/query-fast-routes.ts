import {
  parseGroupBy,
  type KeptTransparencyReports,
  type RenderedTransparencyReport,
  type TransparencyReportAnswer,
  type CertificateFilters,
  type CertificateQueries,
  type CertificateView,
  type CertificationStats,
  type CertificationStatsQueries,
  type Page,
  type StatsDimension,
} from '@ledger/read-models';
import type { AccessLog } from '../access-log/access-log.service';
import { certificateFiltersOf, CertificationStatsQuery, ListCertificatesQuery, TransparencyReportQuery } from './dto/certificate-filters.query.dto';
import type { QueryRoute } from './query-fast-path';
import {
  REPORT_CONTENT_TYPES,
  transparencyReportAsked,
  transparencyReportHeaders,
  transparencyReportRequest,
  type TransparencyReportAsked,
} from './transparency-report-answer';
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
 * ReportsHttpController.transparency, for a report rendered whole (kept or
 * read now), with its reads recorded as the controller records them: every
 * holder it shows. A report to stream (5,000 certificates or more; its
 * first chunk, read here, is read again there) is the controller's, and so is a
 * report at a position (`atPosition`): never kept, and one the read side
 * has not reached yet is waited for, which only the controller should do.
 */
export function transparencyReportRoute(
  reports: KeptTransparencyReports,
  accessLog: AccessLog,
): QueryRoute<TransparencyReportAsked, { asked: TransparencyReportAsked; answer: TransparencyReportAnswer }> {
  return {
    path: '/v1/reports/transparency',
    roles: ['comptroller'],
    dto: TransparencyReportQuery,
    read: (query: TransparencyReportQuery) => transparencyReportAsked(query),
    inLane: (asked) => asked.request.atPosition === undefined,
    answer: async (asked, actor) => ({ asked, answer: await reports.answer(transparencyReportRequest(asked, actor), asked.format) }),
    sent: ({ asked, answer }) =>
      'rendered' in answer
        ? { body: answer.rendered, headers: transparencyReportHeaders(answer.rendered, asked.format), contentType: REPORT_CONTENT_TYPES[asked.format] }
        : undefined,
    // A report's text is its rendering; a kept report is the same frozen object each time, so its ETag is computed once.
    textOf: (rendered) => (rendered as RenderedTransparencyReport).body,
    record: ({ answer }, actor, correlationId) => {
      if ('rendered' in answer) accessLog.record({ actor, route: '/v1/reports/transparency', subjectIds: answer.rendered.holders, correlationId });
    },
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
