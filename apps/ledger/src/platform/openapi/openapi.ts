import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ProblemResponse } from './problem-response';

export const BEARER_SCHEME = 'bearer';

/** The contract of API.md as OpenAPI, served at `/docs` (UI) and `/docs-json` (document). */
export function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Certification ledger')
      .setDescription(
        'Event-sourced ledger of labour-competency certifications. Errors are RFC 9457 application/problem+json with a stable `code`. ' +
          'Commands accept an `Idempotency-Key` header.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
      .build(),
    { extraModels: [ProblemResponse] },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
