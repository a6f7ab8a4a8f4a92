import { DOMAIN_ERROR_CODES, DOMAIN_ERRORS, DomainError, isDomainError } from './domain-error';
import { parseEvidenceDigest, isEvidenceDigest } from './evidence-digest';
import { parseStandardCode, parseStandardVersion } from './standard-code';
import { CURP_STATE_CODES, findState, MEXICAN_STATES, parseStateCode, STATE_NAMES } from './states';

describe('StandardCode', () => {
  it('accepts EC + 4 digits, trimmed and upper-cased', () => {
    expect(parseStandardCode(' ec0105 ')).toBe('EC0105');
    expect(parseStandardVersion('01')).toBe('01');
  });

  it.each(['EC105', 'EC01050', 'EC0217.01', 'XX0105', '', null])('refuses %j', (input) => {
    expect(() => parseStandardCode(input)).toThrow(expect.objectContaining({ code: 'STANDARD_CODE_FORMAT' }));
  });

  it('refuses a version that is not two digits', () => {
    expect(() => parseStandardVersion('1')).toThrow(expect.objectContaining({ code: 'STANDARD_VERSION_FORMAT' }));
  });
});

describe('EvidenceDigest', () => {
  const hex = 'ab'.repeat(32);

  it('accepts sha256: + 64 hex, lower-casing it', () => {
    expect(parseEvidenceDigest(`SHA256:${hex.toUpperCase()}`)).toBe(`sha256:${hex}`);
    expect(isEvidenceDigest(`sha256:${hex}`)).toBe(true);
  });

  it.each([hex, `sha256:${hex.slice(1)}`, `sha256:${hex}0`, `sha1:${hex}`, `sha256:${'g'.repeat(64)}`])('refuses %s', (input) => {
    expect(() => parseEvidenceDigest(input)).toThrow(expect.objectContaining({ code: 'EVIDENCE_DIGEST_FORMAT' }));
  });
});

describe('Mexican states', () => {
  it('lists the 32 federal entities, with DF in CURPs and CMX as jurisdiction code', () => {
    expect(MEXICAN_STATES).toHaveLength(32);
    expect(new Set(MEXICAN_STATES.map((state) => state.curpCode)).size).toBe(32);
    expect(CURP_STATE_CODES).toHaveLength(33);
    expect(CURP_STATE_CODES).toContain('NE');
    expect(STATE_NAMES.CMX).toBe('Ciudad de México');
    expect(STATE_NAMES.BC).toBe('Baja California');
    expect(findState('DF')?.code).toBe('CMX');
  });

  it('normalises jurisdiction codes and refuses unknown ones', () => {
    expect(parseStateCode('qr')).toBe('QR');
    expect(parseStateCode('DF')).toBe('CMX');
    expect(() => parseStateCode('NE')).toThrow(expect.objectContaining({ code: 'STATE_CODE_UNKNOWN' }));
    expect(() => parseStateCode('XX')).toThrow(expect.objectContaining({ code: 'STATE_CODE_UNKNOWN' }));
  });
});

describe('DomainError', () => {
  it('carries a stable code, its kind, a message and details', () => {
    const error = new DomainError('NOT_ENROLLING_PROVIDER', 'no', { providerId: 'ECE322-18' });
    expect(isDomainError(error)).toBe(true);
    expect(error).toBeInstanceOf(Error);
    expect([error.code, error.kind, error.message, error.details]).toEqual([
      'NOT_ENROLLING_PROVIDER',
      'forbidden',
      'no',
      { providerId: 'ECE322-18' },
    ]);
  });

  it('lists every code once, each with one of the five kinds', () => {
    expect(new Set(DOMAIN_ERROR_CODES).size).toBe(DOMAIN_ERROR_CODES.length);
    for (const code of DOMAIN_ERROR_CODES) {
      expect(['validation', 'forbidden', 'not_found', 'conflict', 'rule']).toContain(DOMAIN_ERRORS[code]);
    }
    expect(DOMAIN_ERROR_CODES).toEqual(
      expect.arrayContaining(['CERTIFICATE_ALREADY_ISSUED', 'CONFLICT_OF_INTEREST', 'ALREADY_ENROLLED', 'PROCESS_NOT_FOUND']),
    );
  });
});
