import { Curp, curpCheckDigit } from './curp';
import { buildCurp } from './curp-builder';

describe('CURP construction', () => {
  it('follows the published construction, skipping a leading María and writing Ñ as X', () => {
    const curp = buildCurp({
      givenName: 'María Guadalupe', firstSurname: 'Núñez', secondSurname: 'Peña',
      birthDate: '1985-03-07', sex: 'M', state: 'QR', differentiator: '4',
    });
    // N-U (first internal vowel of NUXEZ), P (Peña), G (Guadalupe); consonants X (NUXEZ), X (PEXA), D (GUADALUPE).
    expect(curp.slice(0, 17)).toBe('NUPG850307MQRXXD4');
    expect(curp[17]).toBe(String(curpCheckDigit(curp.slice(0, 17))));
  });

  it('skips particles of a compound surname (de la Cruz → Cruz), as RENAPO does', () => {
    const curp = buildCurp({ givenName: 'Ana', firstSurname: 'de la Cruz', secondSurname: 'Pérez', birthDate: '1990-05-05', sex: 'M', state: 'CMX' });
    expect(curp.slice(0, 4)).toBe('CUPA');
    expect(curp.slice(11, 13)).toBe('DF');
  });

  it('replaces an inconvenient word at the start', () => {
    const curp = buildCurp({
      givenName: 'Óscar', firstSurname: 'Cuevas', secondSurname: 'López',
      birthDate: '1979-12-01', sex: 'H', state: 'BC',
    });
    expect(curp.slice(0, 4)).toBe('CXLO');
  });

  it('computes the check digit over the 37-symbol alphabet, Ñ included', () => {
    // Sum for 'AAAA000000HDFXXX0' worked by hand: A=10 at weights 18..15 → 660, H=17 at 8 → 136,
    // D=13 at 7 → 91, F=15 at 6 → 90, X=34 at 5,4,3 → 408; total 1385 → (10 − 5) mod 10 = 5.
    expect(curpCheckDigit('AAAA000000HDFXXX0')).toBe(5);
  });
});

describe('built CURPs against the ledger’s own validation', () => {
  it('are all accepted by the domain’s Curp value object', () => {
    const surnames = ['Núñez', 'Cuevas', 'Ek', 'Ávila', 'Ibáñez', 'May'];
    const given = ['María Guadalupe', 'José Luis', 'Óscar', 'Inés', 'Noé', 'Ángel'];
    for (const [i, firstSurname] of surnames.entries()) {
      for (const [j, givenName] of given.entries()) {
        const curp = buildCurp({
          givenName, firstSurname, secondSurname: surnames[(i + j) % surnames.length],
          birthDate: `19${60 + i * 6 + j}-0${1 + j}-1${i}`, sex: j % 2 ? 'H' : 'M', state: ['BC', 'QR', 'DF', 'NE'][j % 4], differentiator: String(i),
        });
        expect(Curp.isValid(curp)).toBe(true);
      }
    }
  });
});
