import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { validationFailed } from '../errors/request-validation';
import type { HttpRequest } from './http-types';

/**
 * For routes that read no query string: commands (they take their fields
 * from the body) and the log's static documents. A parameter there
 * (`?issuedAt=…` where the body should have said it) would be dropped in
 * silence and the route run without it. Each one is refused as an unknown
 * field, as in bodies.
 */
@Injectable()
export class NoQueryParametersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const query = context.switchToHttp().getRequest<HttpRequest & { query?: Record<string, unknown> }>().query ?? {};
    const names = Object.keys(query);
    if (names.length > 0) {
      throw validationFailed(names.map((name) => ({ field: name, code: 'UNKNOWN_FIELD', message: `query parameter ${name} should not exist: this route reads no query string` })));
    }
    return next.handle();
  }
}
