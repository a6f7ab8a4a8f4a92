import { Folio } from './shared/folio';
import {
  certificationStream,
  evaluatorStream,
  folioStream,
  parseStreamName,
  personStream,
  providerStream,
  standardStream,
  streamCategory,
} from './streams';

describe('stream names', () => {
  it('are {category}-{id}', () => {
    expect(standardStream('EC0105')).toBe('standard-EC0105');
    expect(providerStream('ECE322-18')).toBe('provider-ECE322-18');
    expect(evaluatorStream('ev-7')).toBe('evaluator-ev-7');
    expect(personStream('a1b2c3')).toBe('person-a1b2c3');
    expect(certificationStream('p-1')).toBe('certification-p-1');
  });

  it('key folio streams by the canonical folio, whatever form was typed', () => {
    const folio = Folio.fromBody('0123456789AB');
    expect(folioStream(folio.compact.toLowerCase())).toBe(`folio-${folio.value}`);
    expect(folioStream(folio)).toBe(`folio-${folio.value}`);
  });

  it('refuse a CURP as a person stream id: personal data never goes into a stream name', () => {
    expect(() => personStream('GODE561231HDFRRN00')).toThrow(RangeError);
    expect(() => certificationStream('')).toThrow(RangeError);
  });

  it('parse back at the first hyphen', () => {
    expect(parseStreamName('provider-ECE322-18')).toEqual({ category: 'provider', id: 'ECE322-18' });
    expect(streamCategory('folio-0123-4567-89AB-C')).toBe('folio');
    expect(parseStreamName('$all')).toBeNull();
    expect(parseStreamName('orders-1')).toBeNull();
    expect(parseStreamName('person-')).toBeNull();
  });
});
