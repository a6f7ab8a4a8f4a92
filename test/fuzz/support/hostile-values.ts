import fc from 'fast-check';

/**
 * A value the fuzzer puts in a request, and, when it made the value so
 * that no correct ledger can take it, why: such a request must be refused
 * (a 4xx), never run. Values that are merely odd carry no reason.
 */
export interface Drawn<T> {
  readonly value: T;
  readonly malformed?: string;
}

export const fine = <T>(value: T): Drawn<T> => ({ value });
export const malformed = <T>(value: T, why: string): Drawn<T> => ({ value, malformed: why });

/**
 * Characters free text may never hold (the domain's rule): C0 and C1 controls
 * (NUL, tab and newline included), DEL, unpaired surrogates and bidirectional
 * controls (embeddings, overrides, isolates, marks).
 */
export const FLAWED_CHARACTERS: readonly string[] = [
  '\u0000', '\u0001', '\u0007', '\t', '\n', '\r', '\u001b', '\u001f', '\u007f', '\u0085', '\u009f',
  '\ud800', '\udbff', '\udc00', '\udfff',
  '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c',
];

/**
 * Text that is strange but is text: a correct ledger may take it or refuse
 * it, but must never fail on it. Combining marks (NFD), zero-width and
 * format characters that are not bidi controls, the replacement character,
 * letters of right-to-left scripts, astral characters, look-alike digits,
 * and strings that mean something to a shell, SQL, a template engine or a
 * prototype chain.
 */
export const ODD_TEXT: readonly string[] = [
  'Jose\u0301 Pe\u0301rez', '\u200bcero\u200d', '\ufeffBOM', '\ufffd', 'محمد', 'שלום', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀', '١٢٣', '１２３',
  '   ', ' padded ', "' OR '1'='1' --", '"; DROP TABLE events; --', '%s%n%x', '${7*7}', '{{7*7}}', '<script>alert(1)</script>',
  '../../etc/passwd', 'null', 'undefined', 'NaN', '__proto__', 'constructor', 'prototype', 'toString', '\\u0000', '%00',
];

/** A string with one flawed character inserted somewhere in `base`. */
export function withFlaw(base: fc.Arbitrary<string>): fc.Arbitrary<Drawn<string>> {
  return fc.tuple(base, fc.constantFrom(...FLAWED_CHARACTERS), fc.nat()).map(([text, flaw, at]) => {
    const index = text.length === 0 ? 0 : at % (text.length + 1);
    return malformed(`${text.slice(0, index)}${flaw}${text.slice(index)}`, `text holding U+${flaw.charCodeAt(0).toString(16).padStart(4, '0')}`);
  });
}

/** Lengths around the limits of the edge: 16 KB of headers, 1 MB of body. */
export const HUGE_LENGTHS: readonly number[] = [1_000, 10_000, 17_000, 100_000, 1_100_000];

export function hugeString(): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...HUGE_LENGTHS), fc.constantFrom('a', '9', 'é', '𝔘')).map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));
}

/** Names every object inherits, or that reach a prototype when copied. */
export const PROTOTYPE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf'];

/** Nesting deep enough to break a recursive reader (deeper still in DEEP_JSON, as text: JSON.stringify itself recurses). */
export const DEPTHS: readonly number[] = [2, 100, 1_000];

export function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** JSON values of every type, for a place that expects another. */
export function anyJson(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1.5, -0, 1e308, Number.MAX_SAFE_INTEGER + 2, '', 'text', [], {}, [null], ['EC0105'], { value: 1 }),
    fc.tuple(fc.constantFrom(...DEPTHS), fc.constantFrom('array' as const, 'object' as const)).map(([depth, kind]) => nested(depth, kind)),
    fc.jsonValue({ maxDepth: 3 }),
  );
}

/** What a JSON body may be instead of the object a command expects. */
export function wrongBodyValue(): fc.Arbitrary<unknown> {
  return fc.constantFrom(null, true, 0, 'text', [], [{}], ['EC0105'], nested(1_000, 'array'));
}

/**
 * Bodies that are not JSON, or are JSON only to a lenient reader: cut short,
 * single quotes, NaN, trailing commas or text, a byte-order mark, comments,
 * numbers past any float, keys that reach prototypes (which the ledger's
 * parser refuses), bytes that are not UTF-8.
 */
export const DEEP_JSON: readonly string[] = [
  `{"title":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
  `{"reason":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
  `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
];

export const BROKEN_JSON: readonly string[] = [
  '{', '{"a":}', "{'a':1}", '{"a":NaN}', '{"a":1,}', '[1,]', '{} x', '\ufeff{}', '{"a":1}/* c */', '{"a":1e999}',
  '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}', '{"a":"\u00c3\u0028"}', '\u00ff\u00fe{\u0000}', 'null x', '"',
];
