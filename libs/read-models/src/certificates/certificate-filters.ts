import { isIsoDate, tryNormaliseInstant } from '@ledger/domain';
import { invalidField } from '../query-error';
import type { SqlConditions } from '../sql-builder';

export type CertificateStatus = 'valid' | 'revoked' | 'expired';
export const CERTIFICATE_STATUSES: readonly CertificateStatus[] = ['valid', 'revoked', 'expired'];

/** The filters API.md lists for certificates; statistics and transparency reports take the same. */
export interface CertificateFilters {
  readonly standard?: string;
  readonly state?: string;
  readonly municipality?: string;
  readonly agency?: string;
  readonly providerId?: string;
  readonly evaluatorId?: string;
  readonly employment?: string;
  readonly status?: CertificateStatus;
  /** Inclusive; a date `YYYY-MM-DD` or an ISO 8601 instant. */
  readonly issuedFrom?: string;
  /** Inclusive; a date means the whole day. */
  readonly issuedTo?: string;
}

/** Who asks: a certifier sees its own provider's certificates only; a comptroller scoped to a state (its jurisdiction), that state's only. */
export interface CertificateViewer {
  readonly ownProviderId?: string;
  readonly state?: string;
}

/**
 * Column names shared by `certificates` and `certification_counts`, so one
 * function filters both; statuses differ (a revocation date there, a flag
 * here) and come as SQL from the caller.
 */
export interface StatusSql {
  readonly revoked: string;
  readonly expired: string;
  readonly valid: string;
}

export function addCertificateFilters(
  where: SqlConditions,
  alias: string,
  filters: CertificateFilters,
  viewer: CertificateViewer,
  status: StatusSql,
): SqlConditions {
  where
    .whereIf(filters.standard, `${alias}.standard_code = ?`)
    .whereIf(filters.state, `${alias}.state = ?`)
    .whereIf(filters.municipality, `${alias}.municipality = ?`)
    .whereIf(filters.agency, `${alias}.agency = ?`)
    .whereIf(filters.providerId, `${alias}.provider_id = ?`)
    .whereIf(viewer.ownProviderId, `${alias}.provider_id = ?`)
    .whereIf(viewer.state, `${alias}.state = ?`)
    .whereIf(filters.evaluatorId, `${alias}.evaluator_id = ?`)
    .whereIf(filters.employment, `${alias}.employment = ?`);
  const { from, toExclusive } = issuedBounds(filters);
  where.whereIf(from, `${alias}.issued_at >= ?::timestamptz`).whereIf(toExclusive, `${alias}.issued_at < ?::timestamptz`);
  if (filters.status) where.where(status[filters.status]);
  return where;
}

/** `issuedTo` as a date covers that whole day: the bound is the next midnight, exclusive. */
export function issuedBounds(filters: Pick<CertificateFilters, 'issuedFrom' | 'issuedTo'>): { from?: string; toExclusive?: string } {
  const from = filters.issuedFrom === undefined ? undefined : instantOf(filters.issuedFrom, 'issuedFrom');
  if (filters.issuedTo === undefined) return { from };
  const to = instantOf(filters.issuedTo, 'issuedTo');
  const toExclusive = isIsoDate(filters.issuedTo)
    ? new Date(Date.parse(to) + 86_400_000).toISOString()
    : new Date(Date.parse(to) + 1).toISOString();
  return { from, toExclusive };
}

export function instantOf(value: string, field: string): string {
  const instant = tryNormaliseInstant(value);
  if (instant === null) throw invalidField(field, `${field} must be a date YYYY-MM-DD or an ISO 8601 instant`);
  return instant;
}
