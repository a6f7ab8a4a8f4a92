/** The parts of a JSON Schema (OpenAPI 3.0 dialect) the fuzzer derives values from. */
export interface Schema {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: readonly string[];
  example?: unknown;
  examples?: readonly unknown[];
  default?: unknown;
  $ref?: string;
  allOf?: readonly Schema[];
  oneOf?: readonly Schema[];
  anyOf?: readonly Schema[];
}

export interface Parameter {
  readonly name: string;
  readonly required: boolean;
  readonly schema: Schema;
}

export type RouteKind = 'command' | 'query' | 'log' | 'health' | 'other';

/** One operation of the document, with every $ref resolved. */
export interface Route {
  readonly operationId: string;
  readonly method: string;
  /** The path template, `/v1/certificates/{folio}`. */
  readonly template: string;
  readonly kind: RouteKind;
  /** No bearer token needed. */
  readonly isPublic: boolean;
  /** Roles the document names for the route (its summary, its 403), if any. */
  readonly roles: readonly string[];
  readonly pathParameters: readonly Parameter[];
  readonly queryParameters: readonly Parameter[];
  readonly headerParameters: readonly Parameter[];
  readonly body?: { readonly required: boolean; readonly mediaTypes: readonly string[]; readonly schema: Schema };
}

interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  security?: Record<string, unknown>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema; $ref?: string }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema> };
  security?: Record<string, unknown>[];
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head']);
export const ROLES = ['authority', 'certifier', 'registrar', 'evaluator', 'comptroller', 'privacy'] as const;

/** Resolves local `$ref`s and merges `allOf`, so generators see plain schemas; a cycle stops at an empty schema. */
export function resolveSchema(document: OpenApiDocument, schema: Schema | undefined, seen: readonly string[] = []): Schema {
  if (!schema) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/components\/schemas\//, '');
    if (seen.includes(name)) return {};
    return resolveSchema(document, document.components?.schemas?.[name], [...seen, name]);
  }
  const resolved: Schema = { ...schema };
  if (schema.allOf) {
    delete resolved.allOf;
    for (const part of schema.allOf.map((item) => resolveSchema(document, item, seen))) {
      Object.assign(resolved, { ...part, ...resolved, properties: { ...part.properties, ...resolved.properties }, required: [...(part.required ?? []), ...(resolved.required ?? [])] });
    }
  }
  if (resolved.properties) {
    resolved.properties = Object.fromEntries(Object.entries(resolved.properties).map(([name, property]) => [name, resolveSchema(document, property, seen)]));
  }
  if (resolved.items) resolved.items = resolveSchema(document, resolved.items, seen);
  return resolved;
}

function kindOf(method: string, template: string): RouteKind {
  if (template === '/health' || template.startsWith('/health/')) return 'health';
  if (template.startsWith('/v1/log/')) return 'log';
  if (method === 'post') return 'command';
  if (method === 'get' && template.startsWith('/v1/')) return 'query';
  return 'other';
}

/**
 * The roles the document gives a route: a query's 403 says "only comptroller,
 * certifier may ask"; a command's summary names them in parentheses
 * ("(certifier of the enrolling provider)"). Elsewhere roles appear as
 * nouns ("the evaluator's accreditation"), so nothing else is read.
 */
function rolesNamedIn(operation: OperationObject): string[] {
  const only = /only ([a-z, ]+) may ask/.exec(operation.responses?.['403']?.description ?? '');
  const parentheticals = [...(operation.summary ?? '').matchAll(/\(([^)]*)\)/g)].map((match) => match[1]).join(' ');
  const text = only?.[1] ?? parentheticals;
  return ROLES.filter((role) => new RegExp(`\\b${role}s?\\b`).test(text));
}

/** Every operation of the document, in document order. */
export function routesOf(document: OpenApiDocument): Route[] {
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.has(method)) continue;
      const parameters = (operation.parameters ?? []).map((parameter) => ({
        in: parameter.in,
        name: parameter.name,
        required: parameter.required === true || parameter.in === 'path',
        schema: resolveSchema(document, parameter.schema),
      }));
      const of = (place: string): Parameter[] => parameters.filter((p) => p.in === place).map(({ name, required, schema }) => ({ name, required, schema }));
      const content = operation.requestBody?.content;
      const security = operation.security ?? document.security ?? [];
      routes.push({
        operationId: operation.operationId ?? `${method} ${template}`,
        method: method.toUpperCase(),
        template,
        kind: kindOf(method, template),
        isPublic: security.length === 0 || security.some((requirement) => Object.keys(requirement).length === 0),
        roles: rolesNamedIn(operation),
        pathParameters: of('path'),
        queryParameters: of('query'),
        headerParameters: of('header'),
        ...(content
          ? {
              body: {
                required: operation.requestBody?.required === true,
                mediaTypes: Object.keys(content),
                schema: resolveSchema(document, Object.values(content)[0]?.schema),
              },
            }
          : {}),
      });
    }
  }
  return routes;
}
