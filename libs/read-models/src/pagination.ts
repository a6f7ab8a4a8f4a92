import { QueryError } from './query-error';

export interface Page<T> {
  readonly items: T[];
  /** Opaque; null on the last page. */
  readonly nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * Cursors are keyset positions (the last row's sort key), so a page is the
 * same whatever was appended since the first one, and no page costs an
 * OFFSET scan. They are opaque to clients: base64url of a small JSON.
 */
export function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ after: key }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof decoded.after === 'string' && /^-?\d{1,20}$/.test(decoded.after)) return decoded.after;
  } catch {
    // fall through: a cursor we did not make
  }
  throw new QueryError('INVALID_CURSOR', 'validation', 'The cursor is not one this API returned', { field: 'cursor' });
}

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new QueryError('INVALID_FIELD', 'validation', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, { field: 'limit' });
  }
  return limit;
}

/** Rows fetched one beyond the page size tell whether another page exists. */
export function pageOf<R, T>(rows: readonly R[], limit: number, toItem: (row: R) => T, keyOf: (row: R) => string): Page<T> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items: items.map(toItem), nextCursor: more ? encodeCursor(keyOf(items[items.length - 1])) : null };
}
