import type { Columns, SelectedRow } from './table-columns';

/*
 * The registries' tables and the holders' names, declared once: the registry
 * and people projections build the tables from these, and the queries select
 * from them (the evaluator accreditations with the row type below).
 */

/** `read_models.standards`: each standard as registered, and whether it was retired. */
export const STANDARD_COLUMNS = {
  code: 'text',
  version: 'text',
  title: 'text',
  validity_years: 'integer',
  status: 'text',
  registered_at: 'timestamptz',
  retired_at: 'timestamptz',
  retirement_reason: 'text',
  position: 'bigint',
} as const satisfies Columns;

/** `read_models.providers` (each provider's accreditation in force now) and `provider_accreditations` (every one it had). */
export const PROVIDER_COLUMNS = {
  provider_id: 'text',
  kind: 'text',
  name: 'text',
  accreditation_code: 'text',
  standards: 'jsonb',
  valid_from: 'date',
  valid_until: 'date',
  parent_provider_id: 'text',
  accredited_at: 'timestamptz',
  position: 'bigint',
} as const satisfies Columns;

/** `read_models.evaluator_accreditations`: every credential an evaluator held, per standard and issuing provider. */
export const EVALUATOR_ACCREDITATION_COLUMNS = {
  evaluator_id: 'text',
  standard_code: 'text',
  position: 'bigint',
  subject_id: 'text',
  provider_id: 'text',
  credential_folio: 'text',
  valid_from: 'date',
  valid_until: 'date',
  accredited_at: 'timestamptz',
  revoked_at: 'timestamptz',
  revocation_reason: 'text',
  revoked_position: 'bigint',
} as const satisfies Columns;

/** `read_models.holder_names`: a certificate holder's name over time, as rectified or erased. */
export const HOLDER_NAME_COLUMNS = {
  subject_id: 'text',
  position: 'bigint',
  full_name: 'text',
  effective_at: 'timestamptz',
  erased: 'boolean',
} as const satisfies Columns;

/** An evaluator credential as the accreditation query reads it; `valid_from` is null where the log held none. */
export type EvaluatorAccreditationRow = SelectedRow<
  typeof EVALUATOR_ACCREDITATION_COLUMNS,
  Exclude<keyof typeof EVALUATOR_ACCREDITATION_COLUMNS, 'subject_id'>,
  'evaluator_id' | 'standard_code' | 'position' | 'provider_id' | 'credential_folio' | 'valid_until' | 'accredited_at'
>;
