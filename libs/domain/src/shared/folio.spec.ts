import { DomainError } from './domain-error';
import { Folio, FOLIO_ALPHABET, folioCheckSymbol } from './folio';

/** Deterministic bytes for samples (a linear congruential generator; tests need no randomness). */
function sampleBytes(seed: number): Uint8Array {
  const bytes = new Uint8Array(8);
  let x = seed * 2654435761 + 12345;
  for (let i = 0; i < 8; i += 1) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

function codeOf(input: string): string | null {
  try {
    Folio.parse(input);
    return null;
  } catch (error) {
    return (error as DomainError).code;
  }
}

describe('Folio', () => {
  const sample = Array.from({ length: 200 }, (_, i) => Folio.fromBytes(sampleBytes(i)));

  it('has 12 Crockford symbols and a check symbol, shown XXXX-XXXX-XXXX-C', () => {
    expect(FOLIO_ALPHABET).toHaveLength(32);
    expect(FOLIO_ALPHABET).not.toMatch(/[ILOU]/);
    for (const folio of sample) expect(folio.value).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}-[0-9A-HJKMNP-TV-Z]$/);
  });

  it('takes the first 60 bits of the bytes, most significant first', () => {
    expect(Folio.fromBytes(new Uint8Array(8)).value).toBe('0000-0000-0000-0');
    const allOnes = new Uint8Array(8).fill(0xff);
    expect(Folio.fromBytes(allOnes).compact.slice(0, 12)).toBe('ZZZZZZZZZZZZ');
    // Only the low 4 bits of byte 8 and anything after lie beyond bit 60.
    const extra = Uint8Array.from([...allOnes.slice(0, 7), 0xf0, 1, 2, 3]);
    expect(Folio.fromBytes(extra).value).toBe(Folio.fromBytes(allOnes).value);
    expect(Folio.fromBytes(Uint8Array.from([0b00001_000, 0, 0, 0, 0, 0, 0, 0])).compact.slice(0, 2)).toBe('10');
    expect(() => Folio.fromBytes(new Uint8Array(7))).toThrow(RangeError);
  });

  it('gives distinct folios for distinct samples', () => {
    expect(new Set(sample.map((folio) => folio.value)).size).toBe(sample.length);
  });

  it('parses its own display and compact forms, lower case, and O/I/L confusables', () => {
    const folio = Folio.fromBody('0123456789AB');
    expect(Folio.parse(folio.value).value).toBe(folio.value);
    expect(Folio.parse(folio.compact.toLowerCase()).value).toBe(folio.value);
    expect(Folio.parse(` ${folio.value.replace('0', 'o').replace('1', 'l')} `).value).toBe(folio.value);
    expect(Folio.parse(folio.value.replace('1', 'I')).value).toBe(folio.value);
  });

  it.each([
    ['', 'FOLIO_FORMAT'],
    ['hello', 'FOLIO_FORMAT'],
    ['0123-4567-89AB', 'FOLIO_FORMAT'], // check symbol missing
    ['0123-4567-89AB-CD', 'FOLIO_FORMAT'],
    ['0123-4567-89AU-0', 'FOLIO_FORMAT'], // U is not in the alphabet
    ['0123-4567-89A*-0', 'FOLIO_FORMAT'],
    ['x'.repeat(100), 'FOLIO_FORMAT'],
  ])('rejects %j as %s', (input, code) => {
    expect(codeOf(input)).toBe(code);
  });

  it('rejects a non-string as FOLIO_FORMAT (validation)', () => {
    expect(() => Folio.parse(undefined)).toThrow(expect.objectContaining({ code: 'FOLIO_FORMAT', kind: 'validation' }));
  });

  it('swapping any two different adjacent symbols changes the check, from every interim state', () => {
    // A leading symbol c followed by zeros reaches interim α⁹·c; as c runs over all 32 symbols so
    // does that interim (α is invertible), so this covers every (interim, x, y) triple.
    let triples = 0;
    for (const lead of FOLIO_ALPHABET) {
      for (const x of FOLIO_ALPHABET) {
        for (const y of FOLIO_ALPHABET) {
          if (x === y) continue;
          const prefix = lead + '000000000';
          if (folioCheckSymbol(prefix + x + y) === folioCheckSymbol(prefix + y + x)) {
            throw new Error(`undetected swap ${x}${y} after ${lead}`);
          }
          triples += 1;
        }
      }
    }
    expect(triples).toBe(32 * 32 * 31);
  });

  it('catches every single-symbol substitution, check symbol included (sample of 200 folios)', () => {
    for (const folio of sample) {
      for (let position = 0; position < 13; position += 1) {
        for (const symbol of FOLIO_ALPHABET) {
          if (symbol === folio.compact[position]) continue;
          const typo = folio.compact.slice(0, position) + symbol + folio.compact.slice(position + 1);
          if (codeOf(typo) !== 'FOLIO_CHECK') throw new Error(`missed substitution ${folio.compact} → ${typo}`);
        }
      }
    }
  });

  it('catches every adjacent transposition, check symbol included (sample of 200 folios)', () => {
    let swaps = 0;
    for (const folio of sample) {
      for (let position = 0; position < 12; position += 1) {
        const [a, b] = [folio.compact[position], folio.compact[position + 1]];
        if (a === b) continue;
        const typo = folio.compact.slice(0, position) + b + a + folio.compact.slice(position + 2);
        if (codeOf(typo) !== 'FOLIO_CHECK') throw new Error(`missed transposition ${folio.compact} → ${typo}`);
        swaps += 1;
      }
    }
    expect(swaps).toBeGreaterThan(2000);
  });

  it('catches the 0V ↔ V0 swap that Luhn mod 32 would miss', () => {
    const folio = Folio.fromBody('0V0000000000');
    expect(codeOf('V0' + folio.compact.slice(2))).toBe('FOLIO_CHECK');
  });
});
