import { QueryError } from './query-error';

export interface Page<T> {
  readonly items: T[];
  /** Opaque; null on the last page. */
  readonly nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** The largest position the ledger can hold: PostgreSQL's bigint, which read models and checkpoints use. */
export const MAX_POSITION = 9_223_372_036_854_775_807n;

/** Plain decimal: no sign, spaces, exponent, hex or leading zeros, at most 19 digits (the range is checked after). */
const POSITION_TEXT = /^(0|[1-9]\d{0,18})$/;

/**
 * A position as clients send it (`minPosition`, `atPosition`, inside a
 * cursor): a plain decimal integer from 0 to MAX_POSITION, else null. Only one
 * spelling of each number is accepted, so equal requests are equal text, and
 * nothing past bigint ever reaches SQL (where it would fail as a 500).
 */
export function parsePosition(text: unknown): bigint | null {
  if (typeof text !== 'string' || !POSITION_TEXT.test(text)) return null;
  const position = BigInt(text);
  return position <= MAX_POSITION ? position : null;
}

/**
 * Cursors are keyset positions (the last row's sort key), so a page is the
 * same whatever was appended since the first one, and no page costs an
 * OFFSET scan. They are opaque to clients: base64url of a small JSON.
 */
export function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ after: key }), 'utf8').toString('base64url');
}

/**
 * The key a cursor of ours holds (a position, unless `isKey` says what else a key of that list is). Only the exact text encodeCursor made is
 * one: Node's base64 decoder skips what is not base64 (a NUL, a newline,
 * `!`), so a cursor with junk in it would otherwise be read as if clean.
 */
export function decodeCursor(cursor: string | undefined, isKey: (after: string) => boolean = (after) => parsePosition(after) !== null): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown } | null;
    const after = decoded?.after;
    if (typeof after === 'string' && isKey(after) && encodeCursor(after) === cursor) return after;
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
