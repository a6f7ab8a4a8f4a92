import { FINDING_COLUMNS } from '@ledger/read-models';
import type { TableDefinition } from '../projection';

/**
 * One row per audit finding. `finding_id` derives from the kind and what the
 * finding is about (a folio, an evaluator and a day, a digest, a provider and
 * a day), never from a position, so a rebuild, or the same history on the
 * other event store, raises the same findings with the same ids.
 */
export const findingsTable: TableDefinition = {
  name: 'findings',
  published: true,
  columns: FINDING_COLUMNS,
  primaryKey: ['finding_id'],
  indexes: [['raised_position', 'finding_id'], ['kind', 'raised_position'], ['provider_id'], ['evaluator_id'], ['occurred_on']],
};

/** The events that show each finding, in log order. */
export const findingEventsTable: TableDefinition = {
  name: 'finding_events',
  published: true,
  columns: { finding_id: 'text', position: 'bigint' },
  primaryKey: ['finding_id', 'position'],
};

/** What the folds need of a process: who, where, and when it was enrolled. */
export const findingProcessesTable: TableDefinition = {
  name: 'finding_processes',
  published: false,
  columns: { process_id: 'text', subject_id: 'text', state: 'text', provider_id: 'text', enrolled_at: 'timestamptz', enrolled_position: 'bigint', judged_position: 'bigint' },
  primaryKey: ['process_id'],
};

/**
 * Counters, each with the positions seen until its finding is raised (then
 * they move to finding_events) and the states involved.
 */
const COUNTER = { count: 'integer', positions: 'jsonb', states: 'jsonb', raised: 'boolean', raised_position: 'bigint' } as const;

/** Judgments per evaluator and business day. */
export const evaluatorDaysTable: TableDefinition = {
  name: 'finding_evaluator_days',
  published: false,
  columns: { evaluator_id: 'text', day: 'date', provider_id: 'text', ...COUNTER },
  primaryKey: ['evaluator_id', 'day'],
};

/** Judgments per evaluator, and how many were "not yet competent". */
export const evaluatorJudgmentsTable: TableDefinition = {
  name: 'finding_evaluators',
  published: false,
  columns: { evaluator_id: 'text', provider_id: 'text', not_yet_competent: 'integer', ...COUNTER },
  primaryKey: ['evaluator_id'],
};

/** The candidates each evidence digest was filed for (distinct, up to the threshold). */
export const evidenceDigestsTable: TableDefinition = {
  name: 'finding_evidence',
  published: false,
  columns: { digest: 'text', subjects: 'jsonb', evaluator_id: 'text', provider_id: 'text', first_on: 'date', ...COUNTER },
  primaryKey: ['digest'],
};

/** Certificates a provider issued one by one (not in a batch, not imported), per business day. */
export const providerDaysTable: TableDefinition = {
  name: 'finding_provider_days',
  published: false,
  columns: { provider_id: 'text', day: 'date', ...COUNTER },
  primaryKey: ['provider_id', 'day'],
};

/** A provider's one-by-one issuances in all, and on how many days: its usual volume. */
export const providerVolumesTable: TableDefinition = {
  name: 'finding_providers',
  published: false,
  columns: { provider_id: 'text', total: 'integer', days: 'integer' },
  primaryKey: ['provider_id'],
};
