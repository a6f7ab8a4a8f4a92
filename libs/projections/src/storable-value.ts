import { daysInMonth } from '@ledger/domain';
import type { ColumnType, Value } from './projection';

/**
 * A value as PostgreSQL will take it for a column of this type, or null: the
 * last guard between whatever the log holds and a statement that must not
 * fail. Folds pass event fields through mostly as they are; an event written
 * straight into the store may hold a word where a date belongs, or a number
 * past int32. Such a value is stored as null (visible as missing) rather than
 * failing the batch and stopping the projection. Strings reach here already
 * displayable (readable-event.ts), so text needs no more than a type check.
 */
export function storableValue(type: ColumnType, value: Value | undefined): Value | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'text':
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'timestamptz':
      return typeof value === 'string' && isStorableInstant(value) ? value : null;
    case 'date':
      return typeof value === 'string' && isStorableDate(value) ? value : null;
    case 'integer':
      return integerWithin(value, INT32);
    case 'bigint':
      return bigintText(value);
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'json':
    case 'jsonb':
      return value;
    case 'bytea':
      return value instanceof Uint8Array ? value : null;
    default: {
      const _exhaustive: never = type;
      return _exhaustive;
    }
  }
}

const INT32 = { min: -2_147_483_648, max: 2_147_483_647 };
const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };

function integerWithin(value: Value, range: { min: number; max: number }): number | null {
  const number = typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= range.min && number <= range.max ? number : null;
}

function bigintText(value: Value): string | null {
  let big: bigint;
  if (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) big = BigInt(value);
  else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
  else return null;
  return big >= INT64.min && big <= INT64.max ? big.toString() : null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO 8601 as the ledger writes instants (and what PostgreSQL reads without guessing): four-digit years, a zone. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

function isRealDate(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function isStorableDate(value: string): boolean {
  const match = DATE.exec(value);
  return match !== null && isRealDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

function isStorableInstant(value: string): boolean {
  const match = INSTANT.exec(value);
  if (match === null) return false;
  const [, year, month, day, hour = '0', minute = '0', second = '0', offsetHours = '0', offsetMinutes = '0'] = match;
  const timeOk = Number(hour) <= 23 && Number(minute) <= 59 && Number(second) <= 59;
  const zoneOk = Number(offsetHours) <= 15 && Number(offsetMinutes) <= 59;
  return isRealDate(Number(year), Number(month), Number(day)) && timeOk && zoneOk;
}

/**
 * A value as PostgreSQL's text input for a column of this type (what a text
 * parameter holds, and what COPY holds before its own escapes), or null.
 */
export function storedText(type: ColumnType, given: Value | undefined): string | null {
  const value = storableValue(type, given);
  if (value === null) return null;
  if (type === 'bytea') return `\\x${Buffer.from(value as Uint8Array).toString('hex')}`;
  if (type === 'json' || type === 'jsonb') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}
