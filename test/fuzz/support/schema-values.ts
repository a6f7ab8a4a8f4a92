import fc from 'fast-check';
import { fine, malformed, type Drawn } from './hostile-values';
import type { Schema } from './openapi-routes';

/** Any character free text may hold, mostly plain, sometimes not ASCII. */
const FLAWED = /[\p{Cc}\p{Bidi_Control}]|\p{Cs}/u;

/** Readable text: 1 to `maxLength` characters, no flaw, not blank. */
export function cleanText(maxLength = 40): fc.Arbitrary<string> {
  return fc
    .oneof({ weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength }) }, fc.string({ unit: 'grapheme', minLength: 1, maxLength }))
    .filter((text) => !FLAWED.test(text) && text.trim() !== '' && text.length <= maxLength);
}

/** The numbers of JSON that break naive code: float edges, past 2^53, fractions where integers go. */
const ODD_NUMBERS: readonly number[] = [0, -0, -1, 0.5, 1e-9, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 1e308, -1e308];

export interface SchemaValues {
  /** Values the schema admits. */
  readonly valid: fc.Arbitrary<unknown>;
  /** Values at and past its limits; those past a documented limit are marked. */
  readonly boundary: fc.Arbitrary<Drawn<unknown>>;
}

function examplesOf(schema: Schema): unknown[] {
  return [schema.example, ...(schema.examples ?? [])].filter((example) => example !== undefined);
}

function withExamples(schema: Schema, derived: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const examples = examplesOf(schema);
  return examples.length === 0 ? derived : fc.oneof(derived, fc.constantFrom(...examples));
}

function stringValues(schema: Schema): SchemaValues {
  const maxLength = schema.maxLength;
  const limit = Math.min(maxLength ?? 40, 40);
  let derived: fc.Arbitrary<unknown>;
  if (schema.format === 'uuid') derived = fc.uuid({ version: 4 });
  else if (schema.format === 'date') derived = fc.date({ min: new Date('1950-01-01'), max: new Date('2024-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  else if (schema.format === 'date-time') derived = fc.date({ min: new Date('2018-01-02'), max: new Date('2024-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
  else if (schema.pattern) derived = fc.stringMatching(new RegExp(schema.pattern), { maxLength: maxLength ?? 64 });
  else derived = cleanText(limit);
  const lengths: Drawn<unknown>[] = [fine('')];
  if (maxLength !== undefined) lengths.push(fine('a'.repeat(maxLength)), malformed('a'.repeat(maxLength + 1), `longer than maxLength ${maxLength}`));
  else lengths.push(...[16, 17, 64, 65, 128, 129, 200, 201, 500, 501].map((length) => fine('a'.repeat(length))));
  if (schema.minLength !== undefined && schema.minLength > 0) lengths.push(malformed('a'.repeat(schema.minLength - 1), `shorter than minLength ${schema.minLength}`));
  return { valid: withExamples(schema, derived), boundary: fc.constantFrom(...lengths) };
}

function numberValues(schema: Schema): SchemaValues {
  const integer = schema.type === 'integer';
  const min = schema.minimum ?? (integer ? -1_000 : -1e6);
  const max = schema.maximum ?? (integer ? 1_000 : 1e6);
  const derived = integer ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((n) => Math.round(n * 100) / 100).filter((n) => n >= min && n <= max);
  const edges: Drawn<unknown>[] = ODD_NUMBERS.map((n) => {
    if (schema.minimum !== undefined && n < schema.minimum) return malformed(n, `below minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && n > schema.maximum) return malformed(n, `above maximum ${schema.maximum}`);
    return fine(n);
  });
  if (schema.minimum !== undefined) edges.push(fine(schema.minimum), malformed(schema.minimum - (integer ? 1 : 0.01), `below minimum ${schema.minimum}`));
  if (schema.maximum !== undefined) edges.push(fine(schema.maximum), malformed(schema.maximum + (integer ? 1 : 0.01), `above maximum ${schema.maximum}`));
  return { valid: withExamples(schema, derived), boundary: fc.constantFrom(...edges) };
}

function arrayValues(schema: Schema): SchemaValues {
  const items = valuesOfSchema(schema.items ?? {});
  const maxItems = schema.maxItems;
  const valid = withExamples(schema, fc.array(items.valid, { minLength: Math.max(1, schema.minItems ?? 1), maxLength: Math.max(1, Math.min(maxItems ?? 3, 3)) }));
  const lengths: fc.Arbitrary<Drawn<unknown>>[] = [
    fc.constant(fine([])),
    items.valid.map((item) => fine([item, item])),
    items.boundary.map((item) => ({ value: [item.value], malformed: item.malformed && `an item ${item.malformed}` })),
  ];
  if (maxItems !== undefined) {
    lengths.push(
      items.valid.map((item) => fine(Array.from({ length: maxItems }, () => item))),
      items.valid.map((item) => malformed(Array.from({ length: maxItems + 1 }, () => item), `more than maxItems ${maxItems}`)),
    );
  }
  return { valid, boundary: fc.oneof(...lengths) };
}

/** A valid object: every required property, each optional one now and then. */
function objectValues(schema: Schema): SchemaValues {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const record = Object.fromEntries(properties.map(([name, property]) => [name, valuesOfSchema(property).valid]));
  const valid = properties.length === 0 ? fc.constant({}) : fc.record(record, { requiredKeys: properties.map(([name]) => name).filter((name) => required.has(name)) });
  return { valid, boundary: fc.constant(fine({})) };
}

/**
 * What the schema alone says about its values: their type, enum, format,
 * pattern, length and range, and its examples.
 */
export function valuesOfSchema(schema: Schema): SchemaValues {
  if (schema.enum && schema.enum.length > 0) {
    const members = schema.enum;
    const texts = members.filter((member): member is string => typeof member === 'string');
    const outside: Drawn<unknown>[] = [malformed('', 'not in the enum'), malformed('unknown-member', 'not in the enum')];
    for (const text of texts) {
      if (!members.includes(text.toUpperCase())) outside.push(malformed(text.toUpperCase(), 'not in the enum'));
      outside.push(malformed(`${text} `, 'not in the enum'));
    }
    return { valid: fc.constantFrom(...members), boundary: fc.constantFrom(...outside) };
  }
  switch (schema.type) {
    case 'integer':
    case 'number':
      return numberValues(schema);
    case 'boolean':
      return { valid: fc.boolean(), boundary: fc.constantFrom(fine(true), fine(false)) };
    case 'array':
      return arrayValues(schema);
    case 'object':
      return objectValues(schema);
    case 'string':
    default:
      return schema.properties ? objectValues(schema) : stringValues(schema);
  }
}
