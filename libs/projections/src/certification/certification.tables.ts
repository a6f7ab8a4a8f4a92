import { CERTIFICATE_COLUMNS, PROCESS_COLUMNS } from '@ledger/read-models';
import type { TableDefinition } from '../projection';

/** One row per certification process, as it stands now: its columns are read-models' declaration (PROCESS_COLUMNS). */
export const processesTable: TableDefinition = {
  name: 'processes',
  published: true,
  columns: PROCESS_COLUMNS,
  // Read by process id only.
  primaryKey: ['process_id'],
};

/** One row per certificate: its columns are read-models' declaration (CERTIFICATE_COLUMNS), which the queries select from. */
export const certificatesTable: TableDefinition = {
  name: 'certificates',
  published: true,
  columns: CERTIFICATE_COLUMNS,
  primaryKey: ['folio'],
  // Lists walk issue order; a broad filter (state, standard, status) finds a page's rows along it
  // quickly, a narrow one (agency, evaluator, dates) needs its own index.
  indexes: [['issued_position'], ['provider_id', 'issued_position'], ['agency'], ['evaluator_id'], ['issued_at'], ['printed_folio']],
};

/**
 * Certificate counts for dashboards, kept per combination of everything a
 * statistics query can group or filter by, so a dashboard sums a few rows
 * instead of scanning certificates. Issuance dates and expiry stay in the key
 * (certificates of one ceremony share them) so that date filters and the
 * expired/valid split stay exact. A missing municipality is '' (keys cannot be null).
 */
export const certificationCountsTable: TableDefinition = {
  name: 'certification_counts',
  published: true,
  columns: {
    standard_code: 'text',
    provider_id: 'text',
    evaluator_id: 'text',
    agency: 'text',
    state: 'text',
    municipality: 'text',
    employment: 'text',
    issued_at: 'timestamptz',
    valid_until: 'timestamptz',
    revoked: 'boolean',
    certificates: 'integer',
  },
  primaryKey: [
    'standard_code',
    'provider_id',
    'evaluator_id',
    'agency',
    'state',
    'municipality',
    'employment',
    'issued_at',
    'valid_until',
    'revoked',
  ],
  indexes: [['issued_at']],
};
