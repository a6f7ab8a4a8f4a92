/**
 * The read models have not reached a position a caller asked for within the
 * bounded wait. The HTTP edge answers 503 with `Retry-After`: the write is
 * durable, only its projection is late.
 */
export class ProjectionLagError extends Error {
  readonly code = 'PROJECTION_LAG';

  constructor(
    readonly requested: bigint,
    readonly reached: bigint,
    readonly retryAfterSeconds: number,
  ) {
    super(`The read models have reached position ${reached}, not yet ${requested}; retry in ${retryAfterSeconds} s`);
    this.name = 'ProjectionLagError';
  }
}
