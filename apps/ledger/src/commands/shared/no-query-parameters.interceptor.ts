import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { validationFailed } from '../../platform/errors/request-validation';
import type { HttpRequest } from '../../platform/http/http-types';

/**
 * Commands take their fields from the body, never from the query string,
 * which no command reads: a parameter there (`?issuedAt=…` where the body
 * should have said it) would be dropped in silence and the command run
 * without it. Each one is refused as an unknown field, as in bodies.
 */
@Injectable()
export class NoQueryParametersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const query = context.switchToHttp().getRequest<HttpRequest & { query?: Record<string, unknown> }>().query ?? {};
    const names = Object.keys(query);
    if (names.length > 0) {
      throw validationFailed(names.map((name) => ({ field: name, code: 'UNKNOWN_FIELD', message: `query parameter ${name} should not exist: commands take their fields from the body` })));
    }
    return next.handle();
  }
}
