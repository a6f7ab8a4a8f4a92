import type { Actor } from '@ledger/domain';
import type { TransparencyReportFormat, TransparencyReportRequest } from '@ledger/read-models';
import { certificateFiltersOf, type TransparencyReportQuery } from './dto/certificate-filters.query.dto';
import { certificateViewerOf } from './viewers';

/**
 * GET /v1/reports/transparency as both lanes read and answer it (the
 * controller, and the fast lane for a report rendered whole): the same
 * request of the same query, the same headers.
 */

/** What the report query asks, without who asks. */
export interface TransparencyReportAsked {
  readonly request: Omit<TransparencyReportRequest, 'viewer'>;
  readonly format: TransparencyReportFormat;
}

export function transparencyReportAsked(query: TransparencyReportQuery): TransparencyReportAsked {
  return {
    request: {
      asOf: query.asOf ?? '',
      atPosition: query.atPosition === undefined ? undefined : BigInt(query.atPosition),
      filters: certificateFiltersOf(query),
    },
    format: query.format === 'csv' ? 'csv' : 'json',
  };
}

/** A scoped comptroller's report is the report of its state: the same bytes as everyone's report filtered by that state. */
export function transparencyReportRequest(asked: TransparencyReportAsked, actor: Actor): TransparencyReportRequest {
  return { ...asked.request, viewer: certificateViewerOf(actor) };
}

export const REPORT_CONTENT_TYPES: Readonly<Record<TransparencyReportFormat, string>> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** The report's own headers beside its Content-Type (name, value, …): what it describes, where it stands, a CSV's file name. */
export function transparencyReportHeaders(report: { readonly asOf: string; readonly position: string }, format: TransparencyReportFormat): string[] {
  const headers = ['X-Report-As-Of', report.asOf, 'X-Report-Position', report.position];
  if (format === 'csv') headers.push('Content-Disposition', `attachment; filename="transparency-${report.asOf.slice(0, 10)}-p${report.position}.csv"`);
  return headers;
}
