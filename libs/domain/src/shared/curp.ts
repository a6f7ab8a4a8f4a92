import { DomainError, type DomainErrorCode } from './domain-error';
import { isCalendarDate, type IsoDate } from './iso-date';
import { CURP_STATE_CODES } from './states';

/** RENAPO's check-digit alphabet: each character is worth its index (0..36); Ñ sits after N. */
export const CURP_ALPHABET = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';

/**
 * RENAPO's published shape, positions 1–18: first letter of the first surname,
 * its first internal vowel (X when none), first letter of the second surname,
 * first letter of the given name; birth date YYMMDD; sex (H, M, or X for
 * non-binary); birth state; the internal consonants of both surnames and the
 * given name; the homonym differentiator; the check digit. Ñ is allowed where a
 * letter is, because older CURPs carry it and the check alphabet values it.
 */
const CURP_PATTERN = /^[A-ZÑ][AEIOUX][A-ZÑ]{2}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-ZÑ]{3}[0-9A-Z]\d$/;

export type CurpSex = 'H' | 'M' | 'X';

/** The check digit (0..9) RENAPO computes over the first 17 characters. */
export function curpCheckDigit(first17: string): number {
  if (first17.length !== 17) throw new RangeError('curpCheckDigit needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = CURP_ALPHABET.indexOf(first17[i]);
    if (value < 0) throw new RangeError(`character at position ${i + 1} is outside the CURP alphabet`);
    sum += value * (18 - i);
  }
  return (10 - (sum % 10)) % 10;
}

/** Trim, compose accents (an Ñ typed as N + combining tilde) and upper-case. */
export function normaliseCurpInput(input: string): string {
  return input.normalize('NFC').trim().toUpperCase();
}

/** The birth date a well-formed CURP encodes; the differentiator says the century. */
function birthDateOf(curp: string): { year: number; month: number; day: number } {
  const century = /\d/.test(curp[16]) ? 1900 : 2000;
  return {
    year: century + Number(curp.slice(4, 6)),
    month: Number(curp.slice(6, 8)),
    day: Number(curp.slice(8, 10)),
  };
}

/** The first rule a normalised candidate breaks, or null when it is a valid CURP. */
function firstViolation(curp: string): { code: DomainErrorCode; message: string } | null {
  if ([...curp].length !== 18) return { code: 'CURP_LENGTH', message: 'a CURP has exactly 18 characters' };
  if (!CURP_PATTERN.test(curp)) return { code: 'CURP_FORMAT', message: 'the CURP does not follow the RENAPO pattern' };
  if (!CURP_STATE_CODES.includes(curp.slice(11, 13))) {
    return { code: 'CURP_STATE', message: 'the CURP names no Mexican state (nor NE, born abroad)' };
  }
  const { year, month, day } = birthDateOf(curp);
  if (!isCalendarDate(year, month, day)) return { code: 'CURP_DATE', message: 'the CURP birth date is not a real date' };
  if (curpCheckDigit(curp.slice(0, 17)) !== Number(curp[17])) {
    return { code: 'CURP_CHECK_DIGIT', message: 'the CURP check digit does not match (typo?)' };
  }
  return null;
}

/**
 * Clave Única de Registro de Población. Personal data: never log it, never put
 * it in a stream name or an error message; identify people by subjectId instead.
 */
export class Curp {
  private constructor(readonly value: string) {}

  /** Normalises and validates; throws a DomainError whose code names the failed rule. */
  static parse(input: unknown, field = 'curp'): Curp {
    if (typeof input !== 'string') {
      throw new DomainError('CURP_FORMAT', 'the CURP must be text', { field });
    }
    const candidate = normaliseCurpInput(input.slice(0, 64));
    const violation = firstViolation(candidate);
    if (violation !== null) throw new DomainError(violation.code, violation.message, { field });
    return new Curp(candidate);
  }

  static isValid(input: unknown): boolean {
    return typeof input === 'string' && firstViolation(normaliseCurpInput(input)) === null;
  }

  /** The code of the first rule the input breaks, or null when valid. */
  static violationOf(input: unknown): DomainErrorCode | null {
    if (typeof input !== 'string') return 'CURP_FORMAT';
    return firstViolation(normaliseCurpInput(input))?.code ?? null;
  }

  get birthDate(): IsoDate {
    const { year, month, day } = birthDateOf(this.value);
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }

  get sex(): CurpSex {
    return this.value[10] as CurpSex;
  }

  /** The CURP state code of birth (`DF` for Mexico City, `NE` for born abroad). */
  get birthStateCode(): string {
    return this.value.slice(11, 13);
  }

  equals(other: Curp): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}
