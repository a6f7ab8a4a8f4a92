import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { CheckpointWatcher } from '@ledger/projections';
import { from, switchMap, type Observable } from 'rxjs';
import type { HttpRequest } from '../platform/http/http-types';
import { ProblemException } from '../platform/errors/problem.exception';
import { CHECKPOINT_WATCHER, MIN_POSITION_WAIT_MS } from './read-side.tokens';

const POSITION = /^\d{1,20}$/;

/**
 * Read-your-writes: a query carrying `minPosition` (the position a command
 * answered with) waits, a bounded while, until the read models have folded
 * that far, then runs; otherwise ProjectionLagError becomes 503 with
 * Retry-After. Interceptors run before pipes, so the value is checked here.
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(@Inject(CHECKPOINT_WATCHER) private readonly watcher: CheckpointWatcher) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<HttpRequest & { query?: Record<string, unknown> }>();
    const minPosition = request.query?.minPosition;
    if (minPosition === undefined) return next.handle();
    if (typeof minPosition !== 'string' || !POSITION.test(minPosition)) {
      throw new ProblemException(400, 'VALIDATION_FAILED', 'minPosition must be a position: a decimal integer', [
        { field: 'minPosition', code: 'INVALID_FIELD', message: 'must be a decimal integer' },
      ]);
    }
    return from(this.watcher.waitForPosition(BigInt(minPosition), MIN_POSITION_WAIT_MS)).pipe(switchMap(() => next.handle()));
  }
}
