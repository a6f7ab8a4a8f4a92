import type { TableDefinition } from '../projection';

const TERMS = {
  program_id: 'text',
  name: 'text',
  state: 'text',
  municipality: 'text',
  standards: 'jsonb',
  starts_on: 'date',
  ends_on: 'date',
  /** `{count}` or `{share, workforce}`, as launched or last amended. */
  target: 'jsonb',
  launched_at: 'timestamptz',
  launched_position: 'bigint',
} as const;

/** Each program's terms as they stand now (the latest event of its stream). */
export const programsTable: TableDefinition = {
  name: 'programs',
  published: true,
  columns: { ...TERMS, position: 'bigint' },
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
  columns: {
    ...TERMS,
    position: 'bigint',
    /** ProgramLaunched, ProgramTargetChanged or ProgramPeriodExtended. */
    change: 'text',
    reason: 'text',
    changed_at: 'timestamptz',
  },
  primaryKey: ['program_id', 'position'],
};
