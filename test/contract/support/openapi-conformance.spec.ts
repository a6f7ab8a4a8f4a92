import { conformanceProblems, type OpenApiDocument } from './openapi-conformance';

const document: OpenApiDocument = {
  paths: {
    '/v1/things/{id}': {
      get: {
        responses: {
          '200': {
            description: 'ok',
            headers: { 'Ledger-Position': { required: true, schema: { type: 'string', pattern: '^(0|[1-9][0-9]*)$' } }, 'Retry-After': { schema: { type: 'integer' } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '404': { description: 'no', content: { 'application/problem+json': { schema: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'] } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          count: { type: 'integer' },
          at: { type: 'string', format: 'date-time' },
          status: { type: 'string', enum: ['valid', 'revoked'] },
          parent: { nullable: true, type: 'object', allOf: [{ $ref: '#/components/schemas/Parent' }] },
          tags: { type: 'array', items: { type: 'string' } },
          revokedAt: { type: 'string' },
        },
        required: ['id', 'count', 'at', 'status', 'parent', 'tags'],
      },
      Parent: { type: 'object', properties: { name: { type: 'string', nullable: true } }, required: ['name'] },
    },
  },
};

const thing = { id: 'e3b0c442-98fc-4c14-9afb-f4c8996fb924', count: 2, at: '2018-11-13T18:00:00.000Z', status: 'valid', parent: null, tags: ['a'] };
const answer = (body: unknown, status = 200, contentType = 'application/json; charset=utf-8', headers: Record<string, string> = { 'ledger-position': '42' }) => ({
  method: 'get' as const,
  template: '/v1/things/{id}',
  status,
  contentType,
  headers,
  body,
});

describe('conformance of an answer to the OpenAPI document', () => {
  it('accepts what the document describes, optional and nullable fields included', () => {
    expect(conformanceProblems(document, answer(thing))).toEqual([]);
    expect(conformanceProblems(document, answer({ ...thing, parent: { name: null }, revokedAt: 'x' }))).toEqual([]);
    expect(conformanceProblems(document, answer({ code: 'NOT_FOUND' }, 404, 'application/problem+json'))).toEqual([]);
  });

  it('names each departure: missing, undeclared, mistyped, outside the enum, badly formatted, null where not nullable', () => {
    const { id: _id, ...withoutId } = thing;
    const body = { ...withoutId, count: 2.5, at: '2018-11-13', status: 'lost', parent: { name: 5, extra: true }, tags: [1], surplus: 1 };
    expect(conformanceProblems(document, answer(body)).map((problem) => problem.replace('GET /v1/things/{id} → 200: ', ''))).toEqual([
      '$.id is required but missing',
      '$.surplus is not in the schema',
      '$.count is 2.5, not an integer',
      '$.at is "2018-11-13", not a date-time',
      '$.status is "lost", not one of ["valid","revoked"]',
      '$.parent.extra is not in the schema',
      '$.parent.name is 5, not a string',
      '$.tags[0] is 1, not a string',
    ]);
    expect(conformanceProblems(document, answer({ ...thing, tags: null }))).toEqual(['GET /v1/things/{id} → 200: $.tags is null, not nullable']);
  });

  it('names a required header that is missing, and a header of the wrong shape', () => {
    expect(conformanceProblems(document, answer(thing, 200, 'application/json', {}))).toEqual(['GET /v1/things/{id} → 200: header Ledger-Position is required but missing']);
    expect(conformanceProblems(document, answer(thing, 200, 'application/json', { 'ledger-position': '042', 'retry-after': 'soon' }))).toEqual([
      'GET /v1/things/{id} → 200: header Ledger-Position is "042", not matching ^(0|[1-9][0-9]*)$',
      'GET /v1/things/{id} → 200: header Retry-After is "soon", not an integer',
    ]);
  });

  it('names an undocumented status or media type', () => {
    expect(conformanceProblems(document, answer(thing, 500))).toEqual(['GET /v1/things/{id} → 500: status not documented (documented: 200, 404)']);
    expect(conformanceProblems(document, answer('a,b', 200, 'text/csv'))).toEqual(['GET /v1/things/{id} → 200: answered text/csv, documented application/json']);
  });
});
