import type { Columns, SelectedRow } from './table-columns';

/**
 * `read_models.findings`, declared once: one row per audit finding. The
 * findings projection builds the table from it; the findings query selects
 * from it with the row type below. `finding_id` derives from the kind and
 * what the finding is about, never from a position, so a rebuild, or the same
 * history on the other event store, raises the same findings with the same ids.
 */
export const FINDING_COLUMNS = {
  finding_id: 'text',
  kind: 'text',
  severity: 'text',
  subject_type: 'text',
  subject_id: 'text',
  provider_id: 'text',
  evaluator_id: 'text',
  /** The business day the finding is about (Mexico City time). */
  occurred_on: 'date',
  summary: 'text',
  /** The figures behind the summary: counts, the threshold, the usual volume… */
  details: 'jsonb',
  /** The states of the candidates involved, for a comptroller scoped to one. */
  states: 'jsonb',
  event_count: 'integer',
  /** The event that made it a finding. */
  raised_position: 'bigint',
  /** The latest event added to it. */
  position: 'bigint',
} as const satisfies Columns;

/** A findings row as selectColumns selects it; the JSON columns as the fold writes them (an object of figures, a list of state codes). */
export type FindingRow = Omit<
  SelectedRow<typeof FINDING_COLUMNS, keyof typeof FINDING_COLUMNS, 'finding_id' | 'kind' | 'severity' | 'subject_type' | 'subject_id' | 'summary' | 'event_count' | 'raised_position' | 'position'>,
  'details' | 'states'
> & { details: Record<string, unknown>; states: string[] };
