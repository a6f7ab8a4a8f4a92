import { EVALUATOR_ACCREDITATION_COLUMNS, PROVIDER_COLUMNS, STANDARD_COLUMNS } from '@ledger/read-models';
import type { TableDefinition } from '../projection';

export const standardsTable: TableDefinition = {
  name: 'standards',
  published: true,
  columns: STANDARD_COLUMNS,
  primaryKey: ['code'],
};

/** Each provider's accreditation in force now (the latest event). */
export const providersTable: TableDefinition = {
  name: 'providers',
  published: true,
  columns: PROVIDER_COLUMNS,
  primaryKey: ['provider_id'],
};

/** Every accreditation a provider was ever granted, so "accredited on date D?" has an answer for any D. */
export const providerAccreditationsTable: TableDefinition = {
  name: 'provider_accreditations',
  published: true,
  columns: { ...providersTable.columns },
  primaryKey: ['provider_id', 'position'],
};

/**
 * One row per evaluator, standard and accreditation event ("cédula"), each
 * owned by the provider that issued it. Of one provider's credentials for a
 * standard, the latest recorded whose period covers a date governs that date;
 * a revocation marks the provider's latest row when it was recorded.
 */
export const evaluatorAccreditationsTable: TableDefinition = {
  name: 'evaluator_accreditations',
  published: true,
  columns: EVALUATOR_ACCREDITATION_COLUMNS,
  primaryKey: ['evaluator_id', 'standard_code', 'position'],
  indexes: [['credential_folio']],
};

/** The latest accreditation row per evaluator, standard and provider: the one that provider's revocation applies to. */
export const evaluatorAccreditationHeadsTable: TableDefinition = {
  name: 'evaluator_accreditation_heads',
  published: false,
  columns: { evaluator_id: 'text', standard_code: 'text', provider_id: 'text', position: 'bigint' },
  primaryKey: ['evaluator_id', 'standard_code', 'provider_id'],
};

/** The latest accreditation row per evaluator and standard, any provider: what a revocation of schema 1 applies to. */
export const evaluatorStandardHeadsTable: TableDefinition = {
  name: 'evaluator_standard_heads',
  published: false,
  columns: { evaluator_id: 'text', standard_code: 'text', position: 'bigint' },
  primaryKey: ['evaluator_id', 'standard_code'],
};
