import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { CheckpointWatcher } from '@ledger/projections';
import { parsePosition } from '@ledger/read-models';
import { from, switchMap, type Observable } from 'rxjs';
import type { HttpRequest } from '../platform/http/http-types';
import { ProblemException } from '../platform/errors/problem.exception';
import { POSITION_MESSAGE } from './dto/read-query.dto';
import { CHECKPOINT_WATCHER, MIN_POSITION_WAIT_MS } from './read-side.tokens';

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
    // The same check as ReadQuery's: nothing past bigint may reach the watcher, whose wait would end in a 503.
    const position = parsePosition(minPosition);
    if (position === null) {
      throw new ProblemException(400, 'VALIDATION_FAILED', `minPosition ${POSITION_MESSAGE}`, [
        { field: 'minPosition', code: 'INVALID_FIELD', message: `minPosition ${POSITION_MESSAGE}` },
      ]);
    }
    return from(this.watcher.waitForPosition(position, MIN_POSITION_WAIT_MS)).pipe(switchMap(() => next.handle()));
  }
}
