import { HOLDER_NAME_COLUMNS } from '@ledger/read-models';
import type { TableDefinition } from '../projection';

/**
 * Names of people by subjectId, one row per registration or rectification,
 * so that a report at an earlier position shows the name the ledger knew
 * then. The CURP is never stored on the read side. Once a person's data is
 * erased every row of theirs reads `[erased]` (ERASED_NAME) with `erased`
 * true, whatever position a report asks at.
 */
export const holderNamesTable: TableDefinition = {
  name: 'holder_names',
  published: true,
  columns: HOLDER_NAME_COLUMNS,
  primaryKey: ['subject_id', 'position'],
};

/** Per subject, the positions of its name rows (what an erasure must purge) and whether it was erased. */
export const peopleSubjectsTable: TableDefinition = {
  name: 'people_subjects',
  published: false,
  columns: {
    subject_id: 'text',
    name_positions: 'jsonb',
    erased: 'boolean',
  },
  primaryKey: ['subject_id'],
};
