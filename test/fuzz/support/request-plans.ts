import fc from 'fast-check';
import {
  anyJson,
  BROKEN_JSON,
  DEEP_JSON,
  fine,
  FLAWED_CHARACTERS,
  hugeString,
  malformed,
  ODD_TEXT,
  PROTOTYPE_KEYS,
  withFlaw,
  wrongBodyValue,
  type Drawn,
} from './hostile-values';
import { describePlan } from './exchange-report';
import { hintFor, rolesHintFor, token } from './ledger-values';
import type { Parameter, Route, RouteKind, Schema } from './openapi-routes';
import { cleanText, valuesOfSchema } from './schema-values';

/**
 * One generated request, printable and replayable: markers (⟦…⟧) stand for
 * what only the running ledger knows and are replaced just before sending.
 */
export interface RequestPlan {
  readonly operationId: string;
  readonly kind: RouteKind;
  readonly method: string;
  /** The method the document gives the route (the plan may use another). */
  readonly routeMethod: string;
  /** Path and query, percent-encoded as sent (or deliberately not). */
  readonly target: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: string;
  /** latin1 sends each character as one byte: bodies that are not UTF-8. */
  readonly bodyEncoding?: 'utf8' | 'latin1';
  /** Why no correct ledger can take this request; empty when it may. */
  readonly malformed: readonly string[];
  /** Every name the answer's `errors[].field` may cite: parameters, body properties, keys sent. */
  readonly fields: readonly string[];
  /** A path parameter left empty: the path may match another route, or none. */
  readonly emptyPathSegment: boolean;
}

/** Tokens the ledger accepts, one per caller the reference data knows. */
export const VALID_CALLERS = ['authority', 'certifier', 'otherCertifier', 'registrar', 'providerRegistrar', 'evaluator', 'comptroller', 'stateComptroller', 'hugeComptroller'] as const;
/** Tokens it must refuse (401): expired, forged, of no known role, or no bearer token at all. */
export const BAD_CALLERS = [
  'expired', 'wrongKey', 'algNone', 'unknownRole', 'privacyRole', 'systemRole', 'noOrg', 'orgWithSpace', 'noExp', 'notJwt', 'emptyBearer', 'basic',
  'twoTokens', 'truncatedSignature',
] as const;
/** Tokens a ledger may take or refuse: a valid token under the scheme name in lower case (RFC 9110 makes it case-insensitive). */
export const LENIENT_CALLERS = ['lowerCaseScheme'] as const;
export type CallerName = (typeof VALID_CALLERS)[number] | (typeof BAD_CALLERS)[number] | (typeof LENIENT_CALLERS)[number];
/** The role of each valid caller. */
export const ROLE_OF: Readonly<Record<(typeof VALID_CALLERS)[number], string>> = {
  authority: 'authority',
  certifier: 'certifier',
  otherCertifier: 'certifier',
  registrar: 'registrar',
  providerRegistrar: 'registrar',
  evaluator: 'evaluator',
  comptroller: 'comptroller',
  stateComptroller: 'comptroller',
  hugeComptroller: 'comptroller',
};

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const MARKER_PARTS = /(⟦[^⟧]*⟧)/;

/**
 * Percent-encodes text as UTF-8, except unreserved characters and markers.
 * Unpaired surrogates, which encodeURIComponent refuses, are encoded as the
 * three bytes a lenient encoder (WTF-8) would write.
 */
export function percentEncode(text: string): string {
  return text
    .split(MARKER_PARTS)
    .map((part, index) => (index % 2 === 1 ? part : encodeText(part)))
    .join('');
}

function encodeText(text: string): string {
  let out = '';
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (UNRESERVED.test(text[index])) {
      out += text[index];
      continue;
    }
    let codePoint = unit;
    const next = text.charCodeAt(index + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      codePoint = (unit - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000;
      index += 1;
    }
    out += [...wtf8(codePoint)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

function wtf8(codePoint: number): Uint8Array {
  if (codePoint < 0x80) return Uint8Array.of(codePoint);
  if (codePoint < 0x800) return Uint8Array.of(0xc0 | (codePoint >> 6), 0x80 | (codePoint & 63));
  if (codePoint < 0x10000) return Uint8Array.of(0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 63), 0x80 | (codePoint & 63));
  return Uint8Array.of(0xf0 | (codePoint >> 18), 0x80 | ((codePoint >> 12) & 63), 0x80 | ((codePoint >> 6) & 63), 0x80 | (codePoint & 63));
}

/** Percent-encoded bytes no text encodes to, and the encodings of what no parameter may hold. */
const JUNK_CONTROL = ['%00', '%7f', '%C2%85', '%1b'];
/** Whitespace (JavaScript's trim removes it), which a value read leniently may have around it. */
const JUNK_WHITESPACE = ['%0a', '%0D%0A', '%09', '%20', '%0b'];
const JUNK_OTHER = ['%', '%zz', '%0', '%ED%A0%80', '%E2%80%AE', '%FF', '%C0%AF', '%C0%80', '%2F', '%2e%2e', '%25', '%3F', '%23'];
const RAW_PATH_SEGMENTS = ['.', '..', '%2e', ';', ',', '+', '*', '~', '%00%00', 'con', 'nul'];

// ---- drawing one value ----

type Place = 'path' | 'query' | 'body';

function typeOfJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
}

function matchesType(value: unknown, schema: Schema): boolean {
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  if (type === undefined) return true;
  const actual = typeOfJson(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** Values a JSON body may hold where a property of this schema goes. */
function hostileBodyValue(schema: Schema): fc.Arbitrary<Drawn<unknown>> {
  const wrongType = anyJson().map((value) => (matchesType(value, schema) ? fine(value) : malformed(value, `a JSON ${typeOfJson(value)} where ${schema.type ?? 'an object'} goes`)));
  const prototypeObject = fc.constantFrom(...PROTOTYPE_KEYS).map((key) => malformed(JSON.parse(`{"${key}":{"polluted":true}}`) as unknown, `an object with key ${key} where ${schema.type ?? 'an object'} goes`));
  if (schema.type !== 'string' && schema.type !== undefined) return fc.oneof(wrongType, prototypeObject);
  return fc.oneof(
    { weight: 3, arbitrary: withFlaw(cleanText(20)) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_TEXT).map((text) => fine(text)) },
    { weight: 1, arbitrary: hugeString().map((text) => (schema.maxLength !== undefined && text.length > schema.maxLength ? malformed(text, 'longer than maxLength') : fine(text))) },
    { weight: 2, arbitrary: wrongType },
    { weight: 1, arbitrary: prototypeObject },
  );
}

/** Text for a query or path parameter, as it goes on the wire (already encoded). */
function hostileUrlValue(place: Place, valid: fc.Arbitrary<string>, trimmed: boolean): fc.Arbitrary<Drawn<string>> {
  const inPath = place === 'path';
  const controls = FLAWED_CHARACTERS.filter((char) => /\p{Cc}/u.test(char));
  const others = FLAWED_CHARACTERS.filter((char) => !/\p{Cc}/u.test(char));
  return fc.oneof(
    // Query text refuses control characters; path parameters have shapes that refuse anything odd.
    fc.tuple(cleanText(12), fc.constantFrom(...controls)).map(([text, flaw]) => malformed(percentEncode(`${text}${flaw}`), 'a control character')),
    fc.tuple(cleanText(12), fc.constantFrom(...others)).map(([text, flaw]) => ({ value: percentEncode(`${flaw}${text}`), malformed: inPath ? 'a bidi control or unpaired surrogate in a path parameter' : undefined })),
    fc.constantFrom(...ODD_TEXT).map((text) => fine(percentEncode(text))),
    fc.tuple(valid, fc.constantFrom(...JUNK_CONTROL)).map(([text, junk]) => malformed(`${text}${junk}`, `${junk} after a value`)),
    // A space is text in a query filter; in a path parameter only a lenient one takes it.
    fc.tuple(valid, fc.constantFrom(...JUNK_WHITESPACE)).map(([text, junk]) => ({ value: `${text}${junk}`, malformed: trimmed || (junk === '%20' && !inPath) ? undefined : `${junk} after a value` })),
    fc.tuple(valid, fc.constantFrom(...JUNK_OTHER)).map(([text, junk]) => ({ value: `${text}${junk}`, malformed: inPath ? `${junk} after a path parameter` : undefined })),
    fc.constantFrom(...JUNK_OTHER, ...(inPath ? RAW_PATH_SEGMENTS : [])).map((junk) => ({ value: junk, malformed: inPath ? `${junk} as a path parameter` : undefined })),
    fc.constantFrom(1_000, 10_000, 20_000).map((length) => malformed('A'.repeat(length), `${length} characters in the URL`)),
  );
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A parameter's valid text, encoded for the URL. */
function validUrlValue(parameter: Parameter, place: Place): fc.Arbitrary<string> {
  const source = hintFor(parameter.name, place)?.valid ?? valuesOfSchema(parameter.schema).valid;
  return source.map((value) => percentEncode(asText(value)));
}

/** A parameter's value at or past its limits, or hostile. */
function oddUrlValue(parameter: Parameter, place: Place): fc.Arbitrary<Drawn<string>> {
  const hint = hintFor(parameter.name, place);
  const schema = valuesOfSchema(parameter.schema).boundary;
  const boundary = (hint?.boundary ? fc.oneof(hint.boundary, schema) : schema).map((drawn) => {
    // Outside the domain's ranges in a URL is malformed wherever it goes; a path parameter left empty is a route question.
    const text = asText(drawn.value);
    return { value: percentEncode(text), malformed: text === '' && place === 'path' ? undefined : drawn.malformed };
  });
  return fc
    .oneof({ weight: 3, arbitrary: boundary }, { weight: 2, arbitrary: hostileUrlValue(place, validUrlValue(parameter, place), hint?.trimmed === true) })
    .map((drawn) => outsideEnum(parameter.schema, drawn, decodeName(drawn.value)));
}

/** Whatever else it is, a value outside the schema's enum is malformed. */
function outsideEnum<T>(schema: Schema, drawn: Drawn<T>, value: unknown): Drawn<T> {
  if (drawn.malformed || !schema.enum || schema.enum.includes(value)) return drawn;
  return { value: drawn.value, malformed: 'not in the enum' };
}

// ---- the valid baseline ----

interface Baseline {
  readonly pathValues: Readonly<Record<string, string>>;
  readonly query: readonly (readonly [string, string])[];
  readonly caller: CallerName | 'none';
  readonly body: unknown;
}

function validBody(schema: Schema): fc.Arbitrary<unknown> {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return schema.type === 'object' || !schema.type ? fc.constant({}) : valuesOfSchema(schema).valid;
  const required = new Set(schema.required ?? []);
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of properties) {
    const hint = hintFor(name, 'body');
    record[name] = property.properties ? validBody(property) : (hint?.valid ?? valuesOfSchema(property).valid);
  }
  return fc.record(record, { requiredKeys: properties.map(([name]) => name).filter((name) => required.has(name)) });
}

function callersFor(route: Route): fc.Arbitrary<CallerName | 'none'> {
  if (route.isPublic) return fc.constant('none');
  const roles = route.roles.length > 0 ? route.roles : rolesHintFor(route.operationId);
  const documented = VALID_CALLERS.filter((caller) => roles.includes(ROLE_OF[caller]));
  return documented.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...documented) }, fc.constantFrom(...VALID_CALLERS)) : fc.constantFrom(...VALID_CALLERS);
}

function baselineOf(route: Route): fc.Arbitrary<Baseline> {
  const pathValues = fc.record(Object.fromEntries(route.pathParameters.map((p) => [p.name, validUrlValue(p, 'path')])));
  const query = fc
    .tuple(
      ...route.queryParameters.map((p) => {
        const pair = validUrlValue(p, 'query').map((value): readonly [string, string] | undefined => [p.name, value]);
        // Required parameters always; each optional one a third of the time.
        return p.required ? pair : fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: pair });
      }),
    )
    .map((pairs) => pairs.filter((pair): pair is readonly [string, string] => pair !== undefined));
  return fc.record({ pathValues, query, caller: callersFor(route), body: route.body ? validBody(route.body.schema) : fc.constant(undefined) });
}

// ---- mutations: what turns the valid baseline into something else ----

type Mutation =
  | { kind: 'method'; method: string }
  | { kind: 'pathValue'; name: string; value: Drawn<string> }
  | { kind: 'queryValue'; name: string; value: Drawn<string> }
  | { kind: 'dropQuery'; name: string; required: boolean }
  | { kind: 'repeatQuery'; name: string }
  | { kind: 'bracketQuery'; name: string; suffix: string }
  | { kind: 'extraQuery'; pair: string; why?: string }
  | { kind: 'bodyValue'; path: readonly string[]; required: boolean; value: Drawn<unknown> }
  | { kind: 'dropBodyField'; path: readonly string[]; required: boolean }
  | { kind: 'extraBodyField'; name: string; value: unknown; why: string }
  | { kind: 'wholeBody'; value: unknown }
  | { kind: 'rawBody'; text: string; encoding: 'utf8' | 'latin1'; why?: string }
  | { kind: 'noBody' }
  | { kind: 'contentType'; value: string | null; json: boolean }
  | { kind: 'caller'; caller: CallerName | 'none' }
  | { kind: 'header'; name: string; value: string; why?: string };

/** Every property of a body schema, nested ones too, with whether it is required where it sits. */
function bodyPaths(schema: Schema, prefix: readonly string[] = []): { path: readonly string[]; schema: Schema; required: boolean }[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => [
    { path: [...prefix, name], schema: property, required: required.has(name) },
    ...(prefix.length < 3 ? bodyPaths(property, [...prefix, name]) : []),
  ]);
}

function bodyValueMutation(entry: { path: readonly string[]; schema: Schema; required: boolean }): fc.Arbitrary<Mutation> {
  const name = entry.path[entry.path.length - 1];
  const hint = hintFor(name, 'body');
  const schemaBoundary = valuesOfSchema(entry.schema).boundary;
  const boundary = hint?.boundary ? fc.oneof(hint.boundary, schemaBoundary) : schemaBoundary;
  return fc
    .oneof(boundary, hostileBodyValue(entry.schema))
    .map((value) => ({ kind: 'bodyValue' as const, path: entry.path, required: entry.required, value: outsideEnum(entry.schema, value, value.value) }));
}

const OTHER_METHODS = ['PUT', 'DELETE', 'PATCH'];
const UNKNOWN_NAMES = ['sort', 'admin', 'fields', 'debug', 'page', 'X', 'ñ', '%00', 'minposition', 'Limit'];

const CONTENT_TYPES: readonly { value: string | null; json: boolean }[] = [
  { value: 'application/json; charset=utf-8', json: true },
  { value: 'application/vnd.api+json', json: true },
  { value: 'application/merge-patch+json', json: true },
  { value: 'application/problem+json', json: true },
  { value: 'APPLICATION/JSON', json: true },
  { value: 'application/json;charset=UTF-8', json: true },
  { value: 'text/plain', json: false },
  { value: 'text/json', json: false },
  { value: 'application/x-www-form-urlencoded', json: false },
  { value: 'multipart/form-data; boundary=x', json: false },
  { value: 'application/jsonx', json: false },
  { value: 'application/xml', json: false },
  { value: 'application/json; charset=latin1', json: false },
  // Not utf-16: the body parser reads it as UTF-16 (a JSON encoding once allowed), so a body in UTF-8 under it may be read as anything.
  { value: 'application/json; charset=iso-8859-1', json: false },
  { value: '', json: false },
  { value: null, json: false },
];

function queryMutations(route: Route): fc.Arbitrary<Mutation>[] {
  const mutations: fc.Arbitrary<Mutation>[] = [];
  for (const parameter of route.queryParameters) {
    mutations.push(oddUrlValue(parameter, 'query').map((value) => ({ kind: 'queryValue' as const, name: parameter.name, value })));
    mutations.push(fc.constant({ kind: 'dropQuery' as const, name: parameter.name, required: parameter.required }));
    mutations.push(fc.constant({ kind: 'repeatQuery' as const, name: parameter.name }));
    mutations.push(fc.constantFrom('[]', '[a]', '[0]', '[__proto__]').map((suffix) => ({ kind: 'bracketQuery' as const, name: parameter.name, suffix })));
  }
  mutations.push(
    fc.tuple(fc.constantFrom(...UNKNOWN_NAMES), cleanText(8)).map(([name, value]) => ({ kind: 'extraQuery' as const, pair: `${percentEncode(name)}=${percentEncode(value)}`, why: `unknown query parameter ${name}` })),
    fc.constantFrom(...PROTOTYPE_KEYS).map((name) => ({ kind: 'extraQuery' as const, pair: `${name}=1`, why: `query parameter ${name}` })),
    fc.constantFrom('__proto__[polluted]=1', 'constructor[prototype][polluted]=1').map((pair) => ({ kind: 'extraQuery' as const, pair, why: 'a query parameter reaching a prototype' })),
    fc.constantFrom('=x', '=').map((pair) => ({ kind: 'extraQuery' as const, pair, why: 'a query parameter with no name' })),
    fc.constantFrom('&', '&&', '').map((pair) => ({ kind: 'extraQuery' as const, pair })),
  );
  return mutations;
}

function bodyMutations(route: Route): fc.Arbitrary<Mutation>[] {
  const contentTypes = fc.constantFrom(...CONTENT_TYPES).map(({ value, json }) => ({ kind: 'contentType' as const, value, json }));
  if (!route.body) {
    const bodies = fc.constantFrom('{"a":1}', '[]', 'x').map((text) => ({ kind: 'rawBody' as const, text, encoding: 'utf8' as const, why: text === 'x' ? 'a body that is not JSON' : undefined }));
    return [bodies, contentTypes];
  }
  const schema = route.body.schema;
  const mutations: fc.Arbitrary<Mutation>[] = bodyPaths(schema).flatMap((entry) => [
    bodyValueMutation(entry),
    fc.constant({ kind: 'dropBodyField' as const, path: entry.path, required: entry.required }),
  ]);
  mutations.push(
    fc.tuple(fc.constantFrom(...UNKNOWN_NAMES, 'id', 'position', 'status'), anyJson()).map(([name, value]) => ({ kind: 'extraBodyField' as const, name, value, why: `unknown field ${name}` })),
    fc.constantFrom(...PROTOTYPE_KEYS).map((name) => ({ kind: 'extraBodyField' as const, name, value: { polluted: true }, why: `field ${name}` })),
    wrongBodyValue().map((value) => ({ kind: 'wholeBody' as const, value })),
    fc.constantFrom(...BROKEN_JSON).map((text) => ({ kind: 'rawBody' as const, text, encoding: 'latin1' as const, why: 'not JSON, or a key reaching a prototype' })),
    fc.constantFrom(...DEEP_JSON).map((text) => ({ kind: 'rawBody' as const, text, encoding: 'utf8' as const, why: 'JSON nested 50,000 levels or more where text goes' })),
    fc.constant({ kind: 'rawBody' as const, text: '', encoding: 'utf8' as const, why: schema.required?.length ? 'an empty body where fields are required' : undefined }),
    fc.constant({ kind: 'noBody' as const }),
    fc.constantFrom(1_100_000, 2_000_000).map((length) => ({ kind: 'rawBody' as const, text: JSON.stringify({ title: 'a'.repeat(length) }), encoding: 'utf8' as const, why: 'a body over 1 MB' })),
    contentTypes,
  );
  return mutations;
}

function headerMutations(route: Route): fc.Arbitrary<Mutation>[] {
  const unparseable = (value: string) => /[\u0000-\u0008\u000a-\u001f\u007f]/.test(value) || value.length > 16_000;
  return [
    fc.constantFrom<CallerName | 'none'>('none', ...VALID_CALLERS, ...BAD_CALLERS, ...LENIENT_CALLERS).map((caller) => ({ kind: 'caller' as const, caller })),
    fc.constantFrom('a'.repeat(256), 'key with spaces', 'ключ', '', 'k\u0001').map((value) => ({ kind: 'header' as const, name: 'Idempotency-Key', value, why: route.kind === 'command' ? 'an Idempotency-Key that is not 1 to 255 visible ASCII characters' : undefined })),
    // Keys from a small pool: the same key again, with the same body or another.
    fc.constantFrom('fuzz-key-1', 'fuzz-key-2', 'fuzz-key-3').map((value) => ({ kind: 'header' as const, name: 'Idempotency-Key', value })),
    fc.constantFrom('ñ-correlation', 'x'.repeat(500), '../../', '"quoted"', '', 'ok-123').map((value) => ({ kind: 'header' as const, name: 'X-Correlation-Id', value })),
    fc.constantFrom('text/csv', 'application/xml', 'application/problem+json', '*/*', 'text/html;q=0.9', '').map((value) => ({ kind: 'header' as const, name: 'Accept', value })),
    fc.constantFrom('\u0000', '\u0001x', 'x\ry', '\u007f', 'ÿ', '😀', 'a'.repeat(17_000)).map((value) => ({ kind: 'header' as const, name: 'X-Fuzz', value, why: unparseable(value) ? 'a header Node cannot parse' : undefined })),
    // A second Authorization (Node keeps the first) and another Host; framing headers are the sender's alone.
    fc.constantFrom(['Authorization', token('expired')], ['Host', 'evil.example']).map(([name, value]) => ({ kind: 'header' as const, name, value })),
  ];
}

function mutationsOf(route: Route, routes: readonly Route[]): fc.Arbitrary<Mutation>[] {
  // Another method, unless the document gives the path that method too.
  const takenMethods = new Set(routes.filter((r) => r.template === route.template).map((r) => r.method));
  const methods = OTHER_METHODS.filter((method) => !takenMethods.has(method));
  return [
    ...(methods.length > 0 ? [fc.constantFrom(...methods).map((method) => ({ kind: 'method' as const, method }))] : []),
    ...route.pathParameters.map((parameter) => oddUrlValue(parameter, 'path').map((value) => ({ kind: 'pathValue' as const, name: parameter.name, value }))),
    ...queryMutations(route),
    ...bodyMutations(route),
    ...headerMutations(route),
  ];
}

// ---- applying them ----

/** A query pair as it goes on the wire, and why it is malformed, if it is. */
interface QueryPair {
  readonly name: string;
  readonly text: string;
  /** Sent as it is instead of name=text (`&&`, `=x`). */
  readonly raw?: string;
  readonly why?: string;
}

/**
 * The request being built. Why it is malformed is kept per part (a path
 * parameter, a body field, the body), so that a later mutation of the same
 * part (a field dropped after it was spoilt) takes the reason with it.
 */
interface Draft {
  method: string;
  pathValues: Record<string, string>;
  query: QueryPair[];
  caller: CallerName | 'none';
  body: { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; encoding: 'utf8' | 'latin1' } | { kind: 'none' };
  contentType: { value: string | null; json: boolean };
  headers: [string, string][];
  taints: Map<string, string>;
}

function setAt(target: unknown, path: readonly string[], value: unknown, drop: boolean): boolean {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const last = path[path.length - 1];
  if (drop) delete (node as Record<string, unknown>)[last];
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  return true;
}

function taint(draft: Draft, part: string, why: string | undefined): void {
  if (why) draft.taints.set(part, why);
  else draft.taints.delete(part);
}

/** Forgets what was said about a body field and everything under it (or about the whole body, for ''). */
function untaintBody(draft: Draft, path: string): void {
  for (const part of [...draft.taints.keys()]) {
    if (part === 'body' || part === `body:${path}` || part.startsWith(path === '' ? 'body:' : `body:${path}.`)) draft.taints.delete(part);
  }
}

function applyToBody(draft: Draft, mutation: Extract<Mutation, { kind: 'bodyValue' | 'dropBodyField' | 'extraBodyField' }>): void {
  if (draft.body.kind !== 'json') return;
  const path = mutation.kind === 'extraBodyField' ? [mutation.name] : mutation.path;
  const field = path.join('.');
  const drop = mutation.kind === 'dropBodyField';
  const value = mutation.kind === 'bodyValue' ? mutation.value.value : mutation.kind === 'extraBodyField' ? mutation.value : undefined;
  if (!setAt(draft.body.value, path, value, drop)) return;
  untaintBody(draft, field);
  if (mutation.kind === 'extraBodyField') taint(draft, `body:${field}`, mutation.why);
  else if (mutation.kind === 'dropBodyField') taint(draft, `body:${field}`, mutation.required ? `required field ${field} missing` : undefined);
  // null stands for "absent" in an optional field.
  else if (!(mutation.value.value === null && !mutation.required)) taint(draft, `body:${field}`, mutation.value.malformed && `${field}: ${mutation.value.malformed}`);
}

function apply(draft: Draft, mutation: Mutation, route: Route): void {
  switch (mutation.kind) {
    case 'method':
      draft.method = mutation.method;
      taint(draft, 'method', `method ${mutation.method} on a ${route.method} route`);
      return;
    case 'pathValue':
      draft.pathValues[mutation.name] = mutation.value.value;
      taint(draft, `path:${mutation.name}`, mutation.value.malformed && `${mutation.name}: ${mutation.value.malformed}`);
      return;
    case 'queryValue':
      draft.query = draft.query.filter((pair) => pair.name !== mutation.name);
      draft.query.push({ name: mutation.name, text: mutation.value.value, why: mutation.value.malformed && `${mutation.name}: ${mutation.value.malformed}` });
      return;
    case 'dropQuery':
      draft.query = draft.query.filter((pair) => pair.name !== mutation.name);
      return;
    case 'repeatQuery': {
      const pair = draft.query.find((p) => p.name === mutation.name);
      if (pair) draft.query.push(pair);
      return;
    }
    case 'bracketQuery':
      draft.query.push({ name: `${mutation.name}${mutation.suffix}`, text: '1', why: route.kind === 'health' ? undefined : `query parameter ${mutation.name}${mutation.suffix}` });
      return;
    case 'extraQuery':
      // Health probes take no parameters and read none: what a load balancer appends there is no field of the API.
      draft.query.push({ name: decodeName(mutation.pair.split('=')[0]), text: '', raw: mutation.pair, why: route.kind === 'health' ? undefined : mutation.why });
      return;
    case 'bodyValue':
    case 'dropBodyField':
    case 'extraBodyField':
      applyToBody(draft, mutation);
      return;
    case 'wholeBody':
      draft.body = { kind: 'json', value: mutation.value };
      untaintBody(draft, '');
      taint(draft, 'body', `a JSON ${typeOfJson(mutation.value)} as the body`);
      return;
    case 'rawBody':
      draft.body = { kind: 'raw', text: mutation.text, encoding: mutation.encoding };
      untaintBody(draft, '');
      taint(draft, 'body', mutation.why);
      return;
    case 'noBody':
      draft.body = { kind: 'none' };
      untaintBody(draft, '');
      return;
    case 'contentType':
      draft.contentType = { value: mutation.value, json: mutation.json };
      return;
    case 'caller':
      draft.caller = mutation.caller;
      return;
    case 'header':
      draft.headers.push([mutation.name, mutation.value]);
      taint(draft, `header#${draft.headers.length}`, mutation.why);
      return;
    default: {
      const exhaustive: never = mutation;
      throw new Error(`unknown mutation ${JSON.stringify(exhaustive)}`);
    }
  }
}

/** What makes the query string malformed as it finally stands: bad values, parameters twice, required ones missing. */
function queryProblems(draft: Draft, route: Route): string[] {
  const problems = draft.query.map((pair) => pair.why).filter((why): why is string => why !== undefined);
  for (const parameter of route.queryParameters) {
    const count = draft.query.filter((pair) => pair.name === parameter.name).length;
    if (count > 1) problems.push(`query parameter ${parameter.name} given ${count} times`);
    if (count === 0 && parameter.required) problems.push(`required query parameter ${parameter.name} missing`);
  }
  return problems;
}

function keysOf(value: unknown, into: Set<string>, depth = 0): void {
  if (typeof value !== 'object' || value === null || depth > 4) return;
  for (const [key, child] of Object.entries(value)) {
    into.add(key);
    keysOf(child, into, depth + 1);
  }
}

function bodyText(body: Draft['body']): string | undefined {
  if (body.kind === 'none') return undefined;
  return body.kind === 'raw' ? body.text : JSON.stringify(body.value);
}

/** Why the ledger must refuse the request as a whole, once every mutation is in. */
function wholeRequestProblems(draft: Draft, route: Route, text: string | undefined): string[] {
  const problems: string[] = [];
  const sendsBody = text !== undefined && text.length > 0;
  if (sendsBody && !draft.contentType.json) problems.push(`a body of type ${draft.contentType.value ?? '(none)'}`);
  if (text !== undefined && Buffer.byteLength(text) > 1_048_576) problems.push('a body over 1 MB');
  const badCaller = draft.caller === 'none' || (BAD_CALLERS as readonly string[]).includes(draft.caller);
  if (!route.isPublic && badCaller) problems.push(`caller ${draft.caller} on a route that needs a token`);
  // Query routes name their roles exactly ("only comptroller, certifier may ask").
  const role = (ROLE_OF as Record<string, string>)[draft.caller];
  if (!route.isPublic && role !== undefined && route.kind === 'query' && route.roles.length > 0 && !route.roles.includes(role)) {
    problems.push(`caller ${draft.caller} of a role the route does not allow`);
  }
  if (route.body?.required && route.body.schema.required?.length && draft.body.kind === 'none') problems.push('no body where one is required');
  return problems;
}

function planOf(route: Route, baseline: Baseline, mutations: readonly Mutation[]): RequestPlan {
  const draft: Draft = {
    method: route.method,
    pathValues: { ...baseline.pathValues },
    query: baseline.query.map(([name, text]) => ({ name, text })),
    caller: baseline.caller,
    body: route.body ? { kind: 'json', value: structuredClone(baseline.body) } : { kind: 'none' },
    contentType: { value: 'application/json', json: true },
    headers: [],
    taints: new Map(),
  };
  for (const mutation of mutations) apply(draft, mutation, route);
  const query = draft.query.map((pair) => pair.raw ?? `${pair.name}=${pair.text}`);
  const path = route.template.replace(/\{(\w+)\}/g, (_, name: string) => draft.pathValues[name] ?? '');
  const text = bodyText(draft.body);
  const headers: [string, string][] = [];
  if (draft.caller !== 'none') headers.push(['Authorization', token(draft.caller)]);
  if (text !== undefined && draft.contentType.value !== null) headers.push(['Content-Type', draft.contentType.value]);
  headers.push(...draft.headers);
  const fields = new Set<string>([...route.pathParameters, ...route.queryParameters, ...route.headerParameters].map((p) => p.name));
  for (const entry of route.body ? bodyPaths(route.body.schema) : []) fields.add(entry.path[0]);
  for (const pair of draft.query) fields.add(pair.name);
  // A body that is not an object is named as a whole.
  if (text !== undefined) fields.add('body');
  if (draft.body.kind === 'json') keysOf(draft.body.value, fields);
  if (draft.body.kind === 'raw') keysOf(parsedOrUndefined(draft.body.text), fields);
  const plan: RequestPlan = {
    operationId: route.operationId,
    kind: route.kind,
    method: draft.method,
    routeMethod: route.method,
    target: query.length > 0 ? `${path}?${query.join('&')}` : path,
    headers,
    ...(text !== undefined ? { body: text, bodyEncoding: draft.body.kind === 'raw' ? draft.body.encoding : 'utf8' } : {}),
    malformed: [...new Set([...draft.taints.values(), ...queryProblems(draft, route), ...wholeRequestProblems(draft, route, text)])],
    fields: [...fields],
    emptyPathSegment: route.pathParameters.some((p) => draft.pathValues[p.name] === ''),
  };
  // fast-check prints a counterexample with this: a few lines, not the megabytes some plans carry.
  return Object.defineProperty(plan, fc.toStringMethod, { value: () => describePlan(plan) });
}

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * Requests for one route: a valid baseline derived from the document (and
 * the ledger's hints), then none, one or a few mutations, each of which
 * makes one part of it boundary or hostile.
 */
export function requestPlans(route: Route, routes: readonly Route[]): fc.Arbitrary<RequestPlan> {
  const mutation = fc.oneof(...mutationsOf(route, routes));
  const mutations = fc.oneof(
    { weight: 3, arbitrary: fc.constant([] as Mutation[]) },
    { weight: 4, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 1 }) },
    { weight: 3, arbitrary: fc.array(mutation, { minLength: 2, maxLength: 4 }) },
  );
  return fc.tuple(baselineOf(route), mutations).map(([baseline, changes]) => planOf(route, baseline, changes));
}
