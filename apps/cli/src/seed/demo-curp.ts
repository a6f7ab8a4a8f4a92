/**
 * Builds the CURP that RENAPO would assign to a demo person, following the
 * published construction: initials and internal consonants of the surnames and
 * given name (accents dropped, Ñ written as X), birth date, sex, state of birth,
 * a homonym differentiator and the check digit. The ledger validates every CURP
 * it receives, so a mistake here shows up as a rejected enrollment.
 */
export interface CurpParts {
  givenName: string;
  firstSurname: string;
  secondSurname?: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'H' | 'M';
  /** Two-letter state code as used in CURPs (BC, QR, DF, NE for born abroad…). */
  birthState: string;
  /** 0..9 for births before 2000; 0..25 (A..Z) after. */
  differentiator: number;
}

const CHECK_ALPHABET = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';
const VOWELS = 'AEIOU';
/** Given names that are skipped when another follows (María Guadalupe → Guadalupe). */
const COMMON_FIRST_NAMES = new Set(['MARIA', 'MA', 'MA.', 'JOSE', 'J', 'J.']);
/** Four-letter words RENAPO does not allow at the start of a CURP; the second letter becomes X. */
const INCONVENIENT_WORDS = new Set(
  ('BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA CULO FALO FETO GETA GUEI GUEY ' +
    'JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI KOJO KOLA KULO LILO LOCA LOCO LOKA LOKO MAME MAMO ' +
    'MEAR MEAS MEON MIAR MION MOCO MOKO MULA MULO NACA NACO PEDA PEDO PENE PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ' +
    'ROBO RUIN SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI WUEY').split(' '),
);

function normalise(word: string): string {
  return word
    .toUpperCase()
    .replace(/Ñ/g, 'X')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Z ]/g, '');
}

function firstInternal(word: string, wanted: (c: string) => boolean): string {
  for (const c of word.slice(1)) if (wanted(c)) return c;
  return 'X';
}

const isVowel = (c: string) => VOWELS.includes(c);
const isConsonant = (c: string) => c >= 'A' && c <= 'Z' && !isVowel(c);

function usedGivenName(givenName: string): string {
  const names = normalise(givenName).split(' ').filter(Boolean);
  return names.length > 1 && COMMON_FIRST_NAMES.has(names[0]) ? names[1] : names[0];
}

export function curpCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHECK_ALPHABET.indexOf(first17[i]) * (18 - i);
  return String((10 - (sum % 10)) % 10);
}

export function buildCurp(parts: CurpParts): string {
  const first = normalise(parts.firstSurname).replace(/ /g, '');
  const second = parts.secondSurname ? normalise(parts.secondSurname).replace(/ /g, '') : '';
  const given = usedGivenName(parts.givenName);
  let initials = first[0] + firstInternal(first, isVowel) + (second[0] ?? 'X') + given[0];
  if (INCONVENIENT_WORDS.has(initials)) initials = initials[0] + 'X' + initials.slice(2);
  const [year, month, day] = parts.birthDate.split('-');
  const differentiator = Number(year) < 2000 ? String(parts.differentiator % 10) : String.fromCharCode(65 + (parts.differentiator % 26));
  const body =
    initials + year.slice(2) + month + day + parts.sex + parts.birthState +
    firstInternal(first, isConsonant) + (second ? firstInternal(second, isConsonant) : 'X') + firstInternal(given, isConsonant) +
    differentiator;
  return body + curpCheckDigit(body);
}
