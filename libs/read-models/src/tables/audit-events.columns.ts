import type { Columns, SelectedRow } from './table-columns';

/**
 * `read_models.audit_events`, declared once: one row per event of the log,
 * with who and when from its envelope, the person it is about, and what
 * happened (`details`, no personal data). The audit projection builds the
 * table from it; the audit trail, the timelines and every process's steps
 * select from it with the row type below.
 */
export const AUDIT_EVENT_COLUMNS = {
  position: 'bigint',
  event_id: 'text',
  type: 'text',
  stream_id: 'text',
  revision: 'bigint',
  occurred_at: 'timestamptz',
  recorded_at: 'timestamptz',
  actor_id: 'text',
  actor_role: 'text',
  actor_org: 'text',
  command_id: 'text',
  correlation_id: 'text',
  causation_id: 'text',
  schema_version: 'integer',
  subject_id: 'text',
  details: 'json',
} as const satisfies Columns;

type AuditEventColumn = keyof typeof AUDIT_EVENT_COLUMNS;

/** A row of audit_events with the columns `Names`: position, event id, type, stream and revision are always there. */
export type AuditEventRowOf<Names extends AuditEventColumn> = SelectedRow<
  typeof AUDIT_EVENT_COLUMNS,
  Names,
  Extract<Names, 'position' | 'event_id' | 'type' | 'stream_id' | 'revision' | 'details'>
>;
