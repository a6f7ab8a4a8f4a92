/**
 * How the adapter classifies the errors of @eventstore/db-client.
 */
import { status } from '@grpc/grpc-js';
import { CancelledError, DeadlineExceededError, NotLeaderError, TimeoutError, UnavailableError } from '@eventstore/db-client';

/** Errors after which the same call, made again (on a new channel), can succeed. */
export function isConnectionFailure(error: unknown): boolean {
  return (
    error instanceof UnavailableError ||
    error instanceof CancelledError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError
  );
}

/**
 * EventStoreDB reads $all only from a position where a record starts (or the
 * start or end of the log); from inside a record it answers INVALID_ARGUMENT
 * "Trying to read from an invalid position". The client has no type for it.
 */
export function isInvalidPosition(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return code === status.INVALID_ARGUMENT && /invalid position/i.test(error.message);
}

/**
 * The port takes any position; EventStoreDB does not. The one the ledger
 * derives, an event's position + 1 ("just after that event"), is served from
 * one lower: nothing can start between an event and the byte after it.
 */
export function unreadablePosition(position: bigint): RangeError {
  return new RangeError(`EventStoreDB cannot read $all from position ${position}: it is neither an event's position nor one past it`);
}
