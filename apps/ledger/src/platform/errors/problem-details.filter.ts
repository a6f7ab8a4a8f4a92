import { ArgumentsHost, Catch, ExceptionFilter, Logger, Optional } from '@nestjs/common';
import { EventStoreLiveness } from '../health/health.controller';
import type { HttpRequest, HttpResponse } from '../http/http-types';
import { correlationIdOf } from '../logging/correlation-id';
import { labelProblem } from '../metrics/route-label';
import { answerFor } from './error-mapping';
import { Problem, PROBLEM_CONTENT_TYPE, problemTypeOf } from './problem';

/**
 * The one place where errors become HTTP answers: RFC 9457 problem+json with a
 * stable code and the correlation id. Unexpected errors are logged with their
 * stack under the correlation id; the client gets neither stack nor message.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  /** Told of every request that met the storage unreachable, so that /health says so at once. */
  constructor(@Optional() private readonly liveness?: EventStoreLiveness) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const request = host.switchToHttp().getRequest<HttpRequest>();
    const response = host.switchToHttp().getResponse<HttpResponse>();
    const answer = answerFor(error);
    labelProblem(response, answer.code);
    const correlationId = correlationIdOf(request);
    if (answer.unexpected) this.logUnexpected(error, request, correlationId);
    if (answer.outage) {
      this.logOutage(error, request, correlationId);
      this.liveness?.storeFailed();
    }
    if (response.headersSent) {
      // Too late to answer properly; make sure the connection does not hang.
      response.end();
      return;
    }
    const problem: Problem = {
      type: problemTypeOf(answer.code),
      title: answer.title,
      status: answer.status,
      detail: answer.detail,
      code: answer.code,
      instance: request.originalUrl ?? request.url,
      correlationId,
      ...(answer.errors ? { errors: answer.errors } : {}),
    };
    for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
    if (answer.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    response.status(answer.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private logOutage(error: unknown, request: HttpRequest, correlationId: string): void {
    const reason = error instanceof Error ? `${String((error as { code?: unknown }).code ?? error.name)}: ${error.message}` : String(error);
    this.logger.warn({ correlationId, method: request.method, route: request.route?.path, reason }, 'Storage unavailable');
  }

  private logUnexpected(error: unknown, request: HttpRequest, correlationId: string): void {
    // Only method and route: a URL or body could carry personal data.
    const stack = error instanceof Error ? error.stack : String(error);
    this.logger.error({ correlationId, method: request.method, route: request.route?.path, err: stack }, 'Unexpected error');
  }
}
