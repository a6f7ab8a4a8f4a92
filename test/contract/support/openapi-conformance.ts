/**
 * Does an answer of the running ledger match what its OpenAPI document says?
 * A small checker for the part of OpenAPI 3.0 schemas the ledger's document
 * uses ($ref, allOf, nullable, type, enum, format, properties, required,
 * items). It is strict where a generic validator is lenient: a property the
 * schema does not declare is a problem, so that a field added to a view but
 * not to its documentation is caught.
 */

export interface Schema {
  $ref?: string;
  allOf?: Schema[];
  nullable?: boolean;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
  enum?: unknown[];
  format?: string;
  pattern?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
}

interface MediaType {
  schema?: Schema;
}

export interface ResponseObject {
  description: string;
  content?: Record<string, MediaType>;
  headers?: Record<string, { required?: boolean; schema?: Schema }>;
}

export interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, ResponseObject>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** What a test saw: the route template it called, and the answer. */
export interface Exchange {
  method: 'get' | 'post';
  template: string;
  status: number;
  contentType: string | undefined;
  /** Response headers, names in lower case (as Node gives them). */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
  body: unknown;
}

const FORMATS: Readonly<Record<string, RegExp>> = {
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};

/** Every way the answer departs from the document; none when it conforms. */
export function conformanceProblems(document: OpenApiDocument, exchange: Exchange): string[] {
  const where = `${exchange.method.toUpperCase()} ${exchange.template} → ${exchange.status}`;
  const operation = document.paths[exchange.template]?.[exchange.method];
  if (!operation) return [`${where}: the document has no such operation`];
  const response = operation.responses[String(exchange.status)];
  if (!response) return [`${where}: status not documented (documented: ${Object.keys(operation.responses).join(', ')})`];
  const headers = headerProblems(exchange, response, document).map((problem) => `${where}: ${problem}`);
  return [...headers, ...bodyProblems(exchange, response, document, where)];
}

/** A documented header that is required must be there; one that is there must have its documented shape. */
function headerProblems(exchange: Exchange, response: ResponseObject, document: OpenApiDocument): string[] {
  if (!exchange.headers) return [];
  return Object.entries(response.headers ?? {}).flatMap(([name, header]) => {
    const value = exchange.headers?.[name.toLowerCase()];
    if (value === undefined) return header.required ? [`header ${name} is required but missing`] : [];
    if (!header.schema || Array.isArray(value)) return [];
    const text = header.schema.type === 'integer' && /^\d+$/.test(value) ? Number(value) : value;
    return schemaProblems(text, header.schema, document, `header ${name}`);
  });
}

function bodyProblems(exchange: Exchange, response: ResponseObject, document: OpenApiDocument, where: string): string[] {
  const mediaType = (exchange.contentType ?? '').split(';')[0].trim().toLowerCase();
  const content = response.content ?? {};
  if (Object.keys(content).length === 0) return mediaType === '' ? [] : [`${where}: answered ${mediaType}, the document describes no body`];
  const described = content[mediaType];
  if (!described) return [`${where}: answered ${mediaType || 'no body'}, documented ${Object.keys(content).join(', ')}`];
  if (!described.schema) return [`${where}: ${mediaType} has no schema`];
  return schemaProblems(exchange.body, described.schema, document, '$').map((problem) => `${where}: ${problem}`);
}

export function schemaProblems(value: unknown, schema: Schema, document: OpenApiDocument, at: string): string[] {
  if (schema.$ref) return schemaProblems(value, resolve(schema.$ref, document), document, at);
  if (value === null) return schema.nullable ? [] : [`${at} is null, not nullable`];
  const own = typeProblems(value, schema, at);
  if (own.length > 0) return own;
  return [
    ...(schema.allOf ?? []).flatMap((part) => schemaProblems(value, part, document, at)),
    ...objectProblems(value, schema, document, at),
    ...(schema.items && Array.isArray(value) ? value.flatMap((item, index) => schemaProblems(item, schema.items as Schema, document, `${at}[${index}]`)) : []),
  ];
}

function resolve(ref: string, document: OpenApiDocument): Schema {
  const name = ref.replace('#/components/schemas/', '');
  const schema = document.components.schemas[name];
  if (!schema) throw new Error(`unresolved ${ref}`);
  return schema;
}

function typeProblems(value: unknown, schema: Schema, at: string): string[] {
  const show = JSON.stringify(value)?.slice(0, 80);
  if (schema.enum && !schema.enum.includes(value)) return [`${at} is ${show}, not one of ${JSON.stringify(schema.enum)}`];
  switch (schema.type) {
    case undefined:
      return [];
    case 'string':
      if (typeof value !== 'string') return [`${at} is ${show}, not a string`];
      if (schema.format && FORMATS[schema.format] && !FORMATS[schema.format].test(value)) return [`${at} is ${show}, not a ${schema.format}`];
      if (schema.pattern && !new RegExp(schema.pattern).test(value)) return [`${at} is ${show}, not matching ${schema.pattern}`];
      return [];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at} is ${show}, not an integer`];
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : [`${at} is ${show}, not a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at} is ${show}, not a boolean`];
    case 'array':
      return Array.isArray(value) ? [] : [`${at} is ${show}, not an array`];
    case 'object':
      return typeof value === 'object' && !Array.isArray(value) ? [] : [`${at} is ${show}, not an object`];
    default: {
      const unknownType: never = schema.type;
      return [`${at}: schema type ${String(unknownType)} is not checked`];
    }
  }
}

function objectProblems(value: unknown, schema: Schema, document: OpenApiDocument, at: string): string[] {
  if (!schema.properties || typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const record = value as Record<string, unknown>;
  const properties = schema.properties;
  const missing = (schema.required ?? []).filter((name) => !(name in record)).map((name) => `${at}.${name} is required but missing`);
  const undeclared = schema.additionalProperties ? [] : Object.keys(record).filter((name) => !(name in properties)).map((name) => `${at}.${name} is not in the schema`);
  const declared = Object.entries(record)
    .filter(([name]) => name in properties)
    .flatMap(([name, field]) => schemaProblems(field, properties[name], document, `${at}.${name}`));
  return [...missing, ...undeclared, ...declared];
}
