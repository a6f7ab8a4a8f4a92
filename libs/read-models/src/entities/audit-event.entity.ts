import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * `read_models.audit_events`: one row per event of the log. Also each
 * person's timeline (by `subjectId`) and each process's steps (by `streamId`).
 */
@Entity({ schema: 'read_models', name: 'audit_events', synchronize: false })
export class AuditEventEntity {
  @PrimaryColumn({ type: 'bigint' }) position: string;
  @Column({ name: 'event_id', type: 'text' }) eventId: string;
  @Column({ type: 'text' }) type: string;
  @Column({ name: 'stream_id', type: 'text' }) streamId: string;
  @Column({ type: 'bigint' }) revision: string;
  @Column({ name: 'occurred_at', type: 'timestamptz', nullable: true }) occurredAt: Date | null;
  @Column({ name: 'recorded_at', type: 'timestamptz', nullable: true }) recordedAt: Date | null;
  @Column({ name: 'actor_id', type: 'text', nullable: true }) actorId: string | null;
  @Column({ name: 'actor_role', type: 'text', nullable: true }) actorRole: string | null;
  @Column({ name: 'actor_org', type: 'text', nullable: true }) actorOrg: string | null;
  @Column({ name: 'command_id', type: 'text', nullable: true }) commandId: string | null;
  @Column({ name: 'correlation_id', type: 'text', nullable: true }) correlationId: string | null;
  @Column({ name: 'causation_id', type: 'text', nullable: true }) causationId: string | null;
  @Column({ name: 'schema_version', type: 'integer', nullable: true }) schemaVersion: number | null;
  @Column({ name: 'subject_id', type: 'text', nullable: true }) subjectId: string | null;
  @Column({ type: 'json' }) details: Record<string, unknown>;
}
