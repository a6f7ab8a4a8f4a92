import { Inject, Injectable, PipeTransform, Query } from '@nestjs/common';
import type { CheckpointWatcher } from '@ledger/projections';
import { currentReadPositionSink, parsePosition } from '@ledger/read-models';
import { CHECKPOINT_WATCHER, MIN_POSITION_WAIT_MS } from './read-side.tokens';

/**
 * Read-your-writes: a query carrying `minPosition` (the position a command
 * answered with) waits, a bounded while, until the read models have folded
 * that far, then reads; otherwise ProjectionLagError becomes 503 with
 * Retry-After. The wait happens at the query's first read (the request's
 * read-position sink runs it), after the validation pipe and after the query
 * service has checked its own parameters (dates, cursors): a request that is
 * not valid is refused at once with its 400, never waited for first.
 */
@Injectable()
export class ReadYourWritesPipe implements PipeTransform {
  constructor(@Inject(CHECKPOINT_WATCHER) private readonly watcher: CheckpointWatcher) {}

  async transform<T>(query: T): Promise<T> {
    // Validated by then (ReadQuery): a decimal position within bigint's range, or absent.
    const position = parsePosition((query as { minPosition?: unknown } | undefined)?.minPosition);
    if (position === null) return query;
    const wait = () => this.watcher.waitForPosition(position, MIN_POSITION_WAIT_MS);
    const sink = currentReadPositionSink();
    if (sink) sink.beforeFirstRead = wait;
    else await wait();
    return query;
  }
}

/** The query parameters of a query route, validated, then waited for (minPosition). */
export const QueryParameters = (): ParameterDecorator => Query(ReadYourWritesPipe);
