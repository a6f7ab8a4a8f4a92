import { buildCurp, type CurpParts } from '../shared/curp-builder';

/** The domain's CURP builder, under the name the tests know it by. */
export const makeValidCurp: (parts: CurpParts) => string = buildCurp;
export type { CurpParts };

/** Replaces the check digit with a wrong one: a CURP with a typo in its last character. */
export function withWrongCheckDigit(curp: string): string {
  return curp.slice(0, 17) + String((Number(curp[17]) + 1) % 10);
}

const SURNAMES = (
  'HERNANDEZ GARCIA MARTINEZ LOPEZ GONZALEZ RODRIGUEZ PEREZ SANCHEZ RAMIREZ CRUZ FLORES GOMEZ MORALES ' +
  'VAZQUEZ REYES JIMENEZ TORRES DIAZ GUTIERREZ RUIZ MENDOZA AGUILAR ORTIZ CASTILLO MUÑOZ'
).split(' ');
const GIVEN_NAMES = (
  'JUAN GUADALUPE FRANCISCO ROSA ALEJANDRO VERONICA ROBERTO PATRICIA MIGUEL LETICIA ' +
  'ARTURO ADRIANA FERNANDO ELENA RICARDO SILVIA JAVIER CLAUDIA SERGIO GABRIELA'
).split(' ');
const DAYS_IN_SERIES = 14_600;
const MS_PER_DAY = 86_400_000;

/** A realistic person for index `index`: distinct indexes (below 146,000) give distinct CURPs. */
export function makeCurpPerson(index: number, state = 'BC'): { curp: string; fullName: string } {
  if (!Number.isInteger(index) || index < 0 || index >= DAYS_IN_SERIES * 10) throw new RangeError('index out of range');
  const firstSurname = SURNAMES[index % SURNAMES.length];
  const secondSurname = SURNAMES[Math.floor(index / SURNAMES.length) % SURNAMES.length];
  const givenName = GIVEN_NAMES[index % GIVEN_NAMES.length];
  // The birth date and differentiator alone make the CURP unique: 1950-01-01 plus up to 40 years.
  const birthDate = new Date(Date.UTC(1950, 0, 1) + (index % DAYS_IN_SERIES) * MS_PER_DAY).toISOString().slice(0, 10);
  const differentiator = String(Math.floor(index / DAYS_IN_SERIES));
  const sex = index % 2 === 0 ? 'M' : 'H';
  const curp = makeValidCurp({ firstSurname, secondSurname, givenName, birthDate, sex, state, differentiator });
  return { curp, fullName: `${givenName} ${firstSurname} ${secondSurname}` };
}

/** `count` distinct valid CURPs, deterministic for the same arguments. */
export function makeCurps(count: number, state = 'BC'): string[] {
  return Array.from({ length: count }, (_, index) => makeCurpPerson(index, state).curp);
}
