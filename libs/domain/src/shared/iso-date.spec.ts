import {
  addYearsToDate,
  addYearsToInstant,
  isIsoDate,
  isoDateOf,
  isWithinDates,
  normaliseInstant,
  tryNormaliseInstant,
} from './iso-date';

describe('ISO date helpers', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2000-02-29', true],
    ['2024-04-31', false],
    ['2024-12-31', true],
    ['2024-13-01', false],
    ['2024-1-01', false],
    ['2024-01-01T00:00:00Z', false],
  ])('isIsoDate(%s) is %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it('normalises instants to UTC with milliseconds so they sort as strings', () => {
    expect(tryNormaliseInstant('2024-03-01')).toBe('2024-03-01T00:00:00.000Z');
    expect(tryNormaliseInstant('2024-03-01T10:00Z')).toBe('2024-03-01T10:00:00.000Z');
    expect(tryNormaliseInstant('2024-03-01T10:00:00Z')).toBe('2024-03-01T10:00:00.000Z');
    expect(tryNormaliseInstant('2024-03-01T10:00:00.123456Z')).toBe('2024-03-01T10:00:00.123Z');
    expect(tryNormaliseInstant('2024-03-01T01:00:00-06:00')).toBe('2024-03-01T07:00:00.000Z');
    expect(tryNormaliseInstant('2024-03-01T01:00:00+02:00')).toBe('2024-02-29T23:00:00.000Z');
  });

  it('accepts the years 1900 to 2999 and offsets up to ±14:00', () => {
    expect(isIsoDate('1900-01-01')).toBe(true);
    expect(isIsoDate('2999-12-31')).toBe(true);
    expect(tryNormaliseInstant('2999-12-31T23:59:59-14:00')).toBe('3000-01-01T13:59:59.000Z');
    expect(tryNormaliseInstant('2024-03-01T10:00:00+14:00')).toBe('2024-02-29T20:00:00.000Z');
    expect(tryNormaliseInstant('2024-03-01T10:00:00-12:00')).toBe('2024-03-01T22:00:00.000Z');
  });

  it.each(['1899-12-31', '3000-01-01', '9999-12-31', '0001-01-01'])('refuses the date %s, outside 1900 to 2999', (value) => {
    expect(isIsoDate(value)).toBe(false);
    expect(tryNormaliseInstant(value)).toBeNull();
    expect(tryNormaliseInstant(`${value}T00:00:00Z`)).toBeNull();
  });

  it.each(['+25:00', '+14:01', '-14:30', '+15:00', '+05:60', '+99:99'])('refuses the UTC offset %s', (offset) => {
    expect(tryNormaliseInstant(`2024-03-01T10:00:00${offset}`)).toBeNull();
  });

  it.each(['2024-02-30T00:00:00Z', '2024-03-01T24:00:00Z', '2024-03-01 10:00', 'yesterday', '', 17])(
    'refuses %j',
    (value) => {
      expect(tryNormaliseInstant(value)).toBeNull();
      expect(() => normaliseInstant(value, 'evaluatedAt')).toThrow(
        expect.objectContaining({ code: 'INVALID_DATE', details: { field: 'evaluatedAt' } }),
      );
    },
  );

  it('adds years, moving 29 February to 28 February in a common year', () => {
    expect(addYearsToDate('2024-02-29', 5)).toBe('2029-02-28');
    expect(addYearsToDate('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYearsToDate('2018-11-13', 5)).toBe('2023-11-13');
    expect(addYearsToInstant('2024-02-29T18:30:00Z', 1)).toBe('2025-02-28T18:30:00.000Z');
    expect(addYearsToInstant('2018-11-13T17:00:00.000Z', 5)).toBe('2023-11-13T17:00:00.000Z');
  });

  it('compares calendar dates inclusively', () => {
    expect(isoDateOf('2024-03-01T23:59:59.999Z')).toBe('2024-03-01');
    expect(isWithinDates('2024-01-01', '2024-01-01', '2024-12-31')).toBe(true);
    expect(isWithinDates('2024-12-31', '2024-01-01', '2024-12-31')).toBe(true);
    expect(isWithinDates('2025-01-01', '2024-01-01', '2024-12-31')).toBe(false);
    expect(isWithinDates('2023-12-31', '2024-01-01', '2024-12-31')).toBe(false);
  });
});
