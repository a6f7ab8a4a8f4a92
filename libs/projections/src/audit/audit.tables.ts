import { AUDIT_EVENT_COLUMNS } from '@ledger/read-models';
import type { TableDefinition } from '../projection';

/**
 * One row per event of the log: who did what, when, on whose behalf, as part
 * of which command, about which person, and what (the event's data without
 * personal data). Indexed three ways it is also each person's timeline
 * (`subject_id`) and each process's steps (`stream_id`), so those read models
 * cost no second copy of every event.
 */
export const auditEventsTable: TableDefinition = {
  name: 'audit_events',
  published: true,
  columns: AUDIT_EVENT_COLUMNS,
  primaryKey: ['position'],
  // A type or role filter matches a large share of rows, found quickly along the position order.
  indexes: [['stream_id', 'position'], ['subject_id', 'position'], ['actor_id', 'position'], ['actor_org', 'position'], ['occurred_at']],
};

/** Whose process it is, for the events of a process that do not name the person. */
export const processSubjectsTable: TableDefinition = {
  name: 'process_subjects',
  published: false,
  columns: { process_id: 'text', subject_id: 'text' },
  primaryKey: ['process_id'],
};

/** Which person an evaluator is, for the evaluator events that do not name the person. */
export const evaluatorSubjectsTable: TableDefinition = {
  name: 'evaluator_subjects',
  published: false,
  columns: { evaluator_id: 'text', subject_id: 'text' },
  primaryKey: ['evaluator_id'],
};
