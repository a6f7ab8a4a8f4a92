import { isIsoDate } from '@ledger/domain';
import type { DataSource } from 'typeorm';
import type { AuditScope } from '../audit/audit-queries';
import { decodeCursor, encodeCursor, pageSize, parsePosition, type Page } from '../pagination';
import { invalidField } from '../query-error';
import { inReadSnapshot } from '../read-position';
import { FINDING_COLUMNS, type FindingRow } from '../tables/findings.columns';
import { selectColumns } from '../tables/table-columns';

const FINDING_SELECT = selectColumns(FINDING_COLUMNS, 'f', Object.keys(FINDING_COLUMNS) as (keyof typeof FINDING_COLUMNS)[]);

const FINDING_PROJECTIONS = ['findings'];
/** A finding lists at most this many of its events' positions; eventCount says how many there are. */
export const MAX_FINDING_POSITIONS = 1_000;

export interface FindingView {
  findingId: string;
  kind: string;
  severity: string;
  /** What the finding is about: a certificate (folio), an evaluator, an evidence digest or a provider. */
  subject: { type: string; id: string };
  providerId: string | null;
  evaluatorId: string | null;
  /** The business day it concerns (Mexico City time); null for a pattern over many days. */
  occurredOn: string | null;
  summary: string;
  details: Record<string, unknown>;
  /** The states of the candidates involved. */
  states: string[];
  eventCount: number;
  /** The positions of the events that show it, in log order (the first MAX_FINDING_POSITIONS). */
  positions: string[];
  /** The position of the event that raised it. */
  raisedAt: string;
  /** The position of the latest event added to it. */
  position: string;
}

export interface FindingFilters {
  readonly kind?: string;
  readonly severity?: string;
  readonly providerId?: string;
  readonly evaluatorId?: string;
  /** Business days (occurredOn), inclusive, `YYYY-MM-DD`. */
  readonly from?: string;
  readonly to?: string;
}

/** `raised_position:finding_id`: findings are listed in the order they were raised. */
const FINDING_CURSOR = /^(0|[1-9]\d{0,18}):F-[0-9A-F]{20}$/;

/**
 * Audit findings as the findings projection raised them, in the order they
 * were raised. A comptroller scoped to a state sees the findings that
 * involve a candidate of that state.
 */
export class FindingQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(filters: FindingFilters, page: { limit?: number; cursor?: string }, scope: AuditScope = {}): Promise<Page<FindingView>> {
    const limit = pageSize(page.limit);
    const after = decodeCursor(page.cursor, (key) => FINDING_CURSOR.test(key) && parsePosition(key.split(':')[0]) !== null);
    for (const field of ['from', 'to'] as const) {
      const value = filters[field];
      if (value !== undefined && !isIsoDate(value)) throw invalidField(field, `${field} must be a calendar date YYYY-MM-DD`);
    }
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (condition: (parameter: string) => string, value: unknown) => where.push(condition(`$${values.push(value)}`));
    if (filters.kind) add((p) => `f.kind = ${p}`, filters.kind);
    if (filters.severity) add((p) => `f.severity = ${p}`, filters.severity);
    if (filters.providerId) add((p) => `f.provider_id = ${p}`, filters.providerId);
    if (filters.evaluatorId) add((p) => `f.evaluator_id = ${p}`, filters.evaluatorId);
    if (filters.from) add((p) => `f.occurred_on >= ${p}::date`, filters.from);
    if (filters.to) add((p) => `f.occurred_on <= ${p}::date`, filters.to);
    if (scope.state !== undefined) add((p) => `f.states ? ${p}`, scope.state);
    if (after !== undefined) {
      const [position, findingId] = after.split(':');
      where.push(`(f.raised_position, f.finding_id) > ($${values.push(position)}::bigint, $${values.push(findingId)})`);
    }
    const rows = await inReadSnapshot(this.dataSource, FINDING_PROJECTIONS, async (reader) => {
      const found: FindingRow[] = await reader.query(
        `SELECT ${FINDING_SELECT}
           FROM read_models.findings f ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY f.raised_position, f.finding_id LIMIT ${limit + 1}`,
        values,
      );
      const ids = found.slice(0, limit).map((row) => row.finding_id);
      const events: { finding_id: string; positions: string[] }[] = ids.length === 0 ? [] : await reader.query(
        `SELECT finding_id, array_agg(position::text ORDER BY position) AS positions FROM (
           SELECT finding_id, position, row_number() OVER (PARTITION BY finding_id ORDER BY position) AS n
             FROM read_models.finding_events WHERE finding_id = ANY($1::text[])) e
          WHERE n <= ${MAX_FINDING_POSITIONS} GROUP BY finding_id`,
        [ids],
      );
      const positions = new Map(events.map((row) => [row.finding_id, row.positions]));
      return found.map((row) => ({ row, positions: positions.get(row.finding_id) ?? [] }));
    });
    const items = rows.slice(0, limit).map(({ row, positions }) => findingOf(row, positions));
    const last = rows[limit - 1]?.row;
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(`${last.raised_position}:${last.finding_id}`) : null };
  }
}

function findingOf(row: FindingRow, positions: string[]): FindingView {
  return {
    findingId: row.finding_id,
    kind: row.kind,
    severity: row.severity,
    subject: { type: row.subject_type, id: row.subject_id },
    providerId: row.provider_id,
    evaluatorId: row.evaluator_id,
    occurredOn: row.occurred_on,
    summary: row.summary,
    details: row.details,
    states: row.states,
    eventCount: row.event_count,
    positions,
    raisedAt: row.raised_position,
    position: row.position,
  };
}
