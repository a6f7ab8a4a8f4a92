/** How the HTTP edge treats a query error: the same kinds the domain's errors use. */
export type QueryErrorKind = 'validation' | 'forbidden' | 'not_found';

/**
 * A query that cannot be answered as asked. It has the shape of the domain's
 * errors (`code`, `kind`, `details`), so the ledger's one exception filter
 * maps it without knowing this class: validation 400, forbidden 403,
 * not_found 404.
 */
export class QueryError extends Error {
  constructor(
    readonly code: string,
    readonly kind: QueryErrorKind,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

export const notFound = (code: string, message: string): QueryError => new QueryError(code, 'not_found', message);
export const invalidField = (field: string, message: string): QueryError =>
  new QueryError('INVALID_FIELD', 'validation', message, { field });
