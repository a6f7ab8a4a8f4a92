import { isIsoDate } from '@ledger/domain';
import type { DataSource } from 'typeorm';
import { addCertificateFilters, instantOf, type CertificateFilters, type CertificateStatus, type CertificateViewer, type StatusSql } from '../certificates/certificate-filters';
import { holderNameJoin } from '../certificates/certificate-queries';
import { reachedPosition } from '../projection-positions';
import { awaitFirstRead, queryPrepared, recordReadPosition } from '../read-position';
import { invalidField } from '../query-error';
import { SqlConditions } from '../sql-builder';
import { CERTIFICATE_COLUMNS, type CertificateRowOf } from '../tables/certificates.columns';
import { selectColumns } from '../tables/table-columns';

/** The projections a report reads: certificates, and names as the ledger knew them. */
export const REPORT_PROJECTIONS = ['certification', 'people'] as const;
/** Certificates read, recorded and sent at a time. */
const CHUNK = 5_000;

export interface TransparencyReportRequest {
  /** Business date (`YYYY-MM-DD`, the whole day) or instant the report describes. */
  readonly asOf: string;
  /** Knowledge time: only events at or before this position count. Default: as far as the read models have got. */
  readonly atPosition?: bigint;
  readonly filters: CertificateFilters;
  /** Who asks (a scoped comptroller's report holds its state's certificates only); default everything. */
  readonly viewer?: CertificateViewer;
}

export interface TransparencyReportRow {
  folio: string;
  holderName: string | null;
  standardCode: string;
  providerId: string;
  agency: string | null;
  jurisdiction: { state: string | null; municipality: string | null };
  employment: string | null;
  issuedAt: string;
  validUntil: string;
  status: CertificateStatus;
}

/** Certificates of a report, in its order, with their holders (what the access log records; never rendered). */
export interface TransparencyReportChunk {
  readonly rows: readonly TransparencyReportRow[];
  /** The holder of each row, in the same order. */
  readonly holders: readonly string[];
}

export interface TransparencyReport {
  readonly asOf: string;
  readonly position: string;
  readonly totals: Readonly<Record<CertificateStatus, number>>;
  /** The certificates ordered by folio, in chunks, so a report of any size streams in bounded memory. */
  chunks(): AsyncIterable<TransparencyReportChunk>;
  /** Whether the report is less than a chunk, and so read whole by now. */
  readonly whole: boolean;
}

/**
 * Transparency reports, bitemporal: certificates as they stood on business
 * date `asOf` (issued, revoked, expired on or before it) as the ledger knew
 * them at `atPosition` (facts recorded later are ignored, names included).
 * Everything a report reads at or before its position never changes
 * afterwards, in this generation or a rebuilt one, so the same request gives
 * the same bytes whenever it is made.
 *
 * A report of less than a chunk (5,000 certificates: the pages a dashboard
 * asks for) takes one statement besides the read side's position: its
 * totals are counted from its rows, and the rows carry their holders.
 */
export class TransparencyReports {
  constructor(
    private readonly dataSource: DataSource,
    /** Waits until the read models reach a position, or throws the lag error. */
    private readonly waitForPosition: (position: bigint) => Promise<unknown>,
    /** Certificates a chunk holds (smaller in tests, to read a report of a few in several). */
    private readonly chunkSize = CHUNK,
  ) {}

  async prepare(request: TransparencyReportRequest): Promise<TransparencyReport> {
    return this.checked(request)();
  }

  /**
   * The report's reading, its parameters checked now (throws what it
   * refuses): so that a malformed request is refused at once, before
   * anything is read or waited for (minPosition), whoever reads it later.
   */
  checked(request: TransparencyReportRequest): () => Promise<TransparencyReport> {
    const asOf = canonicalAsOf(request.asOf);
    const queryAt = reportQueryOf(request.filters, request.viewer ?? {}, cutoffOf(asOf));
    return () => this.read(request, asOf, queryAt);
  }

  private async read(request: TransparencyReportRequest, asOf: string, queryAt: (position: bigint) => { sql: string; values: unknown[] }): Promise<TransparencyReport> {
    await awaitFirstRead();
    const reached = await reachedPosition(this.dataSource, REPORT_PROJECTIONS);
    const position = request.atPosition ?? reached;
    if (position > reached) await this.waitForPosition(position);
    // Whatever the read models reach later, the report stands at its position.
    recordReadPosition(position);
    const query = queryAt(position);
    const { dataSource, chunkSize } = this;
    // Prepared: a report's text depends only on which filters it has, and a dashboard asks the same few shapes again and again.
    const chunkAfter = async (after: string): Promise<ReportRowSql[]> =>
      queryPrepared<ReportRowSql>(dataSource, `SELECT * FROM (${query.sql}) r WHERE r.folio > $${query.values.length + 1} ORDER BY r.folio LIMIT ${chunkSize}`, [
        ...query.values,
        after,
      ]);
    const first = await chunkAfter('');
    const whole = first.length < chunkSize;
    return {
      asOf,
      position: position.toString(),
      totals: whole ? totalsOf(first) : await this.totals(query),
      whole,
      async *chunks() {
        for (let rows = first; ; rows = await chunkAfter(rows[rows.length - 1].folio)) {
          if (rows.length > 0) yield { rows: rows.map(rowOf), holders: rows.map((row) => row.subject_id) };
          if (rows.length < chunkSize) return;
        }
      },
    };
  }

  private async totals(query: { sql: string; values: unknown[] }): Promise<Record<CertificateStatus, number>> {
    const [totals]: Record<CertificateStatus, string>[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'valid')::text AS valid,
              count(*) FILTER (WHERE status = 'revoked')::text AS revoked,
              count(*) FILTER (WHERE status = 'expired')::text AS expired
         FROM (${query.sql}) r`,
      query.values,
    );
    return { valid: Number(totals.valid), revoked: Number(totals.revoked), expired: Number(totals.expired) };
  }
}

function totalsOf(rows: readonly ReportRowSql[]): Record<CertificateStatus, number> {
  const totals: Record<CertificateStatus, number> = { valid: 0, revoked: 0, expired: 0 };
  for (const row of rows) totals[row.status] += 1;
  return totals;
}

/** The certificate columns a report reads, selected from CERTIFICATE_COLUMNS: what a row shows, and its holder. */
const REPORTED = ['folio', 'subject_id', 'standard_code', 'provider_id', 'agency', 'state', 'municipality', 'employment', 'issued_at', 'valid_until'] as const satisfies readonly (keyof typeof CERTIFICATE_COLUMNS)[];

type ReportRowSql = CertificateRowOf<(typeof REPORTED)[number]> & { subject_id: string; holder_name: string | null; status: CertificateStatus };

/** The report's query for the filters (checked now), as a function of the position it is read at (its first parameter). */
function reportQueryOf(filters: CertificateFilters, viewer: CertificateViewer, cutoff: string): (position: bigint) => { sql: string; values: unknown[] } {
  const { sql, values } = reportQuery(filters, viewer, cutoff);
  return (position) => ({ sql, values: [position.toString(), ...values.slice(1)] });
}

function reportQuery(filters: CertificateFilters, viewer: CertificateViewer, cutoff: string): { sql: string; values: unknown[] } {
  const where = new SqlConditions();
  const at = where.parameters.add('-1');
  const before = where.parameters.add(cutoff);
  const revoked = `COALESCE(c.revoked_position <= ${at}::bigint AND c.revoked_at < ${before}::timestamptz, false)`;
  const status: StatusSql = {
    revoked,
    expired: `(NOT ${revoked} AND c.valid_until < ${before}::timestamptz)`,
    valid: `(NOT ${revoked} AND c.valid_until >= ${before}::timestamptz)`,
  };
  where.where(`c.issued_position <= ${at}::bigint`).where(`c.issued_at < ${before}::timestamptz`);
  addCertificateFilters(where, 'c', filters, viewer, status);
  const sql = `SELECT ${selectColumns(CERTIFICATE_COLUMNS, 'c', REPORTED)}, n.full_name AS holder_name,
      CASE WHEN ${status.revoked} THEN 'revoked' WHEN ${status.expired} THEN 'expired' ELSE 'valid' END AS status
    FROM read_models.certificates c ${holderNameJoin('c', `${at}::bigint`)}
    WHERE ${where.sql}`;
  return { sql, values: where.parameters.values };
}

function rowOf(row: ReportRowSql): TransparencyReportRow {
  return {
    folio: row.folio,
    holderName: row.holder_name,
    standardCode: row.standard_code,
    providerId: row.provider_id,
    agency: row.agency,
    jurisdiction: { state: row.state, municipality: row.municipality },
    employment: row.employment,
    issuedAt: row.issued_at,
    validUntil: row.valid_until,
    status: row.status,
  };
}

/** A date stays a date; an instant is written canonically, so equal requests echo equal text. */
function canonicalAsOf(asOf: string | undefined): string {
  if (asOf === undefined || asOf === '') throw invalidField('asOf', 'asOf (the business date the report describes) is required');
  return isIsoDate(asOf) ? asOf : instantOf(asOf, 'asOf');
}

/** The first instant after the business time described: the end of the day for a date. */
function cutoffOf(asOf: string): string {
  const start = Date.parse(isIsoDate(asOf) ? `${asOf}T00:00:00.000Z` : asOf);
  return new Date(start + (isIsoDate(asOf) ? 86_400_000 : 1)).toISOString();
}
