import type { Columns, SelectedRow } from './table-columns';

/**
 * `read_models.processes`, declared once: one row per certification process
 * as it stands now (its steps are its stream's rows in audit_events). The
 * certification projection builds the table from it; the enrollment query
 * selects from it with the row type below.
 */
export const PROCESS_COLUMNS = {
  process_id: 'text',
  subject_id: 'text',
  standard_code: 'text',
  standard_version: 'text',
  validity_years: 'integer',
  provider_id: 'text',
  centre_id: 'text',
  agency: 'text',
  state: 'text',
  municipality: 'text',
  employment: 'text',
  enrolled_at: 'timestamptz',
  status: 'text',
  last_result: 'text',
  evaluator_id: 'text',
  evaluated_at: 'timestamptz',
  folio: 'text',
  issued_at: 'timestamptz',
  revoked_at: 'timestamptz',
  enrolled_position: 'bigint',
  position: 'bigint',
} as const satisfies Columns;

type ProcessColumn = keyof typeof PROCESS_COLUMNS;

/** What every enrolled process has (the fold writes them from CandidateEnrolled). */
export type ProcessNotNull = 'process_id' | 'subject_id' | 'standard_code' | 'provider_id' | 'status' | 'enrolled_position' | 'position';

/** A processes row with the columns `Names`, as selectColumns selects them. */
export type ProcessRowOf<Names extends ProcessColumn> = SelectedRow<typeof PROCESS_COLUMNS, Names, Extract<Names, ProcessNotNull>>;
