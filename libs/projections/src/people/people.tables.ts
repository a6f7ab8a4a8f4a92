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
