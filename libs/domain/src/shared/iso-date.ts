import { DomainError } from './domain-error';

/**
 * Dates travel as strings. Two forms exist:
 * - a calendar date `YYYY-MM-DD` (accreditation periods, credential expiry), and
 * - an instant, stored canonically as `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC, milliseconds).
 * Canonical instants compare correctly as plain strings, which is why every
 * instant is normalised before it reaches an event: `…10:00:00Z` and
 * `…10:00:00.000Z` would otherwise sort in the wrong order.
 */
export type IsoDate = string;
export type IsoInstant = string;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The years the ledger accepts in any date it is given: wide enough for a
 * birth date and for a credential valid for decades, narrow enough that no
 * arithmetic on a date (a day added to a filter's end, years added to an
 * issuance) leaves the range PostgreSQL and ISO 8601 with four-digit years share.
 */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2999;
/** The widest UTC offset in use anywhere (UTC+14:00, Kiribati; UTC−12:00 is inside it too). */
export const MAX_OFFSET_MINUTES = 14 * 60;

export function isCalendarDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR &&
    Number.isInteger(month) && month >= 1 && month <= 12 &&
    Number.isInteger(day) && day >= 1 && day <= daysInMonth(year, month)
  );
}

/** True for a real calendar date written `YYYY-MM-DD` (2024-02-29 yes, 2023-02-29 no). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  return match !== null && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * Canonical UTC instant for `YYYY-MM-DD` (midnight UTC) or an ISO 8601 timestamp
 * with `Z` or a `±HH:MM` offset; `null` when the text is not one.
 */
export function tryNormaliseInstant(value: unknown): IsoInstant | null {
  if (typeof value !== 'string' || value.length > 40) return null;
  if (isIsoDate(value)) return `${value}T00:00:00.000Z`;
  const match = INSTANT_PATTERN.exec(value);
  if (match === null) return null;
  const [, y, mo, d, h, mi, s = '0', fraction = '0', zone] = match;
  if (!isCalendarDate(Number(y), Number(mo), Number(d))) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const offset = offsetMinutes(zone);
  if (offset === null) return null;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), millis);
  const utc = local - offset * 60_000;
  return new Date(utc).toISOString();
}

/** Minutes east of UTC, or null for an offset no place uses (past ±14:00, or 60 minutes or more). */
function offsetMinutes(zone: string): number | null {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (minutes > 59) return null;
  const total = hours * 60 + minutes;
  return total > MAX_OFFSET_MINUTES ? null : sign * total;
}

/** Like tryNormaliseInstant, but throws INVALID_DATE naming the field. */
export function normaliseInstant(value: unknown, field: string): IsoInstant {
  const instant = tryNormaliseInstant(value);
  if (instant === null) {
    throw new DomainError('INVALID_DATE', `${field} must be an ISO 8601 date or UTC timestamp`, { field });
  }
  return instant;
}

/** Throws INVALID_DATE unless the value is a real calendar date `YYYY-MM-DD`. */
export function ensureIsoDate(value: unknown, field: string): IsoDate {
  if (!isIsoDate(value)) {
    throw new DomainError('INVALID_DATE', `${field} must be a calendar date YYYY-MM-DD`, { field });
  }
  return value;
}

/** The UTC calendar date of a canonical instant. */
export function isoDateOf(instant: IsoInstant): IsoDate {
  return instant.slice(0, 10);
}

/** True when `date` lies in [from, until], all calendar dates, both ends inclusive. */
export function isWithinDates(date: IsoDate, from: IsoDate, until: IsoDate): boolean {
  return from <= date && date <= until;
}

/**
 * Adds whole years to a calendar date. 29 February lands on 28 February in a
 * common year, so a term never outlives the years it was granted for.
 */
export function addYearsToDate(date: IsoDate, years: number): IsoDate {
  const [year, month, day] = date.split('-').map(Number);
  const targetYear = year + years;
  const targetDay = Math.min(day, daysInMonth(targetYear, month));
  return `${pad(targetYear, 4)}-${pad(month, 2)}-${pad(targetDay, 2)}`;
}

/** Adds whole years to a canonical instant, keeping the time of day (29 Feb → 28 Feb). */
export function addYearsToInstant(instant: IsoInstant, years: number): IsoInstant {
  const canonical = normaliseInstant(instant, 'instant');
  return addYearsToDate(isoDateOf(canonical), years) + canonical.slice(10);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
