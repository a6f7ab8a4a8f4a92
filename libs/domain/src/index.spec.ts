import * as domain from './index';
import * as testing from './testing';

describe('public API', () => {
  it('exports the deciders, value objects, errors and stream helpers', () => {
    for (const name of [
      'standardDecider', 'providerDecider', 'evaluatorDecider', 'personDecider', 'certificationDecider', 'folioDecider',
      'decideEnrollment', 'fold', 'Curp', 'Folio', 'parseStandardCode', 'parseEvidenceDigest', 'MEXICAN_STATES',
      'DomainError', 'DOMAIN_ERRORS', 'DOMAIN_ERROR_CODES', 'standardStream', 'providerStream', 'evaluatorStream',
      'personStream', 'certificationStream', 'folioStream', 'parseStreamName', 'addYearsToInstant', 'isIsoDate',
    ]) {
      expect(domain).toHaveProperty(name);
    }
  });

  it('keeps the test helpers out of the main entry point', () => {
    expect(domain).not.toHaveProperty('given');
    expect(domain).not.toHaveProperty('makeValidCurp');
    expect(testing).toHaveProperty('given');
    expect(testing).toHaveProperty('makeValidCurp');
    expect(testing).toHaveProperty('makeCurpPerson');
  });
});
