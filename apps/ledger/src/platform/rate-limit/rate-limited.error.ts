/**
 * A client address that used up its budget for the current window. Plain
 * data (no framework class), recognised by its code where errors become
 * answers: 429 with Retry-After.
 */
export class RateLimitedError extends Error {
  readonly code = 'RATE_LIMITED';

  constructor(
    message: string,
    /** Until the address's window starts over. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}
