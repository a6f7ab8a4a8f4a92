import { CERTIFICATE_COLUMNS, CERTIFICATION_COUNT_COLUMNS, PROCESS_COLUMNS } from '@ledger/read-models';
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
 * Certificate counts for dashboards: its columns are read-models' declaration
 * (CERTIFICATION_COUNT_COLUMNS). Issuance dates and expiry stay in the key
 * (certificates of one ceremony share them) so that date filters and the
 * expired/valid split stay exact.
 */
export const certificationCountsTable: TableDefinition = {
  name: 'certification_counts',
  published: true,
  columns: CERTIFICATION_COUNT_COLUMNS,
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
