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

interface PageRequest {
  readonly limit?: number;
  readonly cursor?: string;
}

/** The audit trail and person timelines, both read from `audit_events` in log order. */
export class AuditQueries {
  constructor(private readonly dataSource: DataSource) {}

  async events(filters: AuditFilters, page: PageRequest): Promise<Page<AuditEventView>> {
    const limit = pageSize(page.limit);
    const after = decodeCursor(page.cursor);
    const from = filters.from ? instantOf(filters.from, 'from') : undefined;
    const to = filters.to ? endOf(filters.to) : undefined;
    const rows = await inReadSnapshot(this.dataSource, AUDIT_PROJECTIONS, (reader) => {
      const query = reader.getRepository(AuditEventEntity).createQueryBuilder('e').orderBy('e.position', 'ASC').limit(limit + 1);
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
  async timeline(subjectId: string, page: PageRequest): Promise<Page<TimelineEntryView>> {
    const limit = pageSize(page.limit);
    const after = decodeCursor(page.cursor);
    const rows = await inReadSnapshot(this.dataSource, AUDIT_PROJECTIONS, (reader) => {
      const query = reader
        .getRepository(AuditEventEntity)
        .createQueryBuilder('e')
        .where('e.subject_id = :subjectId', { subjectId })
        .orderBy('e.position', 'ASC')
        .limit(limit + 1);
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
