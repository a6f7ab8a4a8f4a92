import type { Columns, SelectedRow } from './table-columns';

/**
 * What statistics and lists filter certificates by (certificate-filters.ts),
 * under the same names in `certificates` and in `certification_counts`, in
 * this order in both.
 */
export const CERTIFICATE_FILTER_COLUMNS = {
  standard_code: 'text',
  provider_id: 'text',
  evaluator_id: 'text',
  agency: 'text',
  state: 'text',
  municipality: 'text',
  employment: 'text',
  issued_at: 'timestamptz',
  valid_until: 'timestamptz',
} as const satisfies Columns;

/**
 * `read_models.certificates`, declared once: the certification projection
 * builds the table from it, and the certificate queries, the provenance and
 * the transparency report select from it with the row types below.
 * `issued_position` and `revoked_position` keep when the ledger learned each
 * fact, so a report at an earlier position can ignore what was recorded later.
 */
export const CERTIFICATE_COLUMNS = {
  folio: 'text',
  process_id: 'text',
  subject_id: 'text',
  ...CERTIFICATE_FILTER_COLUMNS,
  revoked_at: 'timestamptz',
  revocation_reason: 'text',
  issued_position: 'bigint',
  revoked_position: 'bigint',
  position: 'bigint',
  /** The folio printed on a paper certificate an import brought (CertificateIssued.printedFolio), else null. */
  printed_folio: 'text',
} as const satisfies Columns;

type CertificateColumn = keyof typeof CERTIFICATE_COLUMNS;

/** What every issued certificate has (the fold writes them from CertificateIssued). */
export type CertificateNotNull = 'folio' | 'process_id' | 'subject_id' | 'standard_code' | 'provider_id' | 'evaluator_id' | 'issued_at' | 'valid_until' | 'issued_position' | 'position';

/** A certificates row with the columns `Names`, as selectColumns selects them. */
export type CertificateRowOf<Names extends CertificateColumn> = SelectedRow<typeof CERTIFICATE_COLUMNS, Names, Extract<Names, CertificateNotNull>>;
