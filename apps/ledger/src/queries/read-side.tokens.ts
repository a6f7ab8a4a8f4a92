/** The TypeORM DataSource over the read models (views in schema `read_models`). */
export const READ_MODELS = Symbol('READ_MODELS');
/** Knows how far the read models have got; waits for a position (read-your-writes). */
export const CHECKPOINT_WATCHER = Symbol('CHECKPOINT_WATCHER');
/** The verifiable log's checkpoint signer, beside the in-process projector; null when projections run elsewhere. */
export const CHECKPOINT_SIGNER = Symbol('CHECKPOINT_SIGNER');
/** The in-process projector, or null when projections run elsewhere (apps/projector). */
export const PROJECTION_RUNNER = Symbol('PROJECTION_RUNNER');

/** How long a query waits for `minPosition` before answering 503 with Retry-After. */
export const MIN_POSITION_WAIT_MS = 5_000;
