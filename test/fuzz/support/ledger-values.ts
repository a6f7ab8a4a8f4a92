import fc from 'fast-check';
import { makeCurpPerson } from '@ledger/domain/testing';
import { fine, malformed, type Drawn } from './hostile-values';
import { cleanText } from './schema-values';

/**
 * What the OpenAPI document does not (yet) say about a value, and the
 * ledger's domain does: a CURP has a check digit, `*At` fields are instants
 * within years 1900 to 2999, positions are decimal integers below 2^63, a
 * process id names a process that exists. Keyed by parameter or property
 * name; the generators use a hint where there is one, the schema otherwise.
 */
export interface Hint {
  readonly valid: fc.Arbitrary<unknown>;
  /** Edges of the domain's ranges; those past them are marked. */
  readonly boundary?: fc.Arbitrary<Drawn<unknown>>;
  /** Read leniently: whitespace around the value is trimmed (a folio, typed by a person). */
  readonly trimmed?: boolean;
}

/**
 * Markers stand for what exists only once the ledger runs (ids it generated,
 * tokens signed with its key, the head of its log); they are replaced just
 * before a request is sent, so a generated request reads the same whatever
 * run it comes from, and replays.
 */
export type FixturePool = 'processId' | 'folio' | 'subjectId' | 'evaluatorId';
export const fixture = (pool: FixturePool, index: number): string => `⟦${pool}#${index}⟧`;
export const token = (name: string): string => `⟦token:${name}⟧`;
/** A position relative to the head of the log when the request is sent (never below 0). */
export const head = (offset: number): string => `⟦head${offset < 0 ? '' : '+'}${offset}⟧`;

const pick = (pool: FixturePool) => fc.nat({ max: 63 }).map((index) => fixture(pool, index));

const oneOf = (values: readonly Drawn<unknown>[]) => fc.constantFrom(...values);
const ok = (values: readonly unknown[]) => values.map((value) => fine(value));
const bad = (values: readonly unknown[], why: string) => values.map((value) => malformed(value, why));

export const PROVIDERS = ['ECE322-18', 'OC-017-20', 'CECATI-149'];
export const STANDARDS = ['EC0105', 'EC0217'];
export const STATES = ['BC', 'QR', 'CMX', 'SR'];

/** CURPs of people the reference data does not hold: index from 50,000 (ledger-client's people start at 1,000). */
const person = fc.tuple(fc.nat({ max: 80_000 }), fc.constantFrom(...STATES)).map(([index, state]) => makeCurpPerson(50_000 + index, state));

export const CALENDAR_DATES_VALID = ['1900-01-01', '2999-12-31', '2000-02-29', '2020-02-29', '2018-01-01', '2030-12-31'];
export const CALENDAR_DATES_INVALID = [
  '1899-12-31', '3000-01-01', '1900-02-29', '2019-02-29', '2100-02-29', '2018-13-01', '2018-00-10', '2018-01-00', '2018-04-31',
  '9999-12-31', '0000-01-01', '20181101', '2018-1-1', '+02018-01-01', ' 2018-01-01', '2018-01-01 ', 'yesterday',
];
export const INSTANTS_VALID = [
  '1900-01-01T00:00:00Z', '2999-12-31T23:59:59Z', '2020-02-29T12:00:00Z', '2018-11-01T16:00:00+14:00', '2018-11-01T16:00:00-14:00',
  '2018-11-01T16:00:00.123456789Z', '2018-11-01T16:00Z', '2018-11-01', '1900-01-01T00:00:00+14:00', '2999-12-31T23:59:59-14:00',
];
export const INSTANTS_INVALID = [
  '2018-11-01T16:00:00+14:01', '2018-11-01T16:00:00-14:01', '2018-11-01T16:00:00+15:00', '2018-11-01T16:00:00+25:00', '2018-11-01T16:00:00+05:60',
  '2018-11-01T24:00:00Z', '2018-11-01T23:60:00Z', '2018-11-01T23:59:60Z', '2018-11-01T16:00:00', '2018-11-01T16:00:00.1234567890Z',
  '2018-11-01 16:00:00Z', '2018-11-01t16:00:00z', '1899-12-31T23:59:59Z', '3000-01-01T00:00:00Z', '2019-02-29T00:00:00Z', '9999-12-31T23:59:59Z',
  '2018-11-01T16:00:00+1400', '2018-11-01T16Z', '+002018-11-01T16:00:00Z', 'now', '1541088000', `2018-11-01T16:00:00.${'0'.repeat(40)}Z`,
];

/** A past instant the reference data's accreditations cover (2018 to 2030). */
const pastInstant = fc.date({ min: new Date('2018-01-02T00:00:00Z'), max: new Date('2024-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
const calendarDate = fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

const instantHint: Hint = {
  valid: fc.oneof({ weight: 3, arbitrary: pastInstant }, fc.constantFrom('2018-11-13T18:00:00Z', '2018-11-01T16:00:00Z', '2018-10-20T18:00:00Z')),
  boundary: oneOf([...ok(INSTANTS_VALID), ...bad(INSTANTS_INVALID, 'not an instant within years 1900 to 2999 and offsets of ±14:00'), ...bad([...CALENDAR_DATES_INVALID.slice(0, 10)], 'not a real date')]),
};
const dateBetween = (min: string, max: string) =>
  fc.date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const calendarDateBoundary = oneOf([...ok(CALENDAR_DATES_VALID), ...bad(CALENDAR_DATES_INVALID, 'not a real calendar date within years 1900 to 2999')]);
/** Periods that start before the reference data's business dates and end after them, mostly. */
const periodStartHint: Hint = { valid: fc.oneof(dateBetween('2010-01-01', '2018-01-01'), calendarDate), boundary: calendarDateBoundary };
const periodEndHint: Hint = { valid: fc.oneof(dateBetween('2026-01-01', '2040-12-31'), calendarDate), boundary: calendarDateBoundary };
/** Query filters take a date or an instant. */
const dateOrInstantHint: Hint = {
  valid: fc.oneof(calendarDate, pastInstant),
  boundary: oneOf([
    ...ok([...CALENDAR_DATES_VALID, ...INSTANTS_VALID]),
    ...bad([...CALENDAR_DATES_INVALID, ...INSTANTS_INVALID], 'not a real date or instant within years 1900 to 2999 and offsets of ±14:00'),
  ]),
};

export const MAX_POSITION = '9223372036854775807';
/** Positions past the head: well-formed, so waiting for them in vain (503 PROJECTION_LAG) is a fair answer. */
export const POSITIONS_AHEAD = [head(1), head(1_000), '9007199254740992', '9007199254740993', MAX_POSITION];
export const POSITIONS_INVALID = [
  '9223372036854775808', '18446744073709551616', '99999999999999999999', '-1', '-0', '00', '01', ' 1', '1 ', '+1', '1e3', '0x10', '1.0',
  '1_000', '١', '１', 'abc', '', '9'.repeat(1_000), 'null', '[]',
];
const positionHint: Hint = {
  valid: fc.constantFrom(head(0), head(0), head(-1), head(-5), '0'),
  // Positions ahead make the query wait for the read models (a few seconds): rare, so runs stay short.
  boundary: fc.oneof(
    { weight: 12, arbitrary: oneOf(bad(POSITIONS_INVALID, 'not a position: a decimal integer from 0 to 2^63 - 1')) },
    { weight: 6, arbitrary: oneOf(ok(POSITIONS_AHEAD)) },
  ),
};

export const PAGE_SIZES_INVALID = ['0', '501', '-1', '05', ' 5', '5 ', '+5', '1e2', '0x10', '5.0', '', 'abc', '9007199254740993', '1,5'];
const pageSizeHint: Hint = {
  valid: fc.oneof(fc.integer({ min: 1, max: 500 }).map(String), fc.constantFrom('1', '500')),
  boundary: oneOf([...ok(['1', '500']), ...bad(PAGE_SIZES_INVALID, 'not a page size: a decimal integer from 1 to 500')]),
};

export const cursorAfter = (after: unknown): string => Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64url');
const cursorHint: Hint = {
  valid: fc.constantFrom('', cursorAfter('0'), cursorAfter('3'), cursorAfter(MAX_POSITION)),
  boundary: oneOf([
    ...ok([cursorAfter('1'), Buffer.from('{"after":"1","extra":true}').toString('base64url')]),
    ...bad(
      [cursorAfter('9223372036854775808'), cursorAfter('-1'), cursorAfter('01'), cursorAfter(5), cursorAfter(null), Buffer.from('null').toString('base64url'), 'not-a-cursor!', 'a'.repeat(201)],
      'not a cursor the ledger returned',
    ),
  ]),
};

export const GROUP_BY_DIMENSIONS = ['state', 'municipality', 'agency', 'standard', 'provider', 'employment', 'month'];
const groupByHint: Hint = {
  valid: fc.uniqueArray(fc.constantFrom(...GROUP_BY_DIMENSIONS), { minLength: 1, maxLength: 3 }).map((dimensions) => dimensions.join(',')),
  boundary: oneOf([...ok([GROUP_BY_DIMENSIONS.join(',')]), ...bad(['salary', 'STATE', 'state;month', 'state, month', 'a'.repeat(101)], 'not a list of dimensions')]),
};

const textHint = (examples: readonly string[]): Hint => ({ valid: fc.oneof(fc.constantFrom(...examples), cleanText(30)) });
const identifierHint = (examples: readonly string[]): Hint => ({
  // The first example is the one the reference data's tokens act for.
  valid: fc.oneof({ weight: 4, arbitrary: fc.constant(examples[0]) }, { weight: 2, arbitrary: fc.constantFrom(...examples) }, fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/)),
  boundary: oneOf([...ok(['a', 'A'.repeat(128)]), ...bad(['A'.repeat(129), '-leading', '.', 'with space', 'ü'], 'not an identifier')]),
});

const HINTS: Readonly<Record<string, Hint>> = {
  // Path parameters: mostly what exists, so the deeper checks run.
  processId: { valid: fc.oneof({ weight: 4, arbitrary: pick('processId') }, fc.uuid({ version: 4 })) },
  folio: {
    trimmed: true,
    valid: fc.oneof({ weight: 4, arbitrary: pick('folio') }, fc.constantFrom('7K3M-9QXD-2HBT-B')),
    boundary: oneOf([...ok(['7k3m9qxd2hbtb', '7K3M9QXD2HBTB']), ...bad(['7K3M-9QXD-2HBT-C', '', '-', 'X'.repeat(64), 'X'.repeat(65)], 'not a folio')]),
  },
  subjectId: { valid: fc.oneof({ weight: 4, arbitrary: pick('subjectId') }, fc.stringMatching(/^[0-9a-f]{64}$/)), boundary: oneOf(bad(['A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65)], 'not a subject id')) },
  evaluatorId: identifierHint(['eval-0007', 'eval-0099']),
  // Body fields.
  curp: { valid: person.map((p) => p.curp), boundary: oneOf(ok(['BADD110313HCMLNS09', 'bacd110313hcmlns09'])) },
  fullName: { valid: fc.oneof(person.map((p) => p.fullName), cleanText(60)) },
  providerId: identifierHint(PROVIDERS),
  parentProviderId: identifierHint(PROVIDERS),
  // Free text (up to 64 characters), not an identifier, though it often looks like one.
  accreditationCode: textHint(PROVIDERS),
  trainerId: identifierHint(['trainer-17']),
  standardCode: { valid: fc.constantFrom(...STANDARDS), boundary: oneOf(ok(['ec0105', ' EC0105 ', 'EC105', 'EC01050'])) },
  code: { valid: fc.oneof(fc.constantFrom(...STANDARDS), fc.integer({ min: 0, max: 9_999 }).map((n) => `EC${String(n).padStart(4, '0')}`)) },
  version: { valid: fc.constantFrom('01', '02', '10') },
  standards: { valid: fc.uniqueArray(fc.constantFrom(...STANDARDS), { minLength: 1, maxLength: 2 }) },
  processIds: { valid: fc.array(fc.oneof({ weight: 4, arbitrary: pick('processId') }, fc.uuid({ version: 4 })), { minLength: 1, maxLength: 4 }) },
  state: { valid: fc.constantFrom(...STATES) },
  municipality: textHint(['Tijuana', 'Mexicali', 'Benito Juárez']),
  agency: textHint(['Secretaría de Hacienda', 'Ayuntamiento de Tijuana']),
  evidenceDigest: {
    valid: fc.stringMatching(/^sha256:[0-9a-f]{64}$/),
    boundary: oneOf([...ok([`SHA256:${'AB'.repeat(32)}`]), ...bad([`sha256:${'ab'.repeat(31)}`, `sha256:${'zz'.repeat(32)}`, `md5:${'ab'.repeat(16)}`], 'not a sha256 digest')]),
  },
  credentialFolio: { valid: fc.integer({ min: 0, max: 999_999 }).map((n) => `CED-2018-${String(n).padStart(6, '0')}`) },
  validFrom: periodStartHint,
  validUntil: periodEndHint,
  enrolledAt: instantHint,
  completedAt: instantHint,
  evaluatedAt: instantHint,
  issuedAt: instantHint,
  revokedAt: instantHint,
  // Query parameters.
  minPosition: positionHint,
  atPosition: positionHint,
  limit: pageSizeHint,
  cursor: cursorHint,
  groupBy: groupByHint,
  standard: textHint(STANDARDS),
  issuedFrom: dateOrInstantHint,
  issuedTo: dateOrInstantHint,
  from: dateOrInstantHint,
  to: dateOrInstantHint,
  asOf: dateOrInstantHint,
  on: dateOrInstantHint,
  actorId: textHint(['certifier-1', 'registrar-1', 'conocer-admin']),
  organizationId: textHint(PROVIDERS),
  type: textHint(['CertificateIssued', 'CandidateEnrolled']),
};

/** Roles of the routes whose summary names none (API.md's tables): so that their valid requests come with a fitting token. */
const ROLES_BY_OPERATION: Readonly<Record<string, readonly string[]>> = {
  revokeEvaluatorAccreditation: ['certifier', 'authority'],
  issueCertificates: ['certifier'],
};

export function rolesHintFor(operationId: string): readonly string[] {
  return ROLES_BY_OPERATION[operationId] ?? [];
}

/** Query filters are text (1 to 200 characters, no control characters), whatever shape the ids they filter by have. */
const QUERY_HINTS: Readonly<Record<string, Hint>> = {
  evaluatorId: textHint(['eval-0007', 'eval-0099']),
  providerId: textHint(PROVIDERS),
};

export function hintFor(name: string, place: 'path' | 'query' | 'body'): Hint | undefined {
  const own = (table: Readonly<Record<string, Hint>>) => (Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined);
  return (place === 'query' ? own(QUERY_HINTS) : undefined) ?? own(HINTS);
}
