import type { INestApplication } from '@nestjs/common';
import { DECORATORS, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ProblemResponse } from './problem-response';

export const BEARER_SCHEME = 'bearer';

/** The tags routes are grouped by, each described once. */
const TAGS: readonly [name: string, description: string][] = [
  ['standards', 'Competency standards (authority)'],
  ['providers', 'Certification providers and evaluation centres (authority)'],
  ['evaluators', "Evaluators' credentials (cédulas) and their standing on a date"],
  ['enrollments', 'Certification processes: enrollment, training, evaluation'],
  ['certificates', 'Certificates: issue, revoke, read'],
  ['public', 'Public verification of a certificate, without credentials'],
  ['people', "A person's timeline, without personal data"],
  ['audit', 'The audit trail and the provenance of certificates (comptrollers)'],
  ['stats', 'Certificate counts for dashboards'],
  ['reports', 'Reproducible transparency reports'],
  ['health', 'Readiness of the ledger'],
];

/**
 * Marks an operation as open to anyone (`security: []`), so that a generated
 * client sends no token and a linter knows the omission is deliberate. It
 * merges into the operation's metadata as ApiOperation itself does, so the
 * order of the two decorators does not matter.
 */
export function ApiWithoutToken(): MethodDecorator {
  return (_target, _key, descriptor) => {
    const previous = Reflect.getMetadata(DECORATORS.API_OPERATION, descriptor.value as object) as object | undefined;
    Reflect.defineMetadata(DECORATORS.API_OPERATION, { ...previous, security: [] }, descriptor.value as object);
    return descriptor;
  };
}

/**
 * Operation ids name the methods of generated clients, so every route sets a
 * stable one (`listCertificates`, `verifyCertificate`). A route that does not
 * still gets a readable one, from its controller and method
 * (`HealthController.ready` → `healthReady`), never `HealthController_ready`.
 */
function readableOperationId(controllerKey: string, methodKey: string): string {
  const subject = controllerKey.replace(/(Http)?Controller$/, '');
  return `${subject.charAt(0).toLowerCase()}${subject.slice(1)}${methodKey.charAt(0).toUpperCase()}${methodKey.slice(1)}`;
}

/** The contract of API.md as OpenAPI, served at `/docs` (UI) and `/docs-json` (document). */
export function setUpOpenApi(app: INestApplication): void {
  const builder = new DocumentBuilder()
    .setTitle('Certification ledger')
    .setDescription(
      'Event-sourced ledger of labour-competency certifications. Errors are RFC 9457 application/problem+json with a stable `code`. ' +
        'Commands accept an `Idempotency-Key` header. Positions travel as decimal strings.',
    )
    .setVersion('1')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    // Relative: the document describes the server that serves it, wherever it is deployed.
    .addServer('/', 'The ledger serving this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME);
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), { extraModels: [ProblemResponse], operationIdFactory: readableOperationId });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
