import { CERTIFICATE_FILTER_COLUMNS } from './certificates.columns';
import type { Columns } from './table-columns';

/**
 * `read_models.certification_counts`, declared once: certificate counts per
 * combination of everything a statistics query can group or filter by, so a
 * dashboard sums a few rows instead of scanning certificates. The
 * certification projection builds the table from it; the stats query sums
 * `certificates` over its rows. A missing municipality is '' (keys cannot
 * be null).
 */
export const CERTIFICATION_COUNT_COLUMNS = {
  ...CERTIFICATE_FILTER_COLUMNS,
  revoked: 'boolean',
  certificates: 'integer',
} as const satisfies Columns;
