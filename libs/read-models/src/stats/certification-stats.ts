import type { DataSource } from 'typeorm';
import { addCertificateFilters, type CertificateFilters, type CertificateViewer, type StatusSql } from '../certificates/certificate-filters';
import { AnswerCache, type ReadModelChanges } from '../answer-cache';
import { inOneStatementAt } from '../read-position';
import { invalidField } from '../query-error';
import { SqlConditions, SqlParameters } from '../sql-builder';

export const STATS_DIMENSIONS = ['state', 'municipality', 'agency', 'standard', 'provider', 'employment', 'month'] as const;
export type StatsDimension = (typeof STATS_DIMENSIONS)[number];

export interface CertificationStats {
  groups: { key: Partial<Record<StatsDimension, string | null>>; count: number }[];
  /** The position the counts were computed at. */
  position: string;
}

/** How each dimension reads from `certification_counts` ('' stands for a missing municipality in its key). */
const DIMENSION_SQL: Readonly<Record<StatsDimension, string>> = {
  state: `k.state`,
  municipality: `NULLIF(k.municipality, '')`,
  agency: `k.agency`,
  standard: `k.standard_code`,
  provider: `k.provider_id`,
  employment: `k.employment`,
  month: `to_char(k.issued_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
};

export function parseGroupBy(groupBy: string | undefined): StatsDimension[] {
  if (groupBy === undefined || groupBy.trim() === '') return [];
  const dimensions = groupBy.split(',').map((name) => name.trim());
  for (const name of dimensions) {
    if (!(STATS_DIMENSIONS as readonly string[]).includes(name)) {
      throw invalidField('groupBy', `groupBy takes a comma-separated list of ${STATS_DIMENSIONS.join(', ')}`);
    }
  }
  if (new Set(dimensions).size !== dimensions.length) throw invalidField('groupBy', 'groupBy names a dimension twice');
  return dimensions as StatsDimension[];
}

/**
 * Answers of more groups than this are not kept: grouped by municipality,
 * agency and month, an answer can hold a group per certificate, and 512 of
 * those would be gigabytes. A dashboard's groups are far fewer.
 */
const MAX_KEPT_GROUPS = 1_000;

/**
 * Certificate counts for dashboards, summed from the counts the certification
 * projection keeps, and the position they stand at, both read in one snapshot.
 */
export class CertificationStatsQueries {
  private readonly cache?: AnswerCache<CertificationStats>;

  /** With `changes`, answers are kept while the certification projection cannot have moved (AnswerCache). */
  constructor(
    private readonly dataSource: DataSource,
    changes?: ReadModelChanges,
  ) {
    this.cache = changes && new AnswerCache<CertificationStats>(changes, 'certification');
  }

  async count(groupBy: readonly StatsDimension[], filters: CertificateFilters, viewer: CertificateViewer = {}, now = new Date().toISOString()): Promise<CertificationStats> {
    // The filters are judged first, so that a malformed request is refused at once, never after a wait for minPosition.
    const statement = this.statementFor(groupBy, filters, viewer, now);
    // A status filter compares with the clock: such counts change without any event.
    if (!this.cache || filters.status !== undefined) return this.run(groupBy, statement);
    return this.cache.answer(JSON.stringify([groupBy, filters, viewer]), () => this.run(groupBy, statement), undefined, (stats) => stats.groups.length <= MAX_KEPT_GROUPS);
  }

  private statementFor(groupBy: readonly StatsDimension[], filters: CertificateFilters, viewer: CertificateViewer, now: string): { sql: string; values: readonly unknown[] } {
    const where = new SqlConditions();
    addCertificateFilters(where, 'k', filters, viewer, countsStatusSql(where.parameters, now));
    const keys = groupBy.map((dimension, index) => `${DIMENSION_SQL[dimension]} AS d${index}`);
    const grouping = groupBy.length === 0 ? '' : `GROUP BY ${groupBy.map((_, index) => index + 1).join(', ')}`;
    const ordering = groupBy.length === 0 ? '' : `ORDER BY ${groupBy.map((_, index) => `${index + 1} NULLS FIRST`).join(', ')}`;
    return {
      sql: `SELECT ${[...keys, 'sum(k.certificates)::text AS count'].join(', ')}
         FROM read_models.certification_counts k WHERE ${where.sql} ${grouping}
       HAVING sum(k.certificates) > 0 ${ordering}`,
      values: where.parameters.values,
    };
  }

  private async run(groupBy: readonly StatsDimension[], statement: { sql: string; values: readonly unknown[] }): Promise<CertificationStats> {
    // The counts and the position they stand at, in one statement (one snapshot).
    const { rows, position } = await inOneStatementAt<Record<string, string | null>>(this.dataSource, ['certification'], statement.sql, statement.values);
    const groups = rows.map((row) => ({
      key: Object.fromEntries(groupBy.map((dimension, index) => [dimension, row[`d${index}`]])),
      count: Number(row.count),
    }));
    return { groups, position: position.toString() };
  }
}

/** Expiry compares with now, a parameter added only when a status filter needs it (an unused one is an error). */
function countsStatusSql(parameters: SqlParameters, now: string): StatusSql {
  return {
    revoked: `k.revoked`,
    get expired() {
      return `(NOT k.revoked AND k.valid_until < ${parameters.add(now)}::timestamptz)`;
    },
    get valid() {
      return `(NOT k.revoked AND k.valid_until >= ${parameters.add(now)}::timestamptz)`;
    },
  };
}
