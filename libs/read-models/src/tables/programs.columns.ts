import type { Columns, SelectedRow } from './table-columns';

/** A program's terms: what the `programs` and `program_terms` tables share. */
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

/**
 * `read_models.programs` and `read_models.program_terms`, declared once: a
 * program as it stands, and the terms it had after each of its events, with
 * what changed and why (progress at an earlier position reads the terms
 * known then). The programs projection builds both tables from these; the
 * program queries select from program_terms with the row type below.
 */
export const PROGRAM_COLUMNS = { ...TERMS, position: 'bigint' } as const satisfies Columns;
export const PROGRAM_TERM_COLUMNS = {
  ...TERMS,
  position: 'bigint',
  /** ProgramLaunched, ProgramTargetChanged or ProgramPeriodExtended. */
  change: 'text',
  reason: 'text',
  changed_at: 'timestamptz',
} as const satisfies Columns;

/** The terms columns, in table order. */
export const PROGRAM_TERMS_SELECTED = [...Object.keys(TERMS), 'position'] as (keyof typeof TERMS | 'position')[];

/** A program_terms row with the terms, as selectColumns selects them; the JSON columns as the fold writes them. */
export type ProgramTermsRowOf<Target> = Omit<
  SelectedRow<typeof PROGRAM_TERM_COLUMNS, keyof typeof TERMS | 'position', 'program_id' | 'name' | 'state' | 'starts_on' | 'ends_on' | 'launched_at' | 'launched_position' | 'position'>,
  'standards' | 'target'
> & { standards: string[]; target: Target };
