import type { DataSource } from 'typeorm';
import { instantOf } from '../certificates/certificate-filters';
import { AUDIT_EVENT_COLUMNS, type AuditEventRowOf } from '../tables/audit-events.columns';
import { selectColumns } from '../tables/table-columns';
import { SqlConditions } from '../sql-builder';
import { decodeCursor, pageOf, pageSize, type Page } from '../pagination';
import { notFound } from '../query-error';
import { inReadSnapshot, type ReadModelReader } from '../read-position';

const AUDIT_PROJECTIONS = ['audit'];

export interface ActorView {
  id: string | null;
  role: string | null;
  organizationId: string | null;
}

/** One row of the audit trail, as API.md lists it. */
export interface AuditEventView {
  position: string;
  type: string;
  stream: string;
  occurredAt: string | null;
  recordedAt: string | null;
  actor: ActorView;
  commandId: string | null;
  correlationId: string | null;
  causationId: string | null;
}

/** An event in a person's timeline: the audit row and what happened, without personal data. */
export interface TimelineEntryView extends AuditEventView {
  details: Record<string, unknown>;
}

export interface AuditFilters {
  readonly actorId?: string;
  readonly role?: string;
  readonly organizationId?: string;
  readonly type?: string;
  readonly streamId?: string;
  /** Bounds on business time (`occurredAt`), inclusive; dates or instants. */
  readonly from?: string;
  readonly to?: string;
}

/** Whose audit trail: a comptroller scoped to a state (its jurisdiction) sees that state's only; default everything. */
export interface AuditScope {
  readonly state?: string;
}

/**
 * The audit rows of one state, for a query over `audit_events` aliased `e`
 * (`state` the placeholder the state is bound to): the events of certification processes
 * enrolled in that state and of their folios, and the events of people with
 * a process there, except those naming a process elsewhere (an enrollment
 * opened in another state). Registries (standards, providers, evaluators)
 * belong to no state and are left out.
 */
export const auditStateSql = (state: string): string => `(
  (e.stream_id LIKE 'certification-%' AND EXISTS (
     SELECT 1 FROM read_models.processes sp WHERE sp.process_id = substr(e.stream_id, 15) AND sp.state = ${state}))
  OR (e.stream_id LIKE 'folio-%' AND EXISTS (
     SELECT 1 FROM read_models.certificates sc WHERE sc.folio = substr(e.stream_id, 7) AND sc.state = ${state}))
  OR (e.stream_id LIKE 'person-%' AND EXISTS (
       SELECT 1 FROM read_models.processes sp WHERE sp.subject_id = e.subject_id AND sp.state = ${state})
     AND (e.details->>'processId' IS NULL OR EXISTS (
       SELECT 1 FROM read_models.processes sq WHERE sq.process_id = e.details->>'processId' AND sq.state = ${state})))
)`;

/** A scoped read needs the processes and certificates at the same position as the audit rows. */
function projectionsFor(scope: AuditScope): string[] {
  return scope.state === undefined ? AUDIT_PROJECTIONS : [...AUDIT_PROJECTIONS, 'certification'];
}

interface PageRequest {
  readonly limit?: number;
  readonly cursor?: string;
}

/** The audit trail and person timelines, both read from `audit_events` in log order. */
export class AuditQueries {
  constructor(private readonly dataSource: DataSource) {}

  async events(filters: AuditFilters, page: PageRequest, scope: AuditScope = {}): Promise<Page<AuditEventView>> {
    const limit = pageSize(page.limit);
    const after = decodeCursor(page.cursor);
    const from = filters.from ? instantOf(filters.from, 'from') : undefined;
    const to = filters.to ? endOf(filters.to) : undefined;
    const where = new SqlConditions();
    if (scope.state !== undefined) where.where(auditStateSql(where.parameters.add(scope.state)));
    where
      .whereIf(filters.actorId, 'e.actor_id = ?')
      .whereIf(filters.role, 'e.actor_role = ?')
      .whereIf(filters.organizationId, 'e.actor_org = ?')
      .whereIf(filters.type, 'e.type = ?')
      .whereIf(filters.streamId, 'e.stream_id = ?')
      .whereIf(from, 'e.occurred_at >= ?::timestamptz')
      .whereIf(to, 'e.occurred_at < ?::timestamptz')
      .whereIf(after, 'e.position > ?::bigint');
    const rows = await inReadSnapshot(this.dataSource, projectionsFor(scope), (reader) => auditRows(reader, where, limit + 1));
    return pageOf(rows, limit, auditEventOf, (row) => row.position);
  }

  /** Every event about a person, in order; 404 when the ledger knows nothing about the subjectId. */
  async timeline(subjectId: string, page: PageRequest, scope: AuditScope = {}): Promise<Page<TimelineEntryView>> {
    const limit = pageSize(page.limit);
    const after = decodeCursor(page.cursor);
    const where = new SqlConditions().where('e.subject_id = ?', subjectId);
    // A person with nothing in the scope's state is, for that comptroller, a person the ledger knows nothing about (404).
    if (scope.state !== undefined) where.where(auditStateSql(where.parameters.add(scope.state)));
    where.whereIf(after, 'e.position > ?::bigint');
    const rows = await inReadSnapshot(this.dataSource, projectionsFor(scope), (reader) => auditRows(reader, where, limit + 1));
    if (rows.length === 0 && after === undefined) throw notFound('PERSON_NOT_FOUND', 'The ledger holds no event about this subject');
    return pageOf(rows, limit, timelineEntryOf, (row) => row.position);
  }
}

/** Every event of one stream, in order: a process's steps, a folio's assignment. */
export async function eventsOfStream(reader: ReadModelReader, streamId: string): Promise<TimelineEntryView[]> {
  return (await auditRows(reader, new SqlConditions().where('e.stream_id = ?', streamId))).map(timelineEntryOf);
}

/** The audit columns a view shows, selected from AUDIT_EVENT_COLUMNS. */
const SHOWN = [
  'position', 'type', 'stream_id', 'occurred_at', 'recorded_at', 'actor_id', 'actor_role', 'actor_org', 'command_id', 'correlation_id', 'causation_id', 'details',
] as const satisfies readonly (keyof typeof AUDIT_EVENT_COLUMNS)[];
const AUDIT_SELECT = selectColumns(AUDIT_EVENT_COLUMNS, 'e', SHOWN);
type AuditRow = AuditEventRowOf<(typeof SHOWN)[number]>;

/** The rows `where` selects, in log order, at most `limit`. */
async function auditRows(reader: ReadModelReader, where: SqlConditions, limit?: number): Promise<AuditRow[]> {
  const sql = `SELECT ${AUDIT_SELECT} FROM read_models.audit_events e WHERE ${where.sql} ORDER BY e.position${limit === undefined ? '' : ` LIMIT ${limit}`}`;
  return (await reader.query(sql, where.parameters.values)) as AuditRow[];
}

function timelineEntryOf(row: AuditRow): TimelineEntryView {
  const details = row.details;
  // The fold writes an object; anything else read back shows as no details rather than failing the page.
  return { ...auditEventOf(row), details: details !== null && typeof details === 'object' && !Array.isArray(details) ? (details as Record<string, unknown>) : {} };
}

export function auditEventOf(row: AuditRow): AuditEventView {
  return {
    position: row.position,
    type: row.type,
    stream: row.stream_id,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    actor: { id: row.actor_id, role: row.actor_role, organizationId: row.actor_org },
    commandId: row.command_id,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
  };
}

/** `to` as a date covers that whole day. */
function endOf(to: string): string {
  const instant = instantOf(to, 'to');
  return new Date(Date.parse(instant) + (/^\d{4}-\d{2}-\d{2}$/.test(to) ? 86_400_000 : 1)).toISOString();
}
