import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { withReadPositionSink } from '@ledger/read-models';
import { catchError, Observable, throwError } from 'rxjs';
import type { HttpResponse } from '../platform/http/http-types';

export const LEDGER_POSITION_HEADER = 'Ledger-Position';

/**
 * Names, in the `Ledger-Position` header, the position of the log a query's
 * answer was read at (the query services record it as they read their
 * snapshot; the lowest wins when an answer reads several), on errors such as
 * a 404 as well: "not found, as of position N". The header is set as soon as
 * the position is known, so an answer streamed afterwards (a report) has it too.
 * Nest binds the handler to the async context in which `handle()` is called,
 * so calling it inside the sink's scope is what lets the services reach the sink.
 */
@Injectable()
export class LedgerPositionInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<HttpResponse>();
    let lowest: bigint | undefined;
    const sink = {
      record(position: bigint): void {
        if (lowest !== undefined && lowest <= position) return;
        lowest = position;
        if (!response.headersSent) response.setHeader(LEDGER_POSITION_HEADER, position.toString());
      },
    };
    const answer = new Observable((subscriber) => withReadPositionSink(sink, () => next.handle().subscribe(subscriber)));
    // A query that waited for minPosition in vain read nothing, but the read models stood somewhere: say where.
    return answer.pipe(
      catchError((error: unknown) => {
        const reached = (error as { reached?: unknown }).reached;
        if (typeof reached === 'bigint' && reached >= 0n) sink.record(reached);
        return throwError(() => error);
      }),
    );
  }
}
