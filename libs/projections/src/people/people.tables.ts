import { ENVELOPE_COLUMNS } from '../ledger-events';
import type { TableDefinition } from '../projection';

/**
 * Names of people by subjectId, one row per registration or rectification,
 * so that a report at an earlier position shows the name the ledger knew
 * then. The CURP is never stored on the read side.
 */
export const holderNamesTable: TableDefinition = {
  name: 'holder_names',
  published: true,
  columns: {
    subject_id: 'text',
    position: 'bigint',
    full_name: 'text',
    effective_at: 'timestamptz',
  },
  primaryKey: ['subject_id', 'position'],
};

/** Every event about a person, in log order, with its actor and times; details carry no personal data. */
export const personTimelineTable: TableDefinition = {
  name: 'person_timeline',
  published: true,
  columns: {
    subject_id: 'text',
    position: 'bigint',
    type: 'text',
    stream_id: 'text',
    ...ENVELOPE_COLUMNS,
    details: 'jsonb',
  },
  primaryKey: ['subject_id', 'position'],
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
