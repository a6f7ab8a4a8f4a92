import type { DataSource } from 'typeorm';
import { instantOf } from '../certificates/certificate-filters';
import { AuditEventEntity } from '../entities/audit-event.entity';
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
 * (`:scopeState` bound to the state): the events of certification processes
 * enrolled in that state and of their folios, and the events of people with
 * a process there, except those naming a process elsewhere (an enrollment
 * opened in another state). Registries (standards, providers, evaluators)
 * belong to no state and are left out.
 */
export const AUDIT_STATE_SQL = `(
  (e.stream_id LIKE 'certification-%' AND EXISTS (
     SELECT 1 FROM read_models.processes sp WHERE sp.process_id = substr(e.stream_id, 15) AND sp.state = :scopeState))
  OR (e.stream_id LIKE 'folio-%' AND EXISTS (
     SELECT 1 FROM read_models.certificates sc WHERE sc.folio = substr(e.stream_id, 7) AND sc.state = :scopeState))
  OR (e.stream_id LIKE 'person-%' AND EXISTS (
       SELECT 1 FROM read_models.processes sp WHERE sp.subject_id = e.subject_id AND sp.state = :scopeState)
     AND (e.details->>'processId' IS NULL OR EXISTS (
       SELECT 1 FROM read_models.processes sq WHERE sq.process_id = e.details->>'processId' AND sq.state = :scopeState)))
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
    const rows = await inReadSnapshot(this.dataSource, projectionsFor(scope), (reader) => {
      const query = reader.getRepository(AuditEventEntity).createQueryBuilder('e').orderBy('e.position', 'ASC').limit(limit + 1);
      if (scope.state !== undefined) query.andWhere(AUDIT_STATE_SQL, { scopeState: scope.state });
      if (filters.actorId) query.andWhere('e.actor_id = :actorId', { actorId: filters.actorId });
      if (filters.role) query.andWhere('e.actor_role = :role', { role: filters.role });
      if (filters.organizationId) query.andWhere('e.actor_org = :organizationId', { organizationId: filters.organizationId });
      if (filters.type) query.andWhere('e.type = :type', { type: filters.type });
      if (filters.streamId) query.andWhere('e.stream_id = :streamId', { streamId: filters.streamId });
      if (from) query.andWhere('e.occurred_at >= :from', { from });
      if (to) query.andWhere('e.occurred_at < :to', { to });
      if (after !== undefined) query.andWhere('e.position > :after', { after });
      return query.getMany();
    });
    return pageOf(rows, limit, auditEventOf, (row) => row.position);
  }

  /** Every event about a person, in order; 404 when the ledger knows nothing about the subjectId. */
  async timeline(subjectId: string, page: PageRequest, scope: AuditScope = {}): Promise<Page<TimelineEntryView>> {
    const limit = pageSize(page.limit);
    const after = decodeCursor(page.cursor);
    const rows = await inReadSnapshot(this.dataSource, projectionsFor(scope), (reader) => {
      const query = reader
        .getRepository(AuditEventEntity)
        .createQueryBuilder('e')
        .where('e.subject_id = :subjectId', { subjectId })
        .orderBy('e.position', 'ASC')
        .limit(limit + 1);
      // A person with nothing in the scope's state is, for that comptroller, a person the ledger knows nothing about (404).
      if (scope.state !== undefined) query.andWhere(AUDIT_STATE_SQL, { scopeState: scope.state });
      if (after !== undefined) query.andWhere('e.position > :after', { after });
      return query.getMany();
    });
    if (rows.length === 0 && after === undefined) throw notFound('PERSON_NOT_FOUND', 'The ledger holds no event about this subject');
    return pageOf(rows, limit, (row) => ({ ...auditEventOf(row), details: row.details }), (row) => row.position);
  }
}

/** Every event of one stream, in order: a process's steps, a folio's assignment. */
export async function eventsOfStream(reader: ReadModelReader, streamId: string): Promise<TimelineEntryView[]> {
  const rows = await reader.getRepository(AuditEventEntity).find({ where: { streamId }, order: { position: 'ASC' } });
  return rows.map((row) => ({ ...auditEventOf(row), details: row.details }));
}

export function auditEventOf(row: AuditEventEntity): AuditEventView {
  return {
    position: row.position,
    type: row.type,
    stream: row.streamId,
    occurredAt: row.occurredAt?.toISOString() ?? null,
    recordedAt: row.recordedAt?.toISOString() ?? null,
    actor: { id: row.actorId, role: row.actorRole, organizationId: row.actorOrg },
    commandId: row.commandId,
    correlationId: row.correlationId,
    causationId: row.causationId,
  };
}

/** `to` as a date covers that whole day. */
function endOf(to: string): string {
  const instant = instantOf(to, 'to');
  return new Date(Date.parse(instant) + (/^\d{4}-\d{2}-\d{2}$/.test(to) ? 86_400_000 : 1)).toISOString();
}
