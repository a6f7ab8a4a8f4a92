import { Curp } from '../shared/curp';
import { makeCurpPerson, makeCurps, makeValidCurp, withWrongCheckDigit } from './curp-fixtures';

describe('CURP fixtures', () => {
  it('build CURPs the way RENAPO does', () => {
    // José is skipped in a compound given name; Ñ becomes X; particles are ignored.
    expect(makeValidCurp({ firstSurname: 'Muñoz', secondSurname: 'Peña', givenName: 'José Luis', birthDate: '1985-07-14', state: 'CMX' })).toBe(
      'MUPL850714HDFXXS06',
    );
    expect(
      makeValidCurp({ firstSurname: 'de la Cruz', givenName: 'María Guadalupe', birthDate: '2003-02-28', sex: 'M', state: 'QR' }),
    ).toBe('CUXG030228MQRRXDA2');
    expect(makeValidCurp({ firstSurname: 'Peña', givenName: 'Ana', birthDate: '1990-01-01', keepEnye: true })).toContain('Ñ');
  });

  it('avoid RENAPO inconvenient words', () => {
    expect(makeValidCurp({ firstSurname: 'Pedraza', secondSurname: 'Domínguez', givenName: 'Octavio', birthDate: '1970-05-05' }).slice(0, 4)).toBe('PXDO');
  });

  it('give thousands of distinct valid CURPs, deterministically', () => {
    const curps = makeCurps(3000);
    expect(new Set(curps).size).toBe(3000);
    expect(curps.every((curp) => Curp.isValid(curp))).toBe(true);
    expect(makeCurpPerson(17)).toEqual(makeCurpPerson(17));
    expect(Curp.violationOf(withWrongCheckDigit(curps[0]))).toBe('CURP_CHECK_DIGIT');
  });
});
