/**
 * Shapes checked at the edge, before the domain sees a request. The domain
 * checks meaning (a real date, a valid CURP); these keep junk (wrong types,
 * megabyte strings, spaces in ids) from getting that far.
 */
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$/;
export const IDENTIFIER_MESSAGE = 'must be 1 to 128 letters, digits, dots, colons, underscores or hyphens';

export const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const CALENDAR_DATE_MESSAGE = 'must be a calendar date YYYY-MM-DD';

/**
 * A date, or a timestamp with a UTC designator or an offset of at most ±14:00
 * (ISO 8601). The shape only: the domain checks that the date is real and
 * within the years it accepts.
 */
export const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-](0\d|1[0-3]):[0-5]\d|[+-]14:00))?$/;
export const INSTANT_MESSAGE = 'must be an ISO 8601 date or timestamp with Z or an offset of at most ±14:00';
