import { resolveSchema, routesOf, type OpenApiDocument } from './openapi-routes';

const DOCUMENT: OpenApiDocument = {
  paths: {
    '/health': { get: { operationId: 'getHealth', security: [], responses: { '200': {} } } },
    '/v1/standards': {
      post: {
        operationId: 'registerStandard',
        summary: 'RegisterStandard: publish (or renew) a standard (authority)',
        security: [{ bearer: [] }],
        parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Standard' } } } },
        responses: { '201': {}, '403': { description: 'ROLE_NOT_ALLOWED, or the caller does not act for the organization' } },
      },
    },
    '/v1/certificates/{folio}': {
      get: {
        operationId: 'getCertificate',
        summary: 'One certificate with holder, standard, provider, evaluator',
        security: [{ bearer: [] }],
        parameters: [
          { name: 'folio', in: 'path', schema: { type: 'string', maxLength: 64 } },
          { name: 'minPosition', in: 'query', schema: { type: 'string', pattern: '^(0|[1-9][0-9]{0,18})$' } },
        ],
        responses: { '200': {}, '403': { description: 'ROLE_NOT_ALLOWED: only comptroller, certifier may ask' } },
      },
    },
    '/v1/public/certificates/{folio}': { get: { operationId: 'verifyCertificate', security: [], responses: { '200': {} } } },
    '/v1/log/checkpoint': { get: { operationId: 'getCheckpoint', security: [], responses: { '200': {} } } },
  },
  components: {
    schemas: {
      Standard: { type: 'object', properties: { code: { type: 'string' }, period: { $ref: '#/components/schemas/Period' } }, required: ['code'] },
      Period: { type: 'object', properties: { from: { type: 'string' }, again: { $ref: '#/components/schemas/Period' } } },
    },
  },
};

describe('the routes of an OpenAPI document', () => {
  const routes = routesOf(DOCUMENT);
  const route = (operationId: string) => routes.find((r) => r.operationId === operationId)!;

  it('lists every operation with its kind and whether it needs a token', () => {
    expect(routes.map((r) => [r.operationId, r.method, r.kind, r.isPublic])).toEqual([
      ['getHealth', 'GET', 'health', true],
      ['registerStandard', 'POST', 'command', false],
      ['getCertificate', 'GET', 'query', false],
      ['verifyCertificate', 'GET', 'query', true],
      ['getCheckpoint', 'GET', 'log', true],
    ]);
  });

  it('reads the roles a query names in its 403 and a command in its summary, and no role mentioned as a noun', () => {
    expect(route('getCertificate').roles).toEqual(['certifier', 'comptroller']);
    expect(route('registerStandard').roles).toEqual(['authority']);
    expect(route('getHealth').roles).toEqual([]);
  });

  it('sorts parameters by place, path parameters always required, and resolves the body schema', () => {
    const certificate = route('getCertificate');
    expect(certificate.pathParameters).toEqual([{ name: 'folio', required: true, schema: { type: 'string', maxLength: 64 } }]);
    expect(certificate.queryParameters.map((p) => [p.name, p.required])).toEqual([['minPosition', false]]);
    const body = route('registerStandard').body!;
    expect(body).toMatchObject({ required: true, mediaTypes: ['application/json'] });
    expect(body.schema.required).toEqual(['code']);
    expect(body.schema.properties?.period.properties?.from).toEqual({ type: 'string' });
    expect(route('registerStandard').headerParameters.map((p) => p.name)).toEqual(['Idempotency-Key']);
  });

  it('stops a $ref cycle at an empty schema', () => {
    const period = resolveSchema(DOCUMENT, { $ref: '#/components/schemas/Period' });
    expect(period.properties?.again).toEqual({});
  });
});
