import { PROGRAM_COLUMNS, PROGRAM_TERM_COLUMNS } from '@ledger/read-models';
import type { TableDefinition } from '../projection';

/** Each program's terms as they stand now (the latest event of its stream). */
export const programsTable: TableDefinition = {
  name: 'programs',
  published: true,
  columns: PROGRAM_COLUMNS,
  primaryKey: ['program_id'],
};

/**
 * The terms a program had after each of its events, with what changed and
 * why: progress at an earlier position reads the terms known then, and the
 * amendments are the history a comptroller follows.
 */
export const programTermsTable: TableDefinition = {
  name: 'program_terms',
  published: true,
  columns: PROGRAM_TERM_COLUMNS,
  primaryKey: ['program_id', 'position'],
};
