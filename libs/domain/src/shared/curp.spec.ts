import { Curp, curpCheckDigit, CURP_ALPHABET } from './curp';
import { DomainError } from './domain-error';

/** Check digits below were worked out by hand from the published algorithm. */
describe('Curp', () => {
  const valid = 'GODE561231HDFRRN00';

  it('computes the check digit with weights 18..2 over the 0..36 alphabet', () => {
    expect(CURP_ALPHABET.indexOf('Ñ')).toBe(24);
    // B11·18 + A10·17 + D13·16 + D13·15 + 1·14 + 1·13 + 0 + 3·11 + 1·10 + 3·9 + H17·8
    // + C12·7 + M22·6 + L21·5 + N23·4 + S29·3 + 0 = 1504 → (10 − 4) mod 10 = 6
    expect(curpCheckDigit('BADD110313HCMLNS0')).toBe(6);
    // P26·18 + E14·17 + Ñ24·16 + A10·15 + … = 2271 → 9
    expect(curpCheckDigit('PEÑA750615MJCXRR0')).toBe(9);
  });

  it.each([valid, 'BADD110313HCMLNS06', 'PEÑA750615MJCXRR09', 'MUPL850714HDFÑÑS06', 'CUXG030228MQRRXDA2', 'LOOA531113HTCPBN07'])(
    'accepts %s',
    (curp) => expect(Curp.parse(curp).value).toBe(curp),
  );

  it('trims, upper-cases and composes a decomposed Ñ', () => {
    expect(Curp.parse('  pena750615mjcxrr09 '.replace('pena', 'pen\u0303a')).value).toBe('PEÑA750615MJCXRR09');
  });

  it('reads birth date, century, sex and state', () => {
    const curp = Curp.parse('CUXG030228MQRRXDA2');
    expect([curp.birthDate, curp.sex, curp.birthStateCode]).toEqual(['2003-02-28', 'M', 'QR']);
    expect(Curp.parse(valid).birthDate).toBe('1956-12-31');
  });

  it.each([
    ['GODE561231HDFRRN0', 'CURP_LENGTH'],
    ['GODE561231HDFRRN000', 'CURP_LENGTH'],
    ['G0DE561231HDFRRN00', 'CURP_FORMAT'], // digit where a letter goes
    ['GBDE561231HDFRRN00', 'CURP_FORMAT'], // second letter is not a vowel or X
    ['GODE561231ZDFRRN00', 'CURP_FORMAT'], // sex must be H, M or X
    ['GODE561231HDFRAN00', 'CURP_FORMAT'], // a vowel among the internal consonants
    ['GODE561231HDFRRN0A', 'CURP_FORMAT'], // check character must be a digit
    ['GODE561231HZZRRN00', 'CURP_STATE'],
    ['HEGJ990230HBCRRN04', 'CURP_DATE'], // 30 February 1999, check digit otherwise right
    ['HEGJ001301HBCRRN04', 'CURP_DATE'], // month 13
    ['GODE561231HDFRRN01', 'CURP_CHECK_DIGIT'],
    ['PEÑA750615MJCXRR08', 'CURP_CHECK_DIGIT'],
  ])('%s → %s', (input, code) => {
    expect(Curp.violationOf(input)).toBe(code === null ? null : code);
  });

  it('uses the differentiator for the century: 1900 is not a leap year, 2000 is', () => {
    const first17 = 'HEGJ000229HBCRRN0';
    expect(Curp.violationOf(first17 + curpCheckDigit(first17))).toBe('CURP_DATE');
  });

  it('accepts 29 February 2000 (a letter differentiator means the 2000s)', () => {
    const first17 = 'HEGJ000229HBCRRNA';
    expect(Curp.violationOf(first17 + curpCheckDigit(first17))).toBeNull();
  });

  it('accepts NE (born abroad)', () => {
    const abroad = 'SAXJ800101HNEMTH0';
    expect(Curp.parse(abroad + curpCheckDigit(abroad)).birthStateCode).toBe('NE');
  });

  it('throws a validation DomainError naming the rule, without the CURP in the message', () => {
    const error = captured(() => Curp.parse('GODE561231HDFRRN01'));
    expect(error).toBeInstanceOf(DomainError);
    expect([error.code, error.kind, error.details]).toEqual(['CURP_CHECK_DIGIT', 'validation', { field: 'curp' }]);
    expect(error.message).not.toContain('GODE');
    expect(captured(() => Curp.parse(42)).code).toBe('CURP_FORMAT');
  });
});

function captured(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a throw');
}
