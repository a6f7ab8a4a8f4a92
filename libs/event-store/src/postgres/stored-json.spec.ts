import fc from 'fast-check';
import type { EventMetadata } from '../event-store.port';
import { canonicalJson, storedJsonOf } from '../log-entry';
import { prepareAppend } from './prepare-append';

/**
 * The adapter stores data and metadata as RFC 8785 text, so that `verify`
 * can hash each event's entry from the stored texts without parsing them.
 * The text must mean what JSON.stringify's meant (the same members and
 * values once parsed), and be canonical: parsing it and writing it again
 * gives it back. (That the entry assembled from such rows is logEntryOf's,
 * for random events, is in postgres-event-store.spec.ts, on PostgreSQL.)
 */
describe('the JSON text the PostgreSQL store writes', () => {
  const json = fc.oneof(fc.jsonValue({ stringUnit: 'binary' }), fc.jsonValue({ stringUnit: 'grapheme' }), fc.jsonValue());

  it('is the RFC 8785 text of what JSON.stringify wrote, for any JSON value', () => {
    fc.assert(
      fc.property(json, (value) => {
        const stored = storedJsonOf(value) as string;
        expect(stored).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
        expect(JSON.parse(stored)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(JSON.parse(stored))).toBe(stored);
      }),
      { numRuns: 3_000 },
    );
  });

  it('is the RFC 8785 text of what JSON.stringify wrote, for values that are not plain JSON', () => {
    class Grade {
      constructor(readonly value: number) {}
    }
    const values: unknown[] = [
      { z: 1, a: [3, undefined, { y: true, b: null }], m: undefined },
      { when: new Date('2024-03-01T10:15:00.250Z'), nested: { toJSON: () => ({ z: 'last', a: 'first' }) } },
      { grade: new Grade(9.5), '10': 'ten', '9': 'nine', '': 'empty', 'é': { b: -0, a: 1e21 } },
      JSON.parse('{"__proto__":{"b":1,"a":2},"constructor":"c"}'),
      [undefined, () => 1, Symbol('s')],
      'text',
      -0,
      null,
    ];
    for (const value of values) {
      const stored = storedJsonOf(value) as string;
      expect(JSON.parse(stored)).toEqual(JSON.parse(JSON.stringify(value)));
      expect(stored).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
      expect(canonicalJson(JSON.parse(stored))).toBe(stored);
    }
  });

  it('is what an append carries to the database, for data and metadata', () => {
    const metadata = { schemaVersion: 1, actor: { role: 'registrar', id: 'r', organizationId: 'o' } } as unknown as EventMetadata;
    const { events } = prepareAppend('s', [{ id: '6F1C1A52-6A4B-4B58-9D4E-0D6A4C2E3F10', type: 'T', data: { b: 'ü', a: [1, 2] }, metadata }], 'any');
    expect(events[0]).toMatchObject({ data: '{"a":[1,2],"b":"ü"}', metadata: '{"actor":{"id":"r","organizationId":"o","role":"registrar"},"schemaVersion":1}' });
  });

  it('refuses, as before, data that JSON cannot hold', () => {
    const append = (data: unknown) => () => prepareAppend('s', [{ id: '6f1c1a52-6a4b-4b58-9d4e-0d6a4c2e3f10', type: 'T', data, metadata: {} as EventMetadata }], 'any');
    expect(append(undefined)).toThrow(TypeError);
    expect(append(() => 1)).toThrow(TypeError);
    expect(append({ big: 1n })).toThrow(TypeError);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(append(circular)).toThrow(TypeError);
  });
});
