import { CURP_STATE_CODES, findState } from './states';
import { curpCheckDigit } from './curp';

/**
 * Builds the CURP RENAPO would assign from a person's name, birth date, sex
 * and state (the published construction: initials and internal consonants of
 * the surnames and given name, particles and a leading José or María skipped,
 * accents dropped, Ñ written as X, inconvenient words defused, the homonym
 * differentiator and the check digit), so that demo data and tests look like
 * real people without being anyone. The ledger validates every CURP it
 * receives (curp.ts), so a mistake here shows as a refused enrollment. Names
 * beginning with "CH" or "LL" get no special handling: RENAPO stopped giving it.
 */
export interface CurpParts {
  firstSurname: string;
  /** Empty or absent when the person has one surname: RENAPO writes X. */
  secondSurname?: string;
  givenName: string;
  /** `YYYY-MM-DD`, 1900-01-01 … 2099-12-31. */
  birthDate: string;
  sex?: 'H' | 'M' | 'X';
  /** A CURP state code (`DF`, `BC`, `NE`) or a jurisdiction code (`CMX`). Default `DF`. */
  state?: string;
  /** Homonym differentiator; default `0` before 2000 and `A` from 2000. */
  differentiator?: string;
  /** Keep Ñ instead of writing X as RENAPO does today (older CURPs carry Ñ). */
  keepEnye?: boolean;
}

const PARTICLES = new Set('DA DAS DE DEL DER DI DIE DD EL LA LOS LAS LE LES MAC MC VAN VON Y'.split(' '));
const COMMON_FIRST_NAMES = new Set(['JOSE', 'J', 'MARIA', 'MA', 'M']);
/** RENAPO's words that must not appear in positions 1–4; the second letter becomes X. */
const INCONVENIENT_WORDS = new Set(
  ('BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA CULO FALO FETO ' +
    'GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI KOJO KOLA KULO LILO ' +
    'LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA MULO NACA NACO PEDA PEDO PENE ' +
    'PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI WUEY').split(' '),
);

function cleanWords(text: string, keepEnye: boolean): string[] {
  // Accents go (Á → A, Ü → U) but Ñ is a letter of its own: RENAPO writes X for it today.
  const plain = [...text.normalize('NFC').toUpperCase()]
    .map((c) => (c === 'Ñ' ? (keepEnye ? 'Ñ' : 'X') : c.normalize('NFD').replace(/[\u0300-\u036f]/g, '')))
    .join('');
  return plain.replace(/[^A-ZÑ ]/g, ' ').split(/\s+/).filter((word) => word !== '');
}

function significantWord(text: string, keepEnye: boolean, skipCommonFirst: boolean): string {
  const words = cleanWords(text, keepEnye).filter((word) => !PARTICLES.has(word));
  if (skipCommonFirst && words.length > 1 && COMMON_FIRST_NAMES.has(words[0])) return words[1];
  return words[0] ?? '';
}

const firstInternal = (word: string, pattern: RegExp): string =>
  [...word.slice(1)].find((c) => pattern.test(c)) ?? 'X';

const VOWEL = /[AEIOU]/;
const CONSONANT = /[B-DF-HJ-NP-TV-ZÑ]/;

function stateCodeFor(state: string): string {
  const upper = state.toUpperCase();
  if (CURP_STATE_CODES.includes(upper)) return upper;
  const found = findState(upper);
  if (found === undefined) throw new RangeError(`unknown state ${state}`);
  return found.curpCode;
}

/** A CURP that passes every check, check digit included. */
export function buildCurp(parts: CurpParts): string {
  const keep = parts.keepEnye ?? false;
  const first = significantWord(parts.firstSurname, keep, false);
  const second = significantWord(parts.secondSurname ?? '', keep, false);
  const given = significantWord(parts.givenName, keep, true);
  if (first === '' || given === '') throw new RangeError('first surname and given name are required');
  let initials = first[0] + firstInternal(first, VOWEL) + (second[0] ?? 'X') + given[0];
  if (INCONVENIENT_WORDS.has(initials)) initials = initials[0] + 'X' + initials.slice(2);
  const [year, month, day] = parts.birthDate.split('-');
  const differentiator = parts.differentiator ?? (Number(year) < 2000 ? '0' : 'A');
  const consonants =
    firstInternal(first, CONSONANT) + (second === '' ? 'X' : firstInternal(second, CONSONANT)) + firstInternal(given, CONSONANT);
  const birth = year.slice(2) + month + day;
  const first17 = initials + birth + (parts.sex ?? 'H') + stateCodeFor(parts.state ?? 'DF') + consonants + differentiator;
  return first17 + String(curpCheckDigit(first17));
}
