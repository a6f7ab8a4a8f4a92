/**
 * A small client of the ledger written against nothing but the types
 * openapi-typescript generates from `/docs-json` (module `ledger-api`), as a
 * comptroller's script or another agency's system would be. The contract
 * suite type-checks it, strictly, against the live document: if a route the
 * client uses loses its response schema, or a field it reads changes shape,
 * this file stops compiling.
 */
import type { paths } from 'ledger-api';

type CertificateRoute = paths['/v1/certificates/{folio}']['get'];
type StatsRoute = paths['/v1/stats/certifications']['get'];
type ReportRoute = paths['/v1/reports/transparency']['get'];

export type Certificate = CertificateRoute['responses'][200]['content']['application/json'];
export type CertificationStats = StatsRoute['responses'][200]['content']['application/json'];
export type TransparencyReport = ReportRoute['responses'][200]['content']['application/json'];
export type TransparencyCsv = ReportRoute['responses'][200]['content']['text/csv'];
export type Problem = CertificateRoute['responses'][404]['content']['application/problem+json'];
type ReportRow = TransparencyReport['certificates'][number];
type StatsGroup = CertificationStats['groups'][number];

type Folio = CertificateRoute['parameters']['path']['folio'];
type StatsQuery = NonNullable<StatsRoute['parameters']['query']>;
type ReportQuery = NonNullable<ReportRoute['parameters']['query']>;

/** A problem+json answer, kept whole so the caller can switch on its code. */
export class LedgerProblem extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
  }
}

export class LedgerClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  certificate(folio: Folio): Promise<Certificate> {
    return this.json(`/v1/certificates/${encodeURIComponent(folio)}`);
  }

  stats(query: StatsQuery): Promise<CertificationStats> {
    return this.json(`/v1/stats/certifications?${queryString(query)}`);
  }

  transparencyReport(query: ReportQuery & { format?: 'json' }): Promise<TransparencyReport> {
    return this.json(`/v1/reports/transparency?${queryString(query)}`);
  }

  async transparencyCsv(query: Omit<ReportQuery, 'format'>): Promise<TransparencyCsv> {
    const response = await this.send(`/v1/reports/transparency?${queryString({ ...query, format: 'csv' })}`);
    return response.text();
  }

  private async json<T>(path: string): Promise<T> {
    return (await (await this.send(path)).json()) as T;
  }

  private async send(path: string): Promise<Response> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { Authorization: `Bearer ${this.token}` } });
    if (!response.ok) throw new LedgerProblem((await response.json()) as Problem);
    return response;
  }
}

function queryString(query: Record<string, string | undefined>): string {
  const defined = Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return new URLSearchParams(defined).toString();
}

/** A certificate, how many there are like it, and how it stood in the transparency report of its day. */
export interface CertificateSummary {
  folio: string;
  status: 'valid' | 'revoked' | 'expired';
  place: string;
  revocation: string | null;
  sameStandard: number;
  byState: string[];
  reportedAs: 'valid' | 'revoked' | 'expired' | 'absent';
  reportedTotal: number;
  csvLines: number;
}

export async function summarise(client: LedgerClient, folio: string): Promise<CertificateSummary> {
  const certificate = await client.certificate(folio);
  const stats = await client.stats({ groupBy: 'state', standard: certificate.standardCode, minPosition: certificate.position });
  const asOf = certificate.issuedAt.slice(0, 10);
  const report = await client.transparencyReport({ asOf, atPosition: stats.position });
  const row = report.certificates.find((entry: ReportRow) => entry.folio === certificate.folio);
  const csv = await client.transparencyCsv({ asOf, atPosition: report.position });
  return {
    folio: certificate.folio,
    status: certificate.status,
    place: [certificate.jurisdiction.state, certificate.jurisdiction.municipality].filter((part): part is string => part !== null).join(', '),
    revocation: certificate.revokedAt === undefined ? null : `${certificate.revokedAt}: ${certificate.revocationReason ?? ''}`,
    sameStandard: stats.groups.reduce((sum: number, group: StatsGroup) => sum + group.count, 0),
    byState: stats.groups.map((group: StatsGroup) => `${group.key.state ?? 'unknown'}: ${group.count}`),
    reportedAs: row?.status ?? 'absent',
    reportedTotal: report.totals.valid + report.totals.revoked + report.totals.expired,
    csvLines: csv.trimEnd().split('\n').length,
  };
}
