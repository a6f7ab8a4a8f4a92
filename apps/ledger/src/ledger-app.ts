import { Logger as NestLogger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { LedgerConfig } from '@ledger/platform';
import { CertificateQueries, CertificationStatsQueries, KeptTransparencyReports } from '@ledger/read-models';
import type { IncomingMessage } from 'node:http';
import { AppModule } from './app.module';
import { answerClientErrors } from './platform/http/client-error';
import { isJsonMediaType, jsonOnlyMiddleware } from './platform/http/json-only.middleware';
import { securityHeadersMiddleware } from './platform/http/security-headers';
import { correlationIdMiddleware } from './platform/logging/correlation-id';
import { setUpOpenApi } from './platform/openapi/openapi';
import { publicRoutesLimiter } from './platform/rate-limit/rate-limits';
import { TokenVerifier } from './platform/auth/token-verifier';
import { LogAnswers } from './log/log-answers';
import { inclusionProofFastPath } from './log/inclusion-proof.route';
import { answerFirst, countedOnce, type ExpressApplication } from './platform/http/fast-lane';
import { publicVerificationFastPath } from './queries/public-verification.route';
import { queryFastPath } from './queries/query-fast-path';
import { certificateListRoute, certificationStatsRoute, transparencyReportRoute } from './queries/query-fast-routes';
import { AccessLog } from './access-log/access-log.service';
import { createRequestValidationPipe } from './platform/errors/request-validation';
import { Health, healthFastPath } from './platform/health/health.controller';
import { LedgerMetrics } from './platform/metrics/ledger-metrics';

/**
 * The largest body the API reads. A batch of 5,000 process ids is about
 * 200 KB; anything much larger is a mistake or an attack (413).
 */
export const BODY_LIMIT = '1mb';

/**
 * Keys that reach an object's prototype when copied naively (as DTO
 * transformation does). No API field has these names, so a body holding one
 * is refused as malformed rather than half-applied.
 */
function refuseForbiddenKeys(key: string, value: unknown): unknown {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new SyntaxError(`forbidden key ${key}`);
  return value;
}

/** Builds the ledger's HTTP application (not yet listening). */
export async function createLedgerApp(config: LedgerConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // The client address that rate limits count by: the TCP peer, unless the configuration names the proxies in front.
  app.set('trust proxy', config.trustProxy);
  answerClientErrors(app.getHttpServer());
  // First the headers every answer carries, then the correlation id, so that even a body the parser rejects has both.
  app.use(securityHeadersMiddleware);
  app.use(correlationIdMiddleware);
  // Before any work on the request: an address over its budget costs no more than this.
  const tokens = app.get(TokenVerifier);
  const publicLimiter = publicRoutesLimiter(config.rateLimit, new NestLogger('RateLimit'), (request) => tokens.carriesValidToken(request.headers.authorization));
  // Counted once: a proof request the fast path below counted and handed on keeps its verdict.
  app.use(countedOnce(publicLimiter));
  app.use(jsonOnlyMiddleware);
  app.useBodyParser('json', { limit: BODY_LIMIT, reviver: refuseForbiddenKeys, type: (request: IncomingMessage) => isJsonMediaType(request.headers['content-type']) });
  setUpOpenApi(app);
  // /health while healthy, inclusion proofs the tree cache holds, public verifications of certificates the registry holds,
  // certificate counts, pages of certificates and transparency reports rendered whole are answered ahead of Express, after the same security headers,
  // correlation id and rate limit, exactly as the controllers answer them; every other request goes on to Express and
  // Nest as above.
  const express = app.getHttpAdapter().getInstance() as ExpressApplication;
  const metrics = app.get(LedgerMetrics);
  // What the authenticated query routes of the fast lane read tokens and queries with: the guard's check, Express's parser, the application's pipe.
  const queryLane = {
    authenticate: (header: string | undefined) => tokens.authenticate(header),
    parseQuery: express.get('query parser fn') as (query: string) => unknown,
    validation: createRequestValidationPipe(),
    express,
  };
  answerFirst(
    app.getHttpServer(),
    // Every request is timed, whichever lane answers it.
    (request, response, onward) => {
      metrics.observeRequest(request, response);
      onward();
    },
    healthFastPath(app.get(Health), express),
    inclusionProofFastPath({ answers: app.get(LogAnswers), express, limiter: config.rateLimit === 'off' ? undefined : publicLimiter }),
    publicVerificationFastPath({ certificates: app.get(CertificateQueries), express, limiter: config.rateLimit === 'off' ? undefined : publicLimiter }),
    queryFastPath(certificationStatsRoute(app.get(CertificationStatsQueries)), queryLane),
    queryFastPath(certificateListRoute(app.get(CertificateQueries), app.get(AccessLog)), queryLane),
    queryFastPath(transparencyReportRoute(app.get(KeptTransparencyReports), app.get(AccessLog)), queryLane),
  );
  return app;
}
