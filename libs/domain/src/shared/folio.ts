import { DomainError } from './domain-error';

/** Crockford base32: digits and letters minus I, L, O (read as 1, 1, 0) and U (avoids accidental words). */
export const FOLIO_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const FOLIO_BODY_LENGTH = 12;
/** 12 symbols × 5 bits: the app's HMAC bytes must supply at least this many bits. */
export const FOLIO_BODY_BITS = FOLIO_BODY_LENGTH * 5;

/** Longest input worth looking at; anything longer is not a folio, typo or not. */
const MAX_INPUT_LENGTH = 64;
const CONFUSABLES: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };

/**
 * Multiplies by α in GF(32) built on the primitive polynomial x⁵ + x² + 1.
 * The check scheme below is Damm's algorithm on the quasigroup x∘y = αx ⊕ y:
 * (c∘x)∘y = α²c ⊕ αx ⊕ y equals (c∘y)∘x only when (α ⊕ 1)(x ⊕ y) = 0, that is
 * x = y, so every adjacent transposition changes the result; and y ↦ αs ⊕ y and
 * s ↦ αs ⊕ y are bijections, so every single substitution does too. Luhn mod 32
 * was rejected: like Luhn mod 10 with 09↔90, it misses the swap 0V↔V0.
 */
function timesAlpha(value: number): number {
  const shifted = value << 1;
  return shifted & 0b100000 ? shifted ^ 0b100101 : shifted;
}

function dammStep(interim: number, symbolValue: number): number {
  return timesAlpha(interim) ^ symbolValue;
}

function symbolValues(symbols: string): number[] {
  return [...symbols].map((symbol) => {
    const value = FOLIO_ALPHABET.indexOf(symbol);
    if (value < 0) throw new RangeError('symbol outside the folio alphabet');
    return value;
  });
}

/** The check symbol for a body of alphabet symbols: the one that brings Damm's interim back to 0. */
export function folioCheckSymbol(body: string): string {
  const interim = symbolValues(body).reduce(dammStep, 0);
  return FOLIO_ALPHABET[timesAlpha(interim)];
}

/** True when body + check symbol fold to 0 under Damm's algorithm. */
export function isFolioCheckValid(compact: string): boolean {
  return symbolValues(compact).reduce(dammStep, 0) === 0;
}

/** Upper-case, drop hyphens and spaces, read O as 0 and I/L as 1, as Crockford prescribes. */
function canonicalSymbols(input: string): string {
  return [...input.toUpperCase().replace(/[-\s]/g, '')].map((c) => CONFUSABLES[c] ?? c).join('');
}

/**
 * A certificate's public folio, displayed `XXXX-XXXX-XXXX-C`. The body is 60
 * bits derived by the app from HMAC(secret, processId:attempt), so folios are
 * unique with overwhelming probability (the folio stream settles the rest) and
 * one folio tells nothing about another: the public registry cannot be walked.
 */
export class Folio {
  private constructor(readonly compact: string) {}

  /** Accepts lower case, missing or extra hyphens, and O/I/L for 0/1. */
  static parse(input: unknown, field = 'folio'): Folio {
    if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) {
      throw new DomainError('FOLIO_FORMAT', 'not a certificate folio', { field });
    }
    const symbols = canonicalSymbols(input.trim());
    const wellFormed =
      symbols.length === FOLIO_BODY_LENGTH + 1 && [...symbols].every((c) => FOLIO_ALPHABET.includes(c));
    if (!wellFormed) throw new DomainError('FOLIO_FORMAT', 'not a certificate folio', { field });
    if (!isFolioCheckValid(symbols)) {
      throw new DomainError('FOLIO_CHECK', 'the folio check character does not match (typo?)', { field });
    }
    return new Folio(symbols);
  }

  static isValid(input: unknown): boolean {
    try {
      Folio.parse(input);
      return true;
    } catch {
      return false;
    }
  }

  /** Builds a folio from the first 60 bits of the given bytes (at least 8 bytes). */
  static fromBytes(bytes: Uint8Array): Folio {
    if (bytes.length * 8 < FOLIO_BODY_BITS) {
      throw new RangeError(`a folio needs at least ${Math.ceil(FOLIO_BODY_BITS / 8)} bytes`);
    }
    let body = '';
    for (let symbol = 0; symbol < FOLIO_BODY_LENGTH; symbol += 1) {
      body += FOLIO_ALPHABET[readBits(bytes, symbol * 5, 5)];
    }
    return Folio.fromBody(body);
  }

  /** Appends the check symbol to 12 alphabet symbols. */
  static fromBody(body: string): Folio {
    if (body.length !== FOLIO_BODY_LENGTH) throw new RangeError('a folio body has 12 symbols');
    return new Folio(body + folioCheckSymbol(body));
  }

  /** `XXXX-XXXX-XXXX-C`: the form stored in events, stream names and printed certificates. */
  get value(): string {
    const c = this.compact;
    return `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8, 12)}-${c.slice(12)}`;
  }

  equals(other: Folio): boolean {
    return this.compact === other.compact;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}

/** Reads `count` bits starting at bit `offset` (most significant bit first). */
function readBits(bytes: Uint8Array, offset: number, count: number): number {
  let value = 0;
  for (let bit = offset; bit < offset + count; bit += 1) {
    value = (value << 1) | ((bytes[bit >> 3] >> (7 - (bit & 7))) & 1);
  }
  return value;
}
