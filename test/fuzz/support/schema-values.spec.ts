import fc from 'fast-check';
import type { Schema } from './openapi-routes';
import { cleanText, valuesOfSchema } from './schema-values';

const FLAWED = /[\p{Cc}\p{Bidi_Control}]|\p{Cs}/u;

describe('values derived from a schema', () => {
  it.each<[string, Schema, (value: unknown) => boolean]>([
    ['an enum', { type: 'string', enum: ['base', 'other'] }, (v) => v === 'base' || v === 'other'],
    ['an integer range', { type: 'integer', minimum: 1, maximum: 500 }, (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 500],
    ['a number range, to the hundredth', { type: 'number', minimum: 0.01, maximum: 1000 }, (v) => typeof v === 'number' && v >= 0.01 && v <= 1000 && Math.abs(v * 100 - Math.round(v * 100)) < 1e-6],
    ['a pattern', { type: 'string', pattern: '^[0-9a-f]{64}$' }, (v) => /^[0-9a-f]{64}$/.test(v as string)],
    ['a uuid', { type: 'string', format: 'uuid' }, (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(v as string)],
    ['a maximum length', { type: 'string', maxLength: 5 }, (v) => typeof v === 'string' && v.length >= 1 && v.length <= 5 && !FLAWED.test(v)],
    ['an array of at most 2', { type: 'array', maxItems: 2, items: { type: 'string', enum: ['EC0105'] } }, (v) => Array.isArray(v) && v.length >= 1 && v.length <= 2],
    ['an object', { type: 'object', properties: { a: { type: 'boolean' }, b: { type: 'integer' } }, required: ['a'] }, (v) => typeof (v as { a?: unknown }).a === 'boolean'],
  ])('keeps %s valid', (_, schema, admits) => {
    fc.assert(fc.property(valuesOfSchema(schema).valid, (value) => admits(value)), { numRuns: 200, seed: 7 });
  });

  it('takes examples as valid values', () => {
    const values = fc.sample(valuesOfSchema({ type: 'string', example: 'EC0105' }).valid, { numRuns: 100, seed: 7 });
    expect(values).toContain('EC0105');
  });

  it('marks exactly the boundary values past a documented limit', () => {
    const strings = fc.sample(valuesOfSchema({ type: 'string', maxLength: 8 }).boundary, { numRuns: 100, seed: 7 });
    for (const drawn of strings) expect({ length: (drawn.value as string).length, marked: drawn.malformed !== undefined }).toEqual({ length: (drawn.value as string).length, marked: (drawn.value as string).length > 8 });
    const numbers = fc.sample(valuesOfSchema({ type: 'integer', minimum: 1, maximum: 10 }).boundary, { numRuns: 100, seed: 7 });
    for (const drawn of numbers) {
      const past = (drawn.value as number) < 1 || (drawn.value as number) > 10;
      expect({ value: drawn.value, marked: drawn.malformed !== undefined }).toEqual({ value: drawn.value, marked: past });
    }
    const members = fc.sample(valuesOfSchema({ type: 'string', enum: ['json', 'csv'] }).boundary, { numRuns: 50, seed: 7 });
    for (const drawn of members) expect(drawn.malformed).toBe('not in the enum');
  });

  it('writes clean text: not blank, no control character, unpaired surrogate or bidi control', () => {
    fc.assert(fc.property(cleanText(30), (text) => text.trim() !== '' && text.length <= 30 && !FLAWED.test(text)), { numRuns: 500, seed: 7 });
  });
});
